import Foundation

/// Streams a snapshot's rows out without restoring anything: as SQL the sqlite3 shell loads
/// (`.dump` style), as RFC 4180 CSV with a header row, or as JSON Lines. Blobs are hex in CSV
/// and JSON. Memory holds one chunk at a time.
public struct SnapshotExport {
    public enum Format: String, Sendable, CaseIterable {
        case sql, csv, json
    }

    let catalog: SnapshotCatalog

    public init(connection: Connection) { catalog = SnapshotCatalog(connection: connection) }

    /// Writes the snapshot's rows (every recorded table, or only `table`) to `write`, at most
    /// `limit` rows per table. SQL output also carries each table's CREATE statement and its
    /// indexes and triggers, from the snapshot's schema.
    public func export(snapshot id: Int64, table: String? = nil, format: Format, limit: Int64? = nil,
                       write: (String) throws -> Void) throws {
        // Before anything is read: checking the snapshot's chunks reads all of them.
        if let limit, limit < 0 {
            throw StrataError(.usage, "--limit must be 0 or more (got \(limit)).")
        }
        guard let snapshot = try catalog.snapshot(id) else {
            throw StrataError(.usage, "There is no snapshot \(id); 'strata snapshots' lists them.")
        }
        try catalog.verify(snapshot)
        var tables = snapshot.tables.filter(\.existed)
        if let table {
            tables = tables.filter { $0.name == table }
            guard !tables.isEmpty else {
                let names = snapshot.tables.filter(\.existed).map(\.name).joined(separator: ", ")
                throw StrataError(.usage, "Snapshot \(id) holds no rows of table '\(table)' (it holds: \(names.isEmpty ? "none" : names)).")
            }
        } else if format != .sql, tables.count != 1 {
            // A CSV file or a JSON Lines stream holds rows of one shape.
            let names = tables.isEmpty ? "no table with rows" : tables.map(\.name).joined(separator: ", ")
            throw StrataError(.usage, "\(format == .csv ? "CSV" : "JSON Lines") holds one table: pass --table (snapshot \(id) holds \(names)).")
        }
        let schema = try catalog.schema(of: snapshot)
        if format == .sql { try write("PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n") }
        for table in tables {
            switch format {
            case .sql:
                if let create = schema.table(table.name)?.sql { try write(create + ";\n") }
            case .csv:
                try write(table.columns.map(Self.csvField).joined(separator: ",") + "\r\n")
            case .json:
                break
            }
            var written: Int64 = 0
            try catalog.forEachChunk(snapshot: id, table: table.name) { raw, _ in
                var decoder = RowDecoder(raw)
                while !decoder.isAtEnd {
                    let values = try table.columns.map { _ in try decoder.valueKeepingBytes() }
                    if let limit, written >= limit { continue }
                    written += 1
                    if format == .sql {
                        // Text that is not valid UTF-8 goes out as its bytes, so it loads back exactly.
                        let literals = values.map { $0.invalidText.map(Self.castText) ?? Self.sqlLiteral($0.value) }
                        try write(Self.insert(literals, columns: table.columns, table: table.name))
                    } else {
                        try write(Self.render(values.map(\.value), columns: table.columns, table: table.name, format: format))
                    }
                }
            }
            if format == .sql {
                for entry in schema.entries where entry.table == table.name && entry.type != "table" && entry.sql != nil {
                    try write(entry.sql! + ";\n")
                }
            }
        }
        if format == .sql { try write("COMMIT;\n") }
    }

    static func render(_ values: [SQLiteValue], columns: [String], table: String, format: Format) -> String {
        switch format {
        case .sql:
            return insert(values.map(sqlLiteral), columns: columns, table: table)
        case .csv:
            return values.map { value in
                switch value {
                case .null: ""
                case .blob(let bytes): Hex.lowercase(bytes)
                case .real(let double): realText(double)
                case .integer(let integer): String(integer)
                case .text(let text): csvField(text)
                }
            }.joined(separator: ",") + "\r\n"
        case .json:
            var object: [String: JSONValue] = [:]
            for (column, value) in zip(columns, values) {
                object[column] = switch value {
                case .null: .null
                case .integer(let integer): .int(integer)
                case .real(let double): .double(double)
                case .text(let text): .string(text)
                case .blob(let bytes): .string(Hex.lowercase(bytes))
                }
            }
            return JSONValue.object(object).text + "\n"
        }
    }

    static func insert(_ literals: [String], columns: [String], table: String) -> String {
        "INSERT INTO \(quoteIdentifier(table))(\(columns.map(quoteIdentifier).joined(separator: ","))) VALUES(\(literals.joined(separator: ",")));\n"
    }

    /// Text as its bytes, cast back to text: for bytes an SQL string literal cannot hold.
    static func castText(_ bytes: [UInt8]) -> String { "CAST(X'\(Hex.lowercase(bytes))' AS TEXT)" }

    /// A literal that reads back as the same value: 17 significant digits for doubles (so
    /// every bit survives), X'..' for blobs, and text with a NUL as a cast blob (an SQL string
    /// literal cannot hold NUL).
    static func sqlLiteral(_ value: SQLiteValue) -> String {
        switch value {
        case .null: return "NULL"
        case .integer(let integer): return String(integer)
        case .real(let double):
            if double.isNaN { return "NULL" }
            if double.isInfinite { return double < 0 ? "-1e999" : "1e999" }
            return realText(double)
        case .blob(let bytes): return "X'\(Hex.lowercase(bytes))'"
        case .text(let text):
            if text.utf8.contains(0) { return castText(Array(text.utf8)) }
            return quoteLiteral(text)
        }
    }

    /// Shortest text that parses back to the same double, always with a '.' or exponent so
    /// SQL reads it as REAL.
    static func realText(_ double: Double) -> String {
        let text = "\(double)"
        return text.contains(".") || text.contains("e") || text.contains("n") ? text : text + ".0"
    }

    /// RFC 4180: quoted when it holds a comma, quote, CR or LF (or is empty, to tell '' from NULL).
    static func csvField(_ text: String) -> String {
        guard text.isEmpty || text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else {
            return text
        }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
