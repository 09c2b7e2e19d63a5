import Foundation

/// Refuses a snapshot that cannot fit, before it starts, rather than failing half-way with
/// SQLITE_FULL: "how much is needed, how much is free".
enum DiskSpace {
    /// Bytes available to this user on the file system holding `path`.
    static func available(at path: String) -> Int64? {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { return nil }
        return Int64(stats.f_bavail) * Int64(stats.f_frsize)
    }

    /// Throws when dumping `table` would likely not fit. The cheap test comes first: a file
    /// whose whole size fits twice into the free space needs no closer look. Otherwise the
    /// table's pages are counted (`dbstat`): its dump is at most about that size, and in WAL
    /// mode it is written twice (the WAL, then the checkpoint).
    static func ensureRoom(toDump table: String, connection: Connection) throws {
        let path = connection.path
        guard !path.hasPrefix("file:"), path != ":memory:" else { return }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard let free = available(at: folder) else { return }
        let pageSize = try connection.scalar("PRAGMA page_size")?.integer ?? 4096
        let pages = try connection.scalar("PRAGMA page_count")?.integer ?? 0
        if pages * pageSize * 2 < free { return }
        let wal = try connection.journalMode() == "wal"
        let tableBytes = (try? connection.scalar("SELECT sum(pgsize) FROM dbstat('main') WHERE name = ?", [.text(table)])?.integer) ?? nil
        let needed = (tableBytes ?? pages * pageSize) * (wal ? 2 : 1)
        guard needed >= free else { return }
        throw StrataError(.io, "Not enough disk space to snapshot table '\(table)': about \(mebibytes(needed)) needed, \(mebibytes(free)) free in \(folder). Free some space, or run with --backup none (no undo for this migration).")
    }

    static func mebibytes(_ bytes: Int64) -> String {
        String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }
}
