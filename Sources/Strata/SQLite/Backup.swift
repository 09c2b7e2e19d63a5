import StrataCSQLite

extension Connection {
    /// Copies this connection's main database into `destination` with SQLite's online backup
    /// API, in one step: "sqlite3_backup_step() obtains a shared lock on the source database
    /// that is held for the duration of the call", so the copy is one consistent read. In WAL
    /// mode that read does not block writers; in rollback-journal mode writers wait for it.
    public func backup(into destination: Connection) throws {
        guard let backup = sqlite3_backup_init(destination.handle, "main", handle, "main") else {
            throw SQLiteError(db: destination.handle, resultCode: sqlite3_errcode(destination.handle))
        }
        var result: Int32
        repeat {
            result = sqlite3_backup_step(backup, -1)
            // "If SQLITE_BUSY or SQLITE_LOCKED is returned, the call can be retried later."
            if result == SQLITE_BUSY || result == SQLITE_LOCKED { sqlite3_sleep(20) }
        } while result == SQLITE_OK || result == SQLITE_BUSY || result == SQLITE_LOCKED
        let finish = sqlite3_backup_finish(backup)
        guard result == SQLITE_DONE, finish == SQLITE_OK else {
            throw SQLiteError(db: destination.handle, resultCode: result == SQLITE_DONE ? finish : result)
        }
    }
}
