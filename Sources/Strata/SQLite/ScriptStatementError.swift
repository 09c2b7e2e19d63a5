/// A statement of a multi-statement script failed to prepare or run.
public struct ScriptStatementError: Error, Sendable, CustomStringConvertible {
    /// 0-based index of the failing statement in the script.
    public var index: Int
    /// The failing statement (for a prepare error, the script text from that statement on).
    public var sql: String
    public var underlying: SQLiteError

    public var description: String {
        "statement \(index + 1) failed: \(underlying.message): \(SQLiteError.excerpt(sql))"
    }
}
