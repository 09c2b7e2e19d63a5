import Foundation

/// `archive export`: writes the log and the snapshots into a new, self-contained archive file
/// (ArchiveFormat), then records `archive_exported`; optionally prunes the snapshots it holds.
///
/// The copy runs under the writer lock, in one read transaction of the live database, so the
/// archive is one consistent state of the log. The archive does not hold its own
/// `archive_exported` event: that is appended afterwards, once the file is complete and named.
public final class ArchiveExporter {
    public struct Report: Sendable {
        /// The archive's absolute path.
        public var path: String
        public var sha256: String
        public var bytes: Int64
        public var events: Int64
        public var firstEventSeq: Int64
        public var lastEventSeq: Int64
        /// Snapshots whose chunk data the archive holds.
        public var snapshots: [Int64]
        public var chunks: Int64
        public var eventSeq: Int64
        /// Set with `prune: true`.
        public var pruned: SnapshotPruner.Report?
    }

    let store: SQLiteStore
    let options: MigratorOptions
    static let attachedName = "strata_archive_export"

    public init(store: SQLiteStore, options: MigratorOptions = .init()) {
        self.store = store
        self.options = options
    }

    @discardableResult
    public func export(to path: String, prune: Bool = false) throws -> Report {
        guard try store.connection.tableExists(StrataSchema.eventsTable), try store.log.last() != nil else {
            throw StrataError(.databaseState, "Database '\(store.location)' has no event log to archive (it was never migrated by Strata); nothing was written.")
        }
        // Refuse a bad path before waiting for the lock.
        _ = try ArchiveFile.check(path)
        let pruner = try SnapshotPruner(store: store, options: options)
        return try pruner.migrator.whileLocked("archive export") { state in
            let file = try ArchiveFile.create(at: path)
            var report: Report
            do {
                report = try write(file)
                (report.sha256, report.bytes) = try ArchiveFile.sha256(of: file.temporaryPath)
                try file.publish()
            } catch {
                file.discard()
                throw error
            }
            do {
                report.eventSeq = try store.connection.transaction(.immediate) {
                    try store.log.append(NewEvent(.archiveExported, status: state.status, heads: state.heads, detail: [
                        "path": .string(report.path), "sha256": .string(report.sha256), "bytes": .int(report.bytes),
                        "events": .int(report.events), "first_seq": .int(report.firstEventSeq), "last_seq": .int(report.lastEventSeq),
                        "snapshots": .array(report.snapshots.map(JSONValue.int)), "chunks": .int(report.chunks),
                    ])).seq
                }
            } catch {
                // The log does not know this file: do not leave it looking like a recorded export.
                unlink(report.path)
                throw error
            }
            if prune {
                report.pruned = try pruner.pruneLocked(report.snapshots, heads: state.heads, status: state.status, detail: [
                    "archive": .string(report.path), "archive_sha256": .string(report.sha256),
                ])
            }
            return report
        }
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// An archive holds every snapshot's schema whole, as format v1 always did: the live file
    /// may store one as changes from another (`SchemaDelta`), which is resolved here.
    private func storeSchemasWhole(in archive: String) throws {
        let live = store.connection
        let deltas = try live.query("SELECT id, schema FROM \(archive).strata_snapshots ORDER BY id") { ($0.int64(0), $0.string(1)) }
            .filter { SchemaDelta.isDelta($0.1) }
        guard !deltas.isEmpty else { return }
        let catalog = SnapshotCatalog(connection: live)
        let update = try live.prepare("UPDATE \(archive).strata_snapshots SET schema = ? WHERE id = ?")
        for (id, stored) in deltas { try update.run([.text(try catalog.schemaJSON(id: id, stored: stored)), .integer(id)]) }
    }

    /// Fills the temporary file: creates the tables, copies the live ones, writes archive_meta.
    private func write(_ file: ArchiveFile) throws -> Report {
        do {
            let archive = try Connection(path: file.temporaryPath, mode: .readWrite)
            try archive.setJournalMode("delete")
            try archive.transaction(.immediate) { try archive.execute(ArchiveFormat.create) }
        }
        let live = store.connection
        let schema = Self.attachedName
        try live.execute("ATTACH DATABASE ? AS \(schema)", [.text(file.temporaryPath)])
        defer { try? live.execute("DETACH DATABASE \(schema)") }
        return try live.transaction(.deferred) {
            for table in ArchiveFormat.copiedTables {
                try live.execute("INSERT INTO \(schema).\(table.name) (\(table.columns)) SELECT \(table.columns) FROM main.\(table.name)")
            }
            try storeSchemasWhole(in: schema)
            let events = try live.query("SELECT count(*), min(seq), max(seq) FROM main.strata_events") {
                ($0.int64(0), $0.int64(1), $0.int64(2))
            }[0]
            let head = try live.scalar("SELECT hash FROM main.strata_events WHERE seq = ?", [.integer(events.2)])?.text ?? ""
            let snapshots = try live.query("SELECT id FROM main.strata_snapshots WHERE pruned_at IS NULL ORDER BY id") { $0.int64(0) }
            let snapshotCount = try live.scalar("SELECT count(*) FROM main.strata_snapshots")?.integer ?? 0
            let chunks = try live.scalar("SELECT count(*) FROM main.strata_snapshot_chunks")?.integer ?? 0
            let meta: [(String, String)] = [
                (ArchiveFormat.Key.format, ArchiveFormat.name),
                (ArchiveFormat.Key.formatVersion, String(ArchiveFormat.version)),
                (ArchiveFormat.Key.sourceDatabase, Self.absolute(store.location)),
                (ArchiveFormat.Key.exportedAt, Timestamp.string()),
                (ArchiveFormat.Key.exportedBy, EventActor.current.text),
                (ArchiveFormat.Key.firstEventSeq, String(events.1)),
                (ArchiveFormat.Key.lastEventSeq, String(events.2)),
                (ArchiveFormat.Key.eventCount, String(events.0)),
                (ArchiveFormat.Key.headHash, head),
                (ArchiveFormat.Key.snapshotIDs, JSONValue.array(snapshots.map(JSONValue.int)).text),
                (ArchiveFormat.Key.snapshotCount, String(snapshotCount)),
                (ArchiveFormat.Key.chunkCount, String(chunks)),
            ]
            let insert = try live.prepare("INSERT INTO \(schema).archive_meta (key, value) VALUES (?, ?)")
            for (key, value) in meta { try insert.run([.text(key), .text(value)]) }
            return Report(path: file.path, sha256: "", bytes: 0, events: events.0, firstEventSeq: events.1,
                          lastEventSeq: events.2, snapshots: snapshots, chunks: chunks, eventSeq: 0)
        }
    }
}
