import Foundation
import StrataCSQLite

/// SQLite's default VFS with one change: a rollback journal that Strata keeps between commits
/// (`PersistentJournal`) is reopened without `O_CREAT`.
///
/// Why: SQLite syncs the folder after the first sync of every journal it opened with
/// `SQLITE_OPEN_CREATE`, to make a new file's name durable; it cannot tell a new file from an
/// existing one. A kept journal is still reopened at every transaction (the pager closes it
/// whenever the database lock drops), so each migration paid a folder sync for a name that
/// was durable already: a fifth `fdatasync` per commit, ~14 ms of 240 for 200 migrations
/// (Docs/benchmarks.md). Opening the existing file without `O_CREAT` is all that changes: the
/// journal is written, synced and zeroed exactly as before.
///
/// Only paths `keep(journalOf:)` registered are opened this way, and only when the file
/// exists; anything else (a journal another connection deleted in between, every journal of
/// a file Strata does not hold) is opened as SQLite asks, folder sync included. `keep` syncs
/// the folder once itself when the journal already exists, since nothing says whoever
/// created it did.
enum KeptJournalVFS {
    /// The name Strata's connections open files with (`sqlite3_open_v2`'s `zVfs`).
    static let name = "strata"

    /// Registers the VFS once, wrapping whatever SQLite's default VFS is at that moment;
    /// `false` when there is none (then connections use SQLite's default).
    static let isRegistered: Bool = {
        guard let base = defaultVFS else { return false }
        let vfs = UnsafeMutablePointer<sqlite3_vfs>.allocate(capacity: 1)
        // Every other method and field (pAppData included, which the unix VFS's own methods
        // read) stays the default VFS's.
        vfs.initialize(to: base.pointee)
        vfs.pointee.zName = UnsafePointer(strdup(name))
        vfs.pointee.pNext = nil
        vfs.pointee.xOpen = open
        return sqlite3_vfs_register(vfs, 0) == SQLITE_OK
    }()

    private nonisolated(unsafe) static let defaultVFS = sqlite3_vfs_find(nil)

    private static let open: @convention(c) (UnsafeMutablePointer<sqlite3_vfs>?, sqlite3_filename?,
                                             UnsafeMutablePointer<sqlite3_file>?, Int32, UnsafeMutablePointer<Int32>?) -> Int32 = {
        _, path, file, flags, outFlags in
        guard let base = defaultVFS else { return SQLITE_ERROR }
        if flags & SQLITE_OPEN_MAIN_JOURNAL != 0, flags & SQLITE_OPEN_CREATE != 0, let path,
           isKept(String(cString: path)),
           base.pointee.xOpen(base, path, file, flags & ~SQLITE_OPEN_CREATE, outFlags) == SQLITE_OK {
            return SQLITE_OK
        }
        // Not kept, or gone since (another connection in DELETE mode deleted it): as asked.
        return base.pointee.xOpen(base, path, file, flags, outFlags)
    }

    private static let kept = KeptPaths()

    /// From now on, opens `connection`'s rollback journal without `O_CREAT` while it exists.
    /// Returns the path to pass to `release`, or `nil` for a file with no journal path.
    static func keep(journalOf connection: Connection) -> String? {
        guard let database = sqlite3_db_filename(connection.handle, "main"), database.pointee != 0 else { return nil }
        let journal = String(cString: database) + "-journal"
        if FileManager.default.fileExists(atPath: journal) { syncFolder(of: journal) }
        kept.insert(journal)
        return journal
    }

    /// Back to SQLite's own behaviour for `journal`.
    static func release(_ journal: String) {
        kept.remove(journal)
    }

    static func isKept(_ journal: String) -> Bool { kept.contains(journal) }

    /// What SQLite does after creating a journal: makes its name durable.
    private static func syncFolder(of path: String) {
        let folder = (path as NSString).deletingLastPathComponent
        let descriptor = Foundation.open(folder.isEmpty ? "." : folder, O_RDONLY)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}

/// The journal paths `KeptJournalVFS` opens without `O_CREAT`: read by SQLite's open calls on
/// any thread, so behind a lock.
private final class KeptPaths: @unchecked Sendable {
    private let lock = NSLock()
    private var paths: [String: Int] = [:]

    /// Counted: two connections of one process may keep the same file's journal in turn.
    func insert(_ path: String) { lock.withLock { paths[path, default: 0] += 1 } }

    func remove(_ path: String) {
        lock.withLock {
            paths[path, default: 0] -= 1
            if paths[path] ?? 0 <= 0 { paths[path] = nil }
        }
    }

    func contains(_ path: String) -> Bool { lock.withLock { paths[path] != nil } }
}
