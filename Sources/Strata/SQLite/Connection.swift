import Foundation
import StrataCSQLite

/// One SQLite connection, owned and thin.
///
/// Not Sendable: like GRDB's `Database`, a connection is used from one task or thread at a
/// time (opened with `SQLITE_OPEN_NOMUTEX`); share it only by handing it over.
public final class Connection {
    public enum Mode: Sendable {
        /// Read and write; create the file if it does not exist.
        case readWriteCreate
        /// Read and write an existing file.
        case readWrite
        /// Read only (a reader process, or inspection).
        case readOnly
    }

    /// The file path (or URI) this connection was opened on.
    public let path: String
    let handle: OpaquePointer
    var authorizer: AuthorizerBox?
    /// Called with every statement `forEachStatement` prepares, before it is handed out to run:
    /// the moment to act on what the authorizer just reported (a snapshot dumps the tables the
    /// statement will write). Statements prepared by the observer itself are not observed.
    var preparedStatementObserver: ((Statement) throws -> Void)?
    /// The last schema capture's JSON, row by row (`SchemaCapture.storedText`): kept with the
    /// connection because consecutive snapshots of one run see mostly the same rows, and the
    /// next snapshot stores its schema as the changes from that one's.
    var schemaFragments = SchemaJSONFragments()
    /// How long a statement waits on another connection's lock (`sqlite3_busy_timeout`), and
    /// on a journal that only looks hot (`waitsOutFalseHotJournal`).
    let busyTimeout: Duration

    /// Opens `path`. `busyTimeout` is how long a statement waits on another connection's lock
    /// before failing with `SQLITE_BUSY`.
    public init(path: String, mode: Mode = .readWriteCreate, busyTimeout: Duration = .seconds(5)) throws {
        Self.configureSQLite
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        switch mode {
        case .readWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readWrite: flags |= SQLITE_OPEN_READWRITE
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        }
        var db: OpaquePointer?
        let result = sqlite3_open_v2(path, &db, flags, KeptJournalVFS.isRegistered ? KeptJournalVFS.name : nil)
        guard result == SQLITE_OK, let db else {
            // "Whether or not an error occurs when it is opened, resources associated with the
            // database connection handle should be released by passing it to sqlite3_close()."
            let error = SQLiteError(db: db, resultCode: result)
            sqlite3_close_v2(db)
            throw error
        }
        self.path = path
        self.handle = db
        self.busyTimeout = busyTimeout
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, Int32(clamping: busyTimeout.milliseconds))
        // A snapshot inserted in a transaction that rolls back was never stored: the next
        // schema capture must not be a delta from it (`SchemaJSONFragments.snapshotID`).
        sqlite3_rollback_hook(db, { context in
            Unmanaged<Connection>.fromOpaque(context!).takeUnretainedValue().schemaFragments.snapshotID = nil
        }, Unmanaged.passUnretained(self).toOpaque())
        // Opening never reads the file; this does, so a file that is not a database fails here
        // with SQLITE_NOTADB instead of in the middle of an operation. A lock another
        // connection holds longer than the busy timeout is not a failure to open: the caller
        // meets it again at its first read, and decides how long to wait.
        do {
            try execute("PRAGMA schema_version")
        } catch where SQLiteError.isBusy(error) {}
    }

    /// Process-wide settings, made once before the first connection opens (SQLite accepts
    /// them only before it initialises; if something else in the process opened a database
    /// first, they are simply not applied). Without memory statistics, SQLite's allocations
    /// skip a global mutex: ~7% of the instructions of a 200-migration upgrade.
    private static let configureSQLite: Void = {
        _ = strata_sqlite3_config_no_memstatus()
    }()

    deinit {
        // close_v2 defers the close until outstanding statements are finalized, and may roll
        // back then: the hook must not outlive this object.
        sqlite3_rollback_hook(handle, nil, nil)
        sqlite3_close_v2(handle)
    }

    func check(_ result: Int32, sql: String? = nil) throws {
        guard result == SQLITE_OK || result == SQLITE_ROW || result == SQLITE_DONE else {
            throw SQLiteError(db: handle, resultCode: result, sql: sql)
        }
    }

    // MARK: Statements

    /// Prepares one statement. Text after the first statement is an error, so nothing is
    /// silently skipped.
    public func prepare(_ sql: String) throws -> Statement {
        var statement: Statement?
        try forEachStatement(in: sql) { prepared, index in
            guard index == 0 else {
                throw SQLiteError(extendedCode: SQLITE_MISUSE, message: "more than one statement given where one is expected", sql: sql)
            }
            statement = prepared
        }
        guard let statement else {
            throw SQLiteError(extendedCode: SQLITE_MISUSE, message: "no statement to prepare", sql: sql)
        }
        return statement
    }

    /// Runs one statement with bound values, or a whole script (without values).
    public func execute(_ sql: String, _ values: [SQLiteValue] = []) throws {
        if values.isEmpty {
            try forEachStatement(in: sql) { statement, _ in try statement.run() }
        } else {
            try prepare(sql).run(values)
        }
    }

    /// Rows of one query, mapped by `transform`.
    public func query<T>(_ sql: String, _ values: [SQLiteValue] = [], _ transform: (Row) throws -> T) throws -> [T] {
        try prepare(sql).rows(values, transform)
    }

    /// The first column of the first row, or `nil` when there is no row.
    public func scalar(_ sql: String, _ values: [SQLiteValue] = []) throws -> SQLiteValue? {
        try query(sql, values) { $0.value(0) }.first
    }

    /// Splits `sql` into statements the way SQLite itself does (prepare, run, then prepare the
    /// tail), so trigger bodies, string literals and comments containing `;` or `--` are
    /// handled by SQLite's own tokenizer. Each statement is prepared only after the previous one
    /// ran, because it may depend on schema the previous one created. Comment-only text between
    /// statements is skipped. `body` gets the statement and its 0-based index.
    public func forEachStatement(in sql: String, _ body: (Statement, Int) throws -> Void) throws {
        var failure: (any Error)?
        sql.withCString { start in
            let end = start + strlen(start)
            var cursor = start
            var index = 0
            while cursor < end {
                var prepared: OpaquePointer?
                var tail: UnsafePointer<CChar>?
                // Preparing reads the schema, so it can meet a journal that looks hot too.
                var result = sqlite3_prepare_v2(handle, cursor, Int32(end - cursor), &prepared, &tail)
                if result != SQLITE_OK {
                    let failedFirst = ContinuousClock.now
                    while result != SQLITE_OK && waitsOutFalseHotJournal(sqlite3_extended_errcode(handle), since: failedFirst) {
                        result = sqlite3_prepare_v2(handle, cursor, Int32(end - cursor), &prepared, &tail)
                    }
                }
                guard result == SQLITE_OK else {
                    let remaining = String(cString: cursor)
                    failure = ScriptStatementError(index: index, sql: remaining,
                                                   underlying: SQLiteError(db: handle, resultCode: result, sql: remaining))
                    return
                }
                guard let prepared else { return }  // only white space or comments were left
                cursor = tail ?? end
                let statement = Statement(handle: prepared, connection: self)
                do {
                    if let observer = preparedStatementObserver {
                        preparedStatementObserver = nil
                        defer { preparedStatementObserver = observer }
                        try observer(statement)
                    }
                    try body(statement, index)
                } catch let error as SQLiteError {
                    failure = ScriptStatementError(index: index, sql: statement.sql, underlying: error)
                    return
                } catch {
                    failure = error
                    return
                }
                index += 1
            }
        }
        if let failure { throw failure }
    }

    // MARK: State

    /// Whether a transaction is open (`sqlite3_get_autocommit` is 0).
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Whether the main database was opened read-only (by request, or because the file or its
    /// folder cannot be written).
    public var isReadOnly: Bool { sqlite3_db_readonly(handle, "main") == 1 }

    /// Rows changed by the most recent INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes64(handle)) }

    /// `PRAGMA data_version`: changes when another connection commits to the file.
    public func dataVersion() throws -> Int64 {
        try scalar("PRAGMA data_version")?.integer ?? 0
    }

    /// Whether the main database has a table called exactly `name`: how every reader tells a
    /// file Strata has not written yet (no `strata_*` tables) from one it has.
    func tableExists(_ name: String) throws -> Bool {
        try scalar("SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = ?", [.text(name)]) != nil
    }

    /// Whether SQLite's in-memory schema of `main` has a table (not a view) of this name, ASCII
    /// case ignored as SQLite resolves names: a hash lookup, no statement. `false` means
    /// `tableExists` is false too; `nil` means SQLite could not say (ask `tableExists`).
    func hasTable(named name: String) -> Bool? {
        switch sqlite3_table_column_metadata(handle, "main", name, nil, nil, nil, nil, nil, nil) {
        case SQLITE_OK: true
        case SQLITE_ERROR: sqlite3_errmsg(handle).map { String(cString: $0).hasPrefix("no such table") } == true ? false : nil
        default: nil
        }
    }

    /// A column's declared type and collating sequence, from SQLite's in-memory schema of
    /// `main` (`nil` when there is no such table or column).
    func columnDeclaration(table: String, column: String) -> (type: String, collation: String)? {
        var type: UnsafePointer<CChar>?
        var collation: UnsafePointer<CChar>?
        guard sqlite3_table_column_metadata(handle, "main", table, column, &type, &collation, nil, nil, nil) == SQLITE_OK
        else { return nil }
        return (type.map { String(cString: $0) } ?? "", collation.map { String(cString: $0) } ?? "BINARY")
    }

    /// Whether the table's rowid is an INTEGER PRIMARY KEY declared AUTOINCREMENT (SQLite's
    /// in-memory schema of `main` says so about the column named "rowid"; `false` when there
    /// is no such table).
    func isAutoincrement(table: String) -> Bool {
        var autoincrement: Int32 = 0
        guard sqlite3_table_column_metadata(handle, "main", table, "rowid", nil, nil, nil, nil, &autoincrement) == SQLITE_OK
        else { return false }
        return autoincrement != 0
    }

    /// Whether a statement that just failed with `extendedCode` should try again, after a
    /// short sleep. A read-only connection gets `SQLITE_READONLY_ROLLBACK` when SQLite's
    /// hot-journal check misfires as a writer begins a transaction (`SQLiteError.isBusyForReader`
    /// says why); SQLite's busy handler does not wait on that, so this does, for as long as the
    /// busy timeout would wait on a lock. A journal that really is hot (a writer died) stays so
    /// until a writer rolls it back, and the statement fails when the time is up, as before.
    func waitsOutFalseHotJournal(_ extendedCode: Int32, since start: ContinuousClock.Instant) -> Bool {
        guard extendedCode == SQLiteError.readOnlyRollback, ContinuousClock.now - start < busyTimeout else { return false }
        Thread.sleep(forTimeInterval: 0.002)
        return true
    }

    /// The journal mode (`wal`, `delete`, `truncate`, ...), lowercased.
    public func journalMode() throws -> String {
        (try scalar("PRAGMA journal_mode")?.text ?? "").lowercased()
    }

    /// Sets the journal mode; returns the mode SQLite reports afterwards.
    @discardableResult
    public func setJournalMode(_ mode: String) throws -> String {
        (try scalar("PRAGMA journal_mode = \(mode)")?.text ?? "").lowercased()
    }

    /// `PRAGMA foreign_keys`. "This pragma is a no-op within a transaction; foreign key
    /// constraint enforcement may only be enabled or disabled when there is no pending BEGIN
    /// or SAVEPOINT."
    public var foreignKeysEnabled: Bool {
        get { (try? scalar("PRAGMA foreign_keys")?.integer) == 1 }
    }

    public func setForeignKeys(_ enabled: Bool) throws {
        try execute("PRAGMA foreign_keys = \(enabled ? "ON" : "OFF")")
    }
}
