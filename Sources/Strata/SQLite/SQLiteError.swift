import Foundation
import StrataCSQLite

/// An error reported by SQLite: the primary and extended result codes, SQLite's own message,
/// and the SQL that was being prepared or run (if any).
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// The extended result code (`sqlite3_extended_errcode`).
    public var extendedCode: Int32
    /// SQLite's message (`sqlite3_errmsg`), e.g. "no such column: x".
    public var message: String
    /// The statement involved, if any.
    public var sql: String?
    /// Byte offset of the error in `sql`, when SQLite knows it (`sqlite3_error_offset`).
    public var offset: Int?

    /// The primary result code (`SQLITE_BUSY`, `SQLITE_CONSTRAINT`, ...).
    public var code: Int32 { extendedCode & 0xFF }

    public init(extendedCode: Int32, message: String, sql: String? = nil, offset: Int? = nil) {
        self.extendedCode = extendedCode
        self.message = message
        self.sql = sql
        self.offset = offset
    }

    /// Reads the last error of `db`.
    init(db: OpaquePointer?, resultCode: Int32, sql: String? = nil) {
        let extended = db.map { sqlite3_extended_errcode($0) } ?? resultCode
        let message = db.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite3_errstr(resultCode))
        let rawOffset = db.map { sqlite3_error_offset($0) } ?? -1
        self.init(extendedCode: extended == 0 ? resultCode : extended, message: message, sql: sql,
                  offset: rawOffset >= 0 ? Int(rawOffset) : nil)
    }

    public var isBusy: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }

    /// `isBusy` of `error`, thrown by a step (`SQLiteError`) or by `execute`, which reports the
    /// statement too (`ScriptStatementError`): `BEGIN IMMEDIATE` meeting another writer.
    static func isBusy(_ error: any Error) -> Bool {
        (error as? SQLiteError)?.isBusy ?? (error as? ScriptStatementError)?.underlying.isBusy ?? false
    }

    /// Busy, or, for a read-only connection to a rollback-journal file, a journal that looked
    /// hot: SQLite's check can see one while a writer is between transactions (the race its
    /// source calls ticket #3883; a read-write connection settles it under a lock, a read-only
    /// one reports `SQLITE_READONLY_ROLLBACK`), and more often right after a writer that keeps
    /// its journal (`PersistentJournal`) begins a transaction. Either way a reader looks again.
    public var isBusyForReader: Bool { isBusy || extendedCode == Self.readOnlyRollback }

    /// `SQLITE_READONLY_ROLLBACK`, a macro Swift does not import.
    static let readOnlyRollback: Int32 = SQLITE_READONLY | (3 << 8)

    /// `isBusyForReader` of `error`, thrown by a step (`SQLiteError`) or by preparing a
    /// statement, which reads the schema and so can meet the same lock (`ScriptStatementError`).
    static func isBusyForReader(_ error: any Error) -> Bool {
        (error as? SQLiteError)?.isBusyForReader ?? (error as? ScriptStatementError)?.underlying.isBusyForReader ?? false
    }

    public var isReadOnly: Bool { code == SQLITE_READONLY }
    public var isFull: Bool { code == SQLITE_FULL }
    public var isNotADatabase: Bool { code == SQLITE_NOTADB }

    public var description: String {
        var text = "\(message) (SQLite code \(extendedCode))"
        if let sql { text += " in: \(SQLiteError.excerpt(sql))" }
        return text
    }

    /// The first line(s) of a statement, shortened for error messages.
    public static func excerpt(_ sql: String, limit: Int = 160) -> String {
        let flat = sql.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
        return flat.count <= limit ? flat : String(flat.prefix(limit)) + "…"
    }
}
