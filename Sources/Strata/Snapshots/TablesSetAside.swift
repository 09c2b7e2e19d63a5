/// Tables a restore replaces or drops, renamed out of the way until the restored rows are in
/// (and the rows they leave without a parent are counted, `RestoredForeignKeys`), then
/// dropped.
///
/// Why not drop them first: in rollback-journal mode, a page that held data when the
/// transaction began must be copied to the journal before it is written again, so rows
/// inserted into the pages a DROP just freed cost a journal copy of every one of them (the old
/// table's whole size, written and synced) while rows appended past the file's end cost
/// nothing to journal. Renaming keeps the old pages in use until the new table is filled.
/// The file grows by the restored table's size; the old pages stay on the free list for later
/// writes.
struct TablesSetAside {
    let connection: Connection
    /// (name now, original name) of each table set aside.
    private(set) var tables: [(aside: String, original: String)] = []

    init(connection: Connection) { self.connection = connection }

    /// Renames the table called `name` (SQLite compares names ignoring ASCII case), if there
    /// is one, to a `strata_` name no table has.
    mutating func setAside(_ name: String) throws {
        guard let original = try connection.scalar(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE", [.text(name)])?.text
        else { return }
        var aside = "strata_restore_replaced_\(tables.count + 1)"
        while try connection.scalar(
            "SELECT 1 FROM main.sqlite_master WHERE name = ? COLLATE NOCASE", [.text(aside)]) != nil {
            aside += "_"
        }
        // With legacy_alter_table on (and foreign keys off, as during a restore) a rename
        // leaves other tables' REFERENCES clauses as they are: they go on naming the original,
        // which is the restored table's name again a moment later. Without it, SQLite would
        // rewrite them to the aside name and the schema text would change.
        let legacy = try connection.scalar("PRAGMA legacy_alter_table")?.integer ?? 0
        try connection.execute("PRAGMA legacy_alter_table = ON")
        defer { try? connection.execute("PRAGMA legacy_alter_table = \(legacy == 0 ? "OFF" : "ON")") }
        do {
            try connection.execute("ALTER TABLE main.\(quoteIdentifier(original)) RENAME TO \(quoteIdentifier(aside))")
        } catch {
            // A table SQLite will not rename (a CHECK that names the table itself, say) is
            // dropped now instead: slower, same result.
            try connection.execute("DROP TABLE main.\(quoteIdentifier(original))")
            return
        }
        tables.append((aside, original))
    }

    /// Drops every table set aside, with what `DROP TABLE` of the original would have removed:
    /// its indexes and triggers go with it; its ANALYZE statistics stayed under the original
    /// name through the rename, so they are deleted here.
    func dropAll() throws {
        for table in tables {
            try connection.execute("DROP TABLE main.\(quoteIdentifier(table.aside))")
            for stat in (1...4).map({ "sqlite_stat\($0)" }) where try connection.tableExists(stat) {
                try connection.execute("DELETE FROM main.\(stat) WHERE tbl = ?", [.text(table.original)])
            }
        }
    }
}
