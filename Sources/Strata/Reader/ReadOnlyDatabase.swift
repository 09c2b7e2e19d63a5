import Dispatch
import Foundation

/// A reader's view of a database file: one read-only connection, opened once the file exists
/// and kept open, so `PRAGMA data_version` can tell whether another connection committed since
/// the last look.
///
/// "The integer values returned by two invocations of "PRAGMA data_version" from the same
/// connection will be different if changes were committed to the database by any other
/// connection in the interim." A wake-up that changed nothing (another file in the folder, a
/// poll tick) then costs one pragma, not a read of the log.
///
/// Not Sendable, like `Connection`: used from one serial queue (`ReaderQueue`).
final class ReadOnlyDatabase {
    let path: String
    private(set) var connection: Connection?
    private var seenDataVersion: Int64?
    private var openedFile: FileIdentity?
    /// How many times a file was opened: a new count after the first means the file at `path`
    /// was replaced (deleted and created again), so its log starts over.
    private(set) var opens = 0

    /// No waiting on a writer's lock inside SQLite: in rollback-journal mode a committing writer
    /// briefly locks readers out, and SQLite's busy handler sleeps in growing steps (up to
    /// 100 ms) that would delay the reader past the commit and hold up cancellation. The reader
    /// gets `SQLITE_BUSY` at once and looks again on its own short schedule (`Rechecks`).
    static let busyTimeout: Duration = .zero

    init(path: String) { self.path = path }

    /// The connection, opened if the file now exists; `nil` while there is no file.
    func open() throws -> Connection? {
        let isURI = path.hasPrefix("file:")
        let file = isURI ? nil : FileIdentity(path)
        if let connection {
            // A file deleted and created again (a reset database) is a new database: the open
            // connection would keep reading the old, unlinked one.
            if isURI || file == openedFile { return connection }
            self.connection = nil
        }
        guard isURI || file != nil else { return nil }
        openedFile = file
        do {
            connection = try Connection(path: path, mode: .readOnly, busyTimeout: Self.busyTimeout)
        } catch let error as SQLiteError where error.isBusyForReader {
            throw error
        } catch let error as SQLiteError {
            if replacedDuringOpen(file) { return nil }
            throw StrataError(.io, "Cannot open database '\(path)' to read: \(error.message).", cause: error)
        } catch let error as ScriptStatementError where error.underlying.isBusyForReader {
            throw error.underlying
        } catch let error as ScriptStatementError {
            if replacedDuringOpen(file) { return nil }
            throw StrataError(.io, "Cannot open database '\(path)' to read: \(error.underlying.message).", cause: error.underlying)
        }
        seenDataVersion = nil
        opens += 1
        return connection
    }

    /// Whether the file was deleted or replaced between the look before opening and the open
    /// (a reset under way), which made the open fail: no file yet, as far as this look can
    /// tell. The new file's creation wakes the reader, and the next look opens it.
    private func replacedDuringOpen(_ file: FileIdentity?) -> Bool {
        guard !path.hasPrefix("file:"), FileIdentity(path) != file else { return false }
        openedFile = nil
        return true
    }

    /// Whether another connection may have committed since the last call that returned `true`
    /// (always `true` right after opening). Read before the state, so a commit between the two
    /// is seen again next time rather than missed.
    func changedSinceLastLook() throws -> Bool {
        guard let connection else { return true }
        let version = try connection.dataVersion()
        defer { seenDataVersion = version }
        return seenDataVersion != version
    }

    /// Makes the next `changedSinceLastLook` answer `true`: the look it allowed did not finish.
    func forgetLastLook() { seenDataVersion = nil }

    /// Runs `body` if another connection committed since the last look (or `force`); a failed
    /// look is retried on the next call.
    func ifChanged<T>(force: Bool, _ body: (Connection) throws -> T) throws -> T? {
        guard let connection, try changedSinceLastLook() || force else { return nil }
        do {
            return try connection.transaction(.deferred) { try body(connection) }
        } catch {
            forgetLastLook()
            throw error
        }
    }

    func tableExists(_ name: String) throws -> Bool {
        guard let connection else { return false }
        return try connection.tableExists(name)
    }
}

/// The serial queue a reader's blocking SQLite work runs on, off Swift concurrency's cooperative
/// threads, with the `ReadOnlyDatabase` it owns.
final class ReaderQueue: @unchecked Sendable {
    private let queue = DispatchQueue(label: "strata.reader")
    // Touched only on `queue`.
    private let database: ReadOnlyDatabase

    init(path: String) { database = ReadOnlyDatabase(path: path) }

    func run<T: Sendable>(_ work: @escaping @Sendable (ReadOnlyDatabase) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work(self.database) }) }
        }
    }
}

/// Device and inode of a file: which file a path names right now.
struct FileIdentity: Equatable {
    var device: UInt64
    var inode: UInt64

    init?(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}
