import StrataCSQLite

/// A prepared statement. Finalized when released; owned by the connection that prepared it,
/// and, like it, used from one thread at a time.
public final class Statement {
    let handle: OpaquePointer
    unowned let connection: Connection

    init(handle: OpaquePointer, connection: Connection) {
        self.handle = handle
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    /// A valid pointer for zero-length text and blobs (a null pointer would bind NULL).
    private static let emptyBytes: StaticString = ""

    /// The SQL text this statement was prepared from.
    public var sql: String { sqlite3_sql(handle).map { String(cString: $0) } ?? "" }

    /// Whether the statement makes no direct change to the database file
    /// (`sqlite3_stmt_readonly`).
    public var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    public func columnName(_ index: Int) -> String {
        sqlite3_column_name(handle, Int32(index)).map { String(cString: $0) } ?? ""
    }

    // MARK: Binding (1-based, as in SQLite)

    public func bind(_ values: [SQLiteValue]) throws {
        for (offset, value) in values.enumerated() { try bind(value, at: offset + 1) }
    }

    public func bind(_ value: SQLiteValue, at index: Int) throws {
        let position = Int32(index)
        let result: Int32
        switch value {
        case .null:
            result = sqlite3_bind_null(handle, position)
        case .integer(let integer):
            result = sqlite3_bind_int64(handle, position, integer)
        case .real(let double):
            result = sqlite3_bind_double(handle, position, double)
        case .text(let string):
            var string = string
            result = string.withUTF8 { bytes in
                // An empty string must stay '' rather than become NULL: never pass a null pointer.
                let start = bytes.baseAddress ?? Statement.emptyBytes.utf8Start
                return start.withMemoryRebound(to: CChar.self, capacity: max(bytes.count, 1)) {
                    strata_sqlite3_bind_text_transient(handle, position, $0, Int32(bytes.count))
                }
            }
        case .blob(let bytes):
            // A zero-length blob must stay a blob, not become NULL: bind a non-null pointer.
            result = bytes.withUnsafeBytes { raw in
                strata_sqlite3_bind_blob_transient(
                    handle, position, raw.baseAddress ?? UnsafeRawPointer(Statement.emptyBytes.utf8Start), Int32(raw.count))
            }
        }
        try connection.check(result, sql: sql)
    }

    /// Clears bindings and rewinds, ready to run again.
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    // MARK: Stepping

    /// Advances one row: `true` when a row is available, `false` when done.
    @discardableResult
    public func step() throws -> Bool {
        var failedFirst: ContinuousClock.Instant?  // read only on failure: a step per row is hot
        while true {
            let result = sqlite3_step(handle)
            switch result {
            case SQLITE_ROW: return true
            case SQLITE_DONE: return false
            default:
                let error = SQLiteError(db: connection.handle, resultCode: result, sql: sql)
                sqlite3_reset(handle)
                // Only a first step can meet a journal that looks hot (taking the read lock), so
                // stepping again after the reset starts no row over.
                let since = failedFirst ?? ContinuousClock.now
                failedFirst = since
                if connection.waitsOutFalseHotJournal(error.extendedCode, since: since) { continue }
                throw error
            }
        }
    }

    /// Runs the statement to completion, ignoring any rows.
    public func run(_ values: [SQLiteValue] = []) throws {
        if !values.isEmpty { try bind(values) }
        defer { reset() }
        while try step() {}
    }

    /// Runs the statement and calls `body` for each row.
    public func forEachRow(_ values: [SQLiteValue] = [], _ body: (Row) throws -> Void) throws {
        if !values.isEmpty { try bind(values) }
        defer { reset() }
        while try step() { try body(Row(statement: self)) }
    }

    /// Runs the statement and collects every row with `transform`.
    public func rows<T>(_ values: [SQLiteValue] = [], _ transform: (Row) throws -> T) throws -> [T] {
        var result: [T] = []
        try forEachRow(values) { result.append(try transform($0)) }
        return result
    }
}

/// The current row of a stepping statement. Valid only until the next step.
/// Do not keep it past the closure it was handed to.
public struct Row {
    let statement: Statement

    public var count: Int { statement.columnCount }

    public func isNull(_ index: Int) -> Bool {
        sqlite3_column_type(statement.handle, Int32(index)) == SQLITE_NULL
    }

    /// Whether the value is stored as an integer (not NULL, real, text or blob).
    public func isInteger(_ index: Int) -> Bool {
        sqlite3_column_type(statement.handle, Int32(index)) == SQLITE_INTEGER
    }

    public func int64(_ index: Int) -> Int64 { sqlite3_column_int64(statement.handle, Int32(index)) }
    public func int(_ index: Int) -> Int { Int(int64(index)) }
    public func double(_ index: Int) -> Double { sqlite3_column_double(statement.handle, Int32(index)) }

    public func string(_ index: Int) -> String {
        guard let text = sqlite3_column_text(statement.handle, Int32(index)) else { return "" }
        let length = Int(sqlite3_column_bytes(statement.handle, Int32(index)))
        return String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self)
    }

    public func optionalString(_ index: Int) -> String? { isNull(index) ? nil : string(index) }

    /// A text column's UTF-8 bytes in SQLite's own buffer, `nil` for NULL; valid only until
    /// the next step (or another conversion of this column).
    func textBytes(_ index: Int) -> UnsafeBufferPointer<UInt8>? {
        // `sqlite3_column_text` is NULL for a NULL value (and when out of memory, which the
        // former `isNull` check answered the same way): no separate type lookup.
        guard let text = sqlite3_column_text(statement.handle, Int32(index)) else { return nil }
        return UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement.handle, Int32(index))))
    }

    public func blob(_ index: Int) -> [UInt8] {
        let length = Int(sqlite3_column_bytes(statement.handle, Int32(index)))
        guard length > 0, let bytes = sqlite3_column_blob(statement.handle, Int32(index)) else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: length))
    }

    public func value(_ index: Int) -> SQLiteValue {
        switch sqlite3_column_type(statement.handle, Int32(index)) {
        case SQLITE_NULL: .null
        case SQLITE_INTEGER: .integer(int64(index))
        case SQLITE_FLOAT: .real(double(index))
        case SQLITE_BLOB: .blob(blob(index))
        default: .text(string(index))
        }
    }
}
