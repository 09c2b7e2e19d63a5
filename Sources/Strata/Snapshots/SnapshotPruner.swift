/// Retention: deletes the chunk data of old snapshots while keeping everything that describes
/// them.
///
/// A pruned snapshot keeps its `strata_snapshots` row (with `pruned_at` set), its
/// `strata_snapshot_tables` rows and every event; only its `strata_snapshot_chunks` rows go.
/// Each prune appends one `snapshot_pruned` event in the same transaction, under the writer
/// lock. SQLite does not give freed pages back to the file system by itself: `VACUUM` does,
/// and Strata never runs it implicitly (it rewrites the whole file).
public final class SnapshotPruner {
    /// What one prune freed.
    public struct Report: Sendable {
        /// The snapshots whose chunk data was deleted, oldest first; empty when nothing was pruned.
        public var snapshots: [Int64] = []
        public var rows: Int64 = 0
        public var chunks: Int64 = 0
        /// Bytes of chunk data deleted (the stored, compressed size).
        public var storedBytes: Int64 = 0
        /// The `snapshot_pruned` event, when something was pruned.
        public var eventSeq: Int64?
    }

    let store: SQLiteStore
    let migrator: Migrator
    var catalog: SnapshotCatalog { SnapshotCatalog(connection: store.connection) }

    public init(store: SQLiteStore, options: MigratorOptions = .init()) throws {
        self.store = store
        // The writer lock and its recovery live in Migrator; pruning needs no scripts.
        self.migrator = Migrator(store: store, migrations: try MigrationSet(scripts: []), options: options)
    }

    /// The snapshots `prune(keep:)` would prune: every snapshot holding chunk data except the
    /// newest `keep` by id (pruned ones count among the newest, so `--keep` means ids).
    public func candidates(keep: Int) throws -> [Int64] {
        guard keep >= 0 else {
            throw StrataError(.usage, "--keep must be 0 or more (it was \(keep)); nothing was pruned.")
        }
        let all = try catalog.all()
        return all.dropLast(min(keep, all.count)).filter { $0.prunedAt == nil }.map(\.id)
    }

    /// Prunes all but the newest `keep` snapshots. With nothing to prune, writes nothing.
    @discardableResult
    public func prune(keep: Int) throws -> Report {
        guard try !candidates(keep: keep).isEmpty else { return Report() }
        return try migrator.whileLocked("prune") { state in
            try pruneLocked(try candidates(keep: keep), heads: state.heads, status: state.status,
                            detail: ["keep": .int(Int64(keep))])
        }
    }

    /// Prunes the given snapshots (those not pruned yet); `detail` is merged into the event's.
    /// With nothing to prune, writes nothing.
    @discardableResult
    public func prune(snapshots ids: [Int64], detail: [String: JSONValue] = [:]) throws -> Report {
        try migrator.whileLocked("prune") { state in
            try pruneLocked(ids, heads: state.heads, status: state.status, detail: detail)
        }
    }

    /// The body of a prune, for callers that already hold the writer lock.
    func pruneLocked(_ ids: [Int64], heads: [String], status: WriterStatus, detail: [String: JSONValue]) throws -> Report {
        let connection = store.connection
        return try connection.transaction(.immediate) {
            var report = Report()
            for id in Set(ids).sorted() {
                // Re-read inside the transaction: another prune may have come first.
                guard let snapshot = try catalog.snapshot(id), snapshot.prunedAt == nil else { continue }
                let freed = try connection.query(
                    "SELECT count(*), coalesce(sum(length(data)), 0) FROM strata_snapshot_chunks WHERE snapshot_id = ?",
                    [.integer(id)]) { ($0.int64(0), $0.int64(1)) }[0]
                try connection.execute("DELETE FROM strata_snapshot_chunks WHERE snapshot_id = ?", [.integer(id)])
                try connection.execute("UPDATE strata_snapshots SET pruned_at = ? WHERE id = ?",
                                       [.text(Timestamp.string()), .integer(id)])
                report.snapshots.append(id)
                report.rows += snapshot.rows
                report.chunks += freed.0
                report.storedBytes += freed.1
            }
            guard !report.snapshots.isEmpty else { return report }
            var members: [String: JSONValue] = [
                "snapshots": .array(report.snapshots.map(JSONValue.int)), "rows": .int(report.rows),
                "chunks": .int(report.chunks), "stored_bytes": .int(report.storedBytes),
            ]
            for (key, value) in detail { members[key] = value }
            let event = try store.log.append(NewEvent(.snapshotPruned, status: status, heads: heads, detail: .object(members)))
            report.eventSeq = event.seq
            return report
        }
    }
}
