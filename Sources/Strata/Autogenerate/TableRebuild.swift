/// The statements that rebuild one table into a new shape, in the order of SQLite's "Making
/// Other Kinds Of Table Schema Changes" (https://sqlite.org/lang_altertable.html#otheralter):
/// create the new table under a temporary name, copy the rows, drop the old table, rename the
/// new one into place. Indexes, triggers and views are re-created by the planner afterwards.
///
/// Never the other way round (rename the old table away first, then create the new one under
/// the real name): since SQLite 3.26 a rename rewrites every other table's REFERENCES to
/// follow the renamed table, so the child tables would end up pointing at the old copy, and
/// dropping it with foreign keys on would cascade-delete their rows.
struct TableRebuild {
    let from: TableSchema
    let to: TableSchema
    let reasons: [String]

    var temporaryName: String { "strata_new_" + to.name }

    var sql: String {
        let name = quoteIdentifier(to.name), temporary = quoteIdentifier(temporaryName)
        var lines = [
            "-- Rebuild \(name): ALTER TABLE cannot make this change (\(reasons.joined(separator: "; "))).",
            "-- SQLite's order: new table, copy rows, drop the old, rename the new into place.",
            MigrationPlanner.statement(CreateTableParser(to.sql).renamed(to: temporaryName)),
        ]
        let copied = to.columns.filter { $0.generated == .none && from.column($0.name) != nil }
        if copied.isEmpty {
            lines.append("-- No column in common: there are no rows to copy.")
        } else {
            var targets = copied.map { quoteIdentifier($0.name) }
            var sources = copied.map { Self.copyExpression(from: from.column($0.name)!, to: $0) }
            if let rowid = rowidName {
                targets.insert(rowid, at: 0)
                sources.insert(rowid, at: 0)
            }
            lines.append("INSERT INTO \(temporary) (\(targets.joined(separator: ", "))) SELECT \(sources.joined(separator: ", ")) FROM \(name);")
        }
        if from.autoincrement && to.autoincrement {
            // The copy would start the counter at the largest copied id: ids of rows deleted
            // before would be handed out again, which AUTOINCREMENT promises never to do.
            lines.append("-- Keep the AUTOINCREMENT counter (sqlite_sequence), so no deleted row's id is reused.")
            lines.append("DELETE FROM sqlite_sequence WHERE name = \(quoteLiteral(temporaryName));")
            lines.append("INSERT INTO sqlite_sequence (name, seq) SELECT \(quoteLiteral(temporaryName)), seq FROM sqlite_sequence WHERE name = \(quoteLiteral(to.name));")
        }
        lines.append("DROP TABLE \(name);")
        lines.append("ALTER TABLE \(temporary) RENAME TO \(name);")
        return lines.joined(separator: "\n")
    }

    /// The name the copy uses to carry each row's rowid, so the rows keep their ids (other
    /// tables may hold them): `rowid`, or `_rowid_`/`oid` when a column has that name in either
    /// table; `nil` for WITHOUT ROWID tables, or when columns take all three names. Where the
    /// new table has an INTEGER PRIMARY KEY (the rowid's alias), the key column's value wins
    /// over the rowid given with it, as it should.
    var rowidName: String? {
        guard !from.withoutRowID, !to.withoutRowID else { return nil }
        let columns = Set((from.columns + to.columns).map { $0.name.lowercased() })
        return ["rowid", "_rowid_", "oid"].first { !columns.contains($0) }
    }

    /// The old column's value, converted with CAST where the type affinity changes (so the
    /// data really takes the new type, even in a STRICT table), and with the new default in
    /// place of NULL where NOT NULL is added and there is a default to use.
    static func copyExpression(from old: ColumnSchema, to new: ColumnSchema) -> String {
        var expression = quoteIdentifier(old.name)
        if old.affinity != new.affinity, new.affinity != .blob {
            expression = "CAST(\(expression) AS \(new.affinity.rawValue))"
        }
        if new.notNull, !old.notNull, let defaultValue = new.defaultValue {
            expression = "coalesce(\(expression), \(defaultValue))"
        }
        return expression
    }
}
