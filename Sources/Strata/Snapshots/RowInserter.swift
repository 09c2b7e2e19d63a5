import StrataCSQLite

/// Inserts a chunk's rows into a table, many rows per statement.
///
/// One INSERT per row makes SQLite open and close the table's and every index's cursor, and
/// finish a statement, once per row: about a third of the cost of inserting a short row. With
/// `INSERT … VALUES (…), (…), …` that happens once per batch. The rows of a chunk that do not
/// fill a last batch go in one at a time, so no statement outlives the chunk its values point
/// into.
struct RowInserter {
    /// At most 999 parameters per statement: the limit of SQLite builds before 3.32.
    static let maxParameters = 999
    static let maxRowsPerBatch = 64

    let columns: Int32
    let rowsPerBatch: Int
    private let batch: Statement
    private let single: Statement

    init(connection: Connection, table: String, columns names: [String]) throws {
        columns = Int32(names.count)
        rowsPerBatch = max(1, min(Self.maxRowsPerBatch, Self.maxParameters / names.count))
        let head = "INSERT INTO main.\(quoteIdentifier(table)) (\(names.map(quoteIdentifier).joined(separator: ", "))) VALUES "
        let row = "(" + Array(repeating: "?", count: names.count).joined(separator: ", ") + ")"
        batch = try connection.prepare(head + Array(repeating: row, count: rowsPerBatch).joined(separator: ", "))
        single = try connection.prepare(head + row)
    }

    /// Inserts every row of `chunk` (codec v1) and returns how many there were. Values are
    /// bound in place: when this returns, no statement refers to the chunk any more.
    func insert(chunk: UnsafeRawBufferPointer) throws -> Int64 {
        defer {
            sqlite3_clear_bindings(batch.handle)
            sqlite3_clear_bindings(single.handle)
        }
        var decoder = RowDecoder(chunk)
        var rows: Int64 = 0
        var bound = 0
        var batchStart = decoder
        while !decoder.isAtEnd {
            try decoder.bindRow(columns: columns, to: batch.handle, firstParameter: Int32(bound) * columns + 1)
            bound += 1
            if bound == rowsPerBatch {
                try run(batch)
                rows += Int64(bound)
                bound = 0
                batchStart = decoder
            }
        }
        // The rows of an unfilled batch, again from where it started, one by one.
        var rest = batchStart
        while !rest.isAtEnd {
            try rest.bindRow(columns: columns, to: single.handle, firstParameter: 1)
            try run(single)
            rows += 1
        }
        return rows
    }

    private func run(_ statement: Statement) throws {
        defer { sqlite3_reset(statement.handle) }
        try statement.step()
    }
}
