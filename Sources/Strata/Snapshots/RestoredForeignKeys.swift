/// How many rows `PRAGMA foreign_key_check` reports after a restore, in the tables the restore
/// can have affected (the restored ones, and those whose foreign keys name a restored or
/// dropped table), found faster in the usual case of none.
///
/// The pragma looks up every child row's parent, one lookup per row: a child table of 6M rows
/// costs a second. Most restores leave no violation, and proving that needs one lookup per
/// distinct key, read from the child's index when it has one (600k lookups for those 6M rows).
/// So each foreign key is first checked that way; a table the proof does not clear, or whose
/// keys it cannot judge exactly as the pragma would, is counted by the pragma itself.
enum RestoredForeignKeys {
    static func violationCount(in connection: Connection, children: Set<String>, parents: Set<String>) throws -> Int {
        var tables = children
        if !parents.isEmpty {
            let lowered = Set(parents.map { $0.lowercased() })
            let referencing = try connection.query("""
                SELECT DISTINCT m.name, f."table" FROM main.sqlite_master AS m, pragma_foreign_key_list(m.name) AS f
                WHERE m.type = 'table'
                """) { ($0.string(0), $0.string(1)) }
            for (child, parent) in referencing where lowered.contains(parent.lowercased()) { tables.insert(child) }
        }
        var count = 0
        for table in tables.sorted() where try connection.tableExists(table) {
            // Prepared first: a foreign key with no usable parent index fails here, as before.
            let check = try connection.prepare("PRAGMA main.foreign_key_check(\(quoteIdentifier(table)))")
            if try hasNoViolations(table, connection: connection) { continue }
            while try check.step() { count += 1 }
            check.reset()
        }
        return count
    }

    /// True only when no row of `table` can violate its foreign keys; false when one may, or
    /// when a key is of a kind the proof does not judge.
    static func hasNoViolations(_ table: String, connection: Connection) throws -> Bool {
        let keys = try connection.query("""
            SELECT id, "table", "from", "to" FROM pragma_foreign_key_list(?) ORDER BY id, seq
            """, [.text(table)]) { (id: $0.int64(0), parent: $0.string(1), from: $0.string(2), to: $0.optionalString(3)) }
        let childColumns = try declaredTypes(of: table, connection: connection)
        for id in Set(keys.map(\.id)).sorted() {
            let pairs = keys.filter { $0.id == id }
            guard let parent = try connection.scalar(
                "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE",
                [.text(pairs[0].parent)])?.text else { return false }
            let parentColumns = try declaredTypes(of: parent, connection: connection)
            // No column list: the parent's primary key, in its declared order.
            let parentKey = pairs.allSatisfy { $0.to != nil }
                ? pairs.map { $0.to! }
                : parentColumns.filter { $0.pk > 0 }.sorted { $0.pk < $1.pk }.map(\.name)
            guard parentKey.count == pairs.count else { return false }
            var childKey: [String] = []
            for (pair, parentName) in zip(pairs, parentKey) {
                guard let child = childColumns.first(where: { sameIdentifier($0.name, pair.from) }),
                      let parent = parentColumns.first(where: { sameIdentifier($0.name, parentName) }),
                      let affinity = Affinity(declaredType: child.type), affinity == Affinity(declaredType: parent.type)
                else { return false }
                childKey.append(child.name)
            }
            // The pragma ignores rows with a NULL in the key, gives the child's values the
            // parent key's affinity (a no-op here: both columns have the same one) and looks
            // them up with the parent columns' collations, which `p.key = d.key` uses too (the
            // left operand's). Distinct values are taken byte for byte, so the child's own
            // collation cannot merge two values the parent tells apart.
            let distinct = childKey.enumerated().map { "\(quoteIdentifier($1)) COLLATE BINARY AS k\($0)" }.joined(separator: ", ")
            let notNull = childKey.map { "\(quoteIdentifier($0)) IS NOT NULL" }.joined(separator: " AND ")
            let match = parentKey.enumerated().map { "p.\(quoteIdentifier($1)) = d.k\($0)" }.joined(separator: " AND ")
            let orphan = try connection.scalar("""
                SELECT 1 FROM (SELECT DISTINCT \(distinct) FROM main.\(quoteIdentifier(table)) WHERE \(notNull)) AS d
                WHERE NOT EXISTS (SELECT 1 FROM main.\(quoteIdentifier(parent)) AS p WHERE \(match)) LIMIT 1
                """)
            if orphan != nil { return false }
        }
        return true
    }

    private static func declaredTypes(of table: String, connection: Connection) throws -> [(name: String, type: String, pk: Int)] {
        try connection.query("SELECT name, type, pk FROM pragma_table_xinfo(?, 'main')", [.text(table)]) {
            (name: $0.string(0), type: $0.string(1), pk: $0.int(2))
        }
    }

    /// A column's type affinity, by SQLite's rules on its declared type (datatype3.html,
    /// "Determination Of Column Affinity"). `nil` for ANY, whose affinity depends on whether
    /// the table is STRICT.
    enum Affinity: Equatable {
        case integer, text, blob, real, numeric

        init?(declaredType: String) {
            // SQLite matches these names ignoring ASCII case only.
            let type = String(decoding: declaredType.utf8.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 }, as: UTF8.self)
            if type == "ANY" { return nil }
            if type.contains("INT") { self = .integer }
            else if type.contains("CHAR") || type.contains("CLOB") || type.contains("TEXT") { self = .text }
            else if type.contains("BLOB") || type.isEmpty { self = .blob }
            else if type.contains("REAL") || type.contains("FLOA") || type.contains("DOUB") { self = .real }
            else { self = .numeric }
        }
    }
}
