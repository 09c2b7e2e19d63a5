import Foundation
import Testing
@testable import Strata

/// Runs generated migrations the way Strata's engine does (foreign keys off before BEGIN,
/// `foreign_key_check` before COMMIT, foreign keys back on after) and judges the outcome with
/// SQLite's own pragmas, independently of the introspection under test.
enum AutogenerateHarness {
    /// A fresh in-memory database holding `schema`.
    static func database(_ schema: String, rows: String = "") throws -> Connection {
        let connection = try Connection(path: ":memory:")
        try connection.execute(schema)
        try connection.execute(rows)
        try connection.setForeignKeys(true)
        return connection
    }

    /// Applies `sql` as the migrator does; fails the test on a foreign-key violation.
    static func apply(_ sql: String, to connection: Connection, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try connection.setForeignKeys(false)
        try connection.transaction(.immediate) {
            try connection.execute(sql)
            let violations = try connection.query("PRAGMA foreign_key_check") { "\($0.string(0)) row \($0.value(1)) → \($0.string(2))" }
            #expect(violations.isEmpty, "foreign_key_check: \(violations)\n\(sql)", sourceLocation: sourceLocation)
        }
        try connection.setForeignKeys(true)
        #expect(connection.foreignKeysEnabled, sourceLocation: sourceLocation)
    }

    /// The schema as SQLite's pragmas report it: `table_info`, `foreign_key_list`,
    /// `index_list` + `index_xinfo` (and the partial WHERE text), views and triggers by
    /// their tokens. Two databases with equal fingerprints have the same schema.
    static func fingerprint(_ connection: Connection) throws -> [String] {
        var lines: [String] = []
        let objects = try connection.query("""
            SELECT type, name, tbl_name, sql FROM sqlite_master
            WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, lower(name)
            """) { ($0.string(0), $0.string(1), $0.string(2), $0.optionalString(3) ?? "") }
        for (type, name, table, sql) in objects {
            let quoted = quoteLiteral(name)
            switch type {
            case "table":
                lines += try connection.query("SELECT cid, name, upper(type), \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(\(quoted))") {
                    "table \(name.lowercased()) column \($0.int(0)) \($0.string(1).lowercased()) \($0.string(2)) notnull=\($0.int(3)) default=\($0.optionalString(4) ?? "-") pk=\($0.int(5)) hidden=\($0.int(6))"
                }
                lines += try connection.query("SELECT \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list(\(quoted))") {
                    "table \(name.lowercased()) fk \($0.string(1).lowercased()) → \($0.string(0).lowercased())(\($0.optionalString(2)?.lowercased() ?? "")) update=\($0.string(3)) delete=\($0.string(4))"
                }.sorted()
                lines += try connection.query("SELECT name, \"unique\", origin, partial FROM pragma_index_list(\(quoted))") { row in
                    (row.string(0), "unique=\(row.int(1)) origin=\(row.string(2)) partial=\(row.int(3))")
                }.map { index, flags in
                    let keys = try connection.query("SELECT seqno, cid, name, \"desc\", coll, key FROM pragma_index_xinfo(\(quoteLiteral(index)))") {
                        "\($0.int(1)):\($0.optionalString(2)?.lowercased() ?? "expr"):\($0.int(3) == 1 ? "desc" : "asc"):\($0.string(4).lowercased()):\($0.int(5))"
                    }
                    let label = index.hasPrefix("sqlite_autoindex") ? "(automatic)" : index.lowercased()
                    return "table \(name.lowercased()) index \(label) \(flags) keys \(keys.joined(separator: " "))"
                }.sorted()
            case "index":
                if let range = sql.range(of: " WHERE ", options: [.caseInsensitive, .backwards]) {
                    lines.append("index \(name.lowercased()) where \(SQLTokenizer.normalized(String(sql[range.upperBound...])))")
                }
            default:
                lines.append("\(type) \(name.lowercased()) on \(table.lowercased()): \(SQLTokenizer.normalized(sql))")
            }
        }
        return lines
    }

    /// Every row of `table`, values of `columns` only, ordered by rowid.
    static func rows(_ connection: Connection, _ table: String, _ columns: [String]) throws -> [[SQLiteValue]] {
        guard !columns.isEmpty else { return [] }
        let list = columns.map(quoteIdentifier).joined(separator: ", ")
        return try connection.query("SELECT \(list) FROM \(quoteIdentifier(table)) ORDER BY rowid") { row in
            (0..<columns.count).map { row.value($0) }
        }
    }

    static func count(_ connection: Connection, _ table: String) throws -> Int64 {
        try connection.scalar("SELECT count(*) FROM \(quoteIdentifier(table))")?.integer ?? -1
    }

    /// The whole round trip on a pair of schemas: the upgrade turns A (with `rows`) into B,
    /// keeps the rows of every table both have (values of columns whose type affinity and
    /// nullability are unchanged), the live diff is then empty, and the downgrade turns B back
    /// into A. Returns the migration for further checks.
    @discardableResult
    static func roundTrip(_ a: String, _ b: String, rows: String = "", sourceLocation: SourceLocation = #_sourceLocation) throws -> GeneratedMigration {
        let database = try database(a, rows: rows)
        let schemaA = try DatabaseSchema(connection: database)
        let schemaB = try DatabaseSchema.load(sql: b, origin: "B")
        let expectedA = try fingerprint(database)
        let expectedB = try fingerprint(try self.database(b))
        let migration = GeneratedMigration(from: schemaA, to: schemaB, data: database)

        var kept: [(table: String, columns: [String], rows: [[SQLiteValue]], count: Int64)] = []
        for table in schemaA.tables {
            guard let target = schemaB.table(table.name) else { continue }
            let columns = table.columns.filter { column in
                guard let new = target.column(column.name) else { return false }
                return new.affinity == column.affinity && new.notNull == column.notNull && new.generated == .none && column.generated == .none
            }.map(\.name)
            kept.append((table.name, columns, try self.rows(database, table.name, columns), try count(database, table.name)))
        }

        try apply(migration.upgrade.sql, to: database, sourceLocation: sourceLocation)
        #expect(try fingerprint(database) == expectedB, "upgrade A → B:\n\(migration.upgrade.sql)", sourceLocation: sourceLocation)
        let remaining = SchemaDiff(from: try DatabaseSchema(connection: database), to: schemaB)
        #expect(remaining.isEmpty, "\(remaining.descriptions)", sourceLocation: sourceLocation)
        for table in kept {
            let count = try count(database, table.table), rows = try self.rows(database, table.table, table.columns)
            #expect(count == table.count, "rows of \(table.table)", sourceLocation: sourceLocation)
            #expect(rows == table.rows, "values of \(table.table) \(table.columns)\n\(migration.upgrade.sql)", sourceLocation: sourceLocation)
        }

        try apply(migration.downgrade.sql, to: database, sourceLocation: sourceLocation)
        #expect(try fingerprint(database) == expectedA, "downgrade B → A:\n\(migration.downgrade.sql)", sourceLocation: sourceLocation)
        #expect(SchemaDiff(from: try DatabaseSchema(connection: database), to: schemaA).isEmpty, sourceLocation: sourceLocation)
        return migration
    }
}
