import Foundation

/// `restore --into PATH`: the database as it was at a revision (or as one snapshot holds it),
/// written to a new file, while the live database is only read — the service keeps running.
///
/// The live file is copied with SQLite's backup API in one consistent read, then the same
/// restore an in-place `restore` would run is run on the copy, so the side file equals what an
/// in-place restore would leave. It records its own `restore_completed` event and carries
/// `strata_version` at the target, so `strata current --database PATH` tells what it is.
public enum SideFileRestore {
    public enum Target: Sendable {
        case revision(String)
        case snapshot(Int64)
    }

    public static func restore(live livePath: String, into path: String, target: Target, migrations: MigrationSet,
                               overwrite: Bool = false, progress: SnapshotProgressHandler? = nil) throws -> Restorer.Report {
        guard !path.isEmpty else {
            throw StrataError(.usage, "The file to restore into is an empty path; give one (e.g. --into restored.db). Nothing was changed.")
        }
        let exists = FileManager.default.fileExists(atPath: path)
        if exists {
            guard overwrite else {
                throw StrataError(.usage, "'\(path)' already exists; pass --overwrite to replace it. Nothing was changed.")
            }
            // The same file by any spelling, or a link to it.
            if let side = FileIdentity(path), side == FileIdentity(livePath) {
                throw StrataError(.usage, "'\(path)' is the live database itself; restore into another file, or restore in place without --into. Nothing was changed.")
            }
        }
        let live = try SQLiteStore(path: livePath, readOnly: true)
        // Refuse a bad target before touching any file (chunks are checked on the copy).
        let check = Restorer(store: live, migrations: migrations)
        switch target {
        case .revision(let revision): _ = try check.plan(toRevision: revision)
        case .snapshot(let id): _ = try check.plan(snapshot: id)
        }
        if exists { removeDatabase(at: path) }
        do {
            let copy = try Connection(path: path)
            try live.connection.backup(into: copy)
            // The copy is private: a lock held by the live writer means nothing here.
            try copy.execute("DELETE FROM strata_lock")
        } catch {
            removeDatabase(at: path)
            throw StrataError(.io, "Could not copy '\(livePath)' to '\(path)': \(SQLiteStore.reason(error)). The live database was not changed.", cause: error)
        }
        do {
            let side = try SQLiteStore(path: path)
            side.progress = progress
            let restorer = Restorer(store: side, migrations: migrations)
            switch target {
            case .revision(let revision): return try restorer.restore(toRevision: revision)
            case .snapshot(let id): return try restorer.restore(snapshot: id)
            }
        } catch {
            // A half-made side file is worth nothing; the live database was never touched.
            removeDatabase(at: path)
            throw error
        }
    }

    /// Removes a database file and the files SQLite keeps beside it.
    private static func removeDatabase(at path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
