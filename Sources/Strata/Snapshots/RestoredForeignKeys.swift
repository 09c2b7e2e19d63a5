/// The foreign-key violations a restore leaves: every row of a table it rewrote that has no
/// parent (`violationCount`), and each row of another table whose parent row it removed
/// (`orphanedRows`). Rows of other tables that had no parent before the restore either are
/// not its doing and are not counted (`PRAGMA foreign_key_check` lists them too).
///
/// The pragma looks up every child row's parent, one lookup per row: a child table of 6M rows
/// costs a second. For a rewritten table, most restores leave no violation, and proving that
/// needs one lookup per distinct key, read from the child's index when it has one (600k
/// lookups for those 6M rows); so each foreign key is first checked that way, and a table the
/// proof does not clear, or whose keys it cannot judge exactly as the pragma would, is counted
/// by the pragma itself. For other tables, only the parent keys that went are looked for in
/// the child.
enum RestoredForeignKeys {
    /// Rows of tables the restore did not rewrite that it left without a parent: their foreign
    /// key matched a row of a replaced or dropped table, and matches none now. Called while
    /// those tables are set aside (`replaced`: their names now and before): the old parent's
    /// keys are compared with the new one's, and the child is read only for keys that went, so
    /// a child of 6M rows is not walked when none did. A foreign key this cannot judge exactly
    /// as `PRAGMA foreign_key_check` would (several columns; types or collations that differ;
    /// a parent key the new table cannot look up by an index) leaves its table to be counted
    /// whole, every violating row: `wholeTables`, for `violationCount`.
    static func orphanedRows(in connection: Connection, replaced: [(aside: String, original: String)],
                             rewritten: Set<String>) throws -> (rows: Int, wholeTables: Set<String>) {
        guard !replaced.isEmpty else { return (0, []) }
        let asideNames = Dictionary(replaced.map { ($0.original.lowercased(), $0.aside) }, uniquingKeysWith: { first, _ in first })
        let skipped = Set(rewritten.map { $0.lowercased() })
        let keys = try connection.query("""
            SELECT m.name, f.id, f."table", f."from", f."to" FROM main.sqlite_master AS m, pragma_foreign_key_list(m.name) AS f
            WHERE m.type = 'table' ORDER BY m.name, f.id, f.seq
            """) { ForeignKeyColumn(child: $0.string(0), id: $0.int64(1), parent: $0.string(2), from: $0.string(3), to: $0.optionalString(4)) }
        var rows = 0
        var whole = Set<String>()
        var keysWent = KeysWent()
        for (child, columns) in Dictionary(grouping: keys, by: \.child)
        where !skipped.contains(child.lowercased()) && !child.lowercased().hasPrefix("strata_") {
            var childRows = 0
            for id in Set(columns.map(\.id)) {
                let key = columns.filter { $0.id == id }
                guard let aside = asideNames[key[0].parent.lowercased()] else { continue }
                guard let count = try orphans(of: key, aside: aside, keysWent: &keysWent, connection: connection) else {
                    whole.insert(child)
                    break
                }
                childRows += count
            }
            if !whole.contains(child) { rows += childRows }
        }
        return (rows, whole)
    }

    struct ForeignKeyColumn {
        var child: String
        var id: Int64
        var parent: String
        var from: String
        var to: String?
    }

    /// Whether any key of a parent column went (is in the old table, not in the new), asked
    /// once per parent column however many children name it.
    private struct KeysWent {
        var answers: [String: Bool] = [:]

        mutating func any(old: String, new: String, column: String, integers: Bool, connection: Connection) throws -> Bool {
            let question = [old, new, column].joined(separator: "\u{0}")
            if let known = answers[question] { return known }
            let answer = try (integers ? Self.merged(old: old, new: new, column: column, connection: connection) : nil)
                ?? Self.lookedUp(old: old, new: new, column: column, connection: connection)
            answers[question] = answer
            return answer
        }

        /// One lookup in the new table per old key.
        static func lookedUp(old: String, new: String, column: String, connection: Connection) throws -> Bool {
            let k = quoteIdentifier(column)
            return try connection.scalar("""
                SELECT 1 FROM main.\(quoteIdentifier(old)) AS o WHERE o.\(k) IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM main.\(quoteIdentifier(new)) AS n WHERE n.\(k) = o.\(k)) LIMIT 1
                """) != nil
        }

        /// Integer keys: both tables' keys read in order from their indexes and merged, one
        /// pass over each (a third of the lookups' time for 600k keys). `nil` when a value read
        /// is not stored as an integer: ordering mixed types as SQLite does is left to the lookups.
        static func merged(old: String, new: String, column: String, connection: Connection) throws -> Bool? {
            func keys(_ table: String) throws -> Statement {
                let k = quoteIdentifier(column)
                return try connection.prepare("SELECT \(k) FROM main.\(quoteIdentifier(table)) WHERE \(k) IS NOT NULL ORDER BY 1")
            }
            let olds = try keys(old), news = try keys(new)
            defer {
                olds.reset()
                news.reset()
            }
            var newKey: Int64?
            while try olds.step() {
                let row = Row(statement: olds)
                guard row.isInteger(0) else { return nil }
                let oldKey = row.int64(0)
                while newKey.map({ $0 < oldKey }) ?? true {
                    guard try news.step() else { return true }
                    let row = Row(statement: news)
                    guard row.isInteger(0) else { return nil }
                    newKey = row.int64(0)
                }
                if newKey != oldKey { return true }
            }
            return false
        }
    }

    /// The rows of one single-column foreign key whose parent row went; `nil` when the key is
    /// not one this judges (see `orphanedRows`).
    private static func orphans(of key: [ForeignKeyColumn], aside: String, keysWent: inout KeysWent,
                                connection: Connection) throws -> Int? {
        guard key.count == 1 else { return nil }
        let (child, parent, from) = (key[0].child, key[0].parent, key[0].from)
        let parentStays = connection.hasTable(named: parent) == true
        // No column list: the parent's primary key, the same column in the old table and the new.
        let oldKey = try key[0].to.map { [$0] } ?? primaryKey(of: aside, connection: connection)
        guard oldKey.count == 1 else { return nil }
        let column = oldKey[0]
        if key[0].to == nil, parentStays {
            let newKey = try primaryKey(of: parent, connection: connection)
            guard newKey.count == 1, sameIdentifier(newKey[0], column) else { return nil }
        }
        // Same affinity and collation on every side: `=` and IN then match values exactly as the
        // pragma does (it gives the child's value the parent's affinity and compares with the
        // parent's collation).
        guard let childColumn = connection.columnDeclaration(table: child, column: from),
              let oldColumn = connection.columnDeclaration(table: aside, column: column),
              let affinity = Affinity(declaredType: childColumn.type), affinity == Affinity(declaredType: oldColumn.type),
              sameIdentifier(childColumn.collation, oldColumn.collation) else { return nil }
        let (c, k, o, p) = (quoteIdentifier(child), quoteIdentifier(column), quoteIdentifier(aside), quoteIdentifier(parent))
        var went = "SELECT o.\(k) FROM main.\(o) AS o WHERE o.\(k) IS NOT NULL"
        if parentStays {
            guard let newColumn = connection.columnDeclaration(table: parent, column: column),
                  Affinity(declaredType: newColumn.type) == affinity, sameIdentifier(newColumn.collation, oldColumn.collation),
                  try connection.query("EXPLAIN QUERY PLAN SELECT 1 FROM main.\(p) AS n WHERE n.\(k) = ?", [.null], { $0.string(3) })
                    .contains(where: { $0.contains(" USING ") })
            else { return nil }
            // Usually no key went: the child is not read.
            guard try keysWent.any(old: aside, new: parent, column: column, integers: affinity == .integer, connection: connection)
            else { return 0 }
            went += " AND NOT EXISTS (SELECT 1 FROM main.\(p) AS n WHERE n.\(k) = o.\(k))"
        }
        return Int(try connection.scalar("SELECT count(*) FROM main.\(c) WHERE \(quoteIdentifier(from)) IN (\(went))")?.integer ?? 0)
    }

    /// A table's primary key columns in their declared order: what a foreign key with no
    /// column list refers to.
    private static func primaryKey(of table: String, connection: Connection) throws -> [String] {
        primaryKey(in: try declaredTypes(of: table, connection: connection))
    }

    private static func primaryKey(in columns: [(name: String, type: String, pk: Int)]) -> [String] {
        columns.filter { $0.pk > 0 }.sorted { $0.pk < $1.pk }.map(\.name)
    }

    /// Every row of `tables` that `PRAGMA foreign_key_check` reports.
    static func violationCount(in connection: Connection, tables: Set<String>) throws -> Int {
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
                : primaryKey(in: parentColumns)
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
