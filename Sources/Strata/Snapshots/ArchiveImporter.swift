/// `archive import`: brings back the chunk data of snapshots that are pruned in the live
/// database and held by an archive of that same database.
///
/// Nothing is trusted blindly: the archive passes every check of `archive inspect` first; it
/// must come from this database (its event chain is a prefix of the live one: same hash at its
/// last seq); each snapshot must match the live one by id, event (same hash), time, reason,
/// schema and table metadata. Only then, under the writer lock and in one transaction, are the
/// chunks copied, `pruned_at` cleared, each snapshot verified again from the live copy, and an
/// `archive_imported` event appended. A snapshot the live database still holds is left alone.
public final class ArchiveImporter {
    public struct Report: Sendable {
        public var archive: ArchiveReader.Info
        /// Snapshots whose data came back, oldest first.
        public var imported: [Int64] = []
        /// Snapshots the archive holds that the live database does not need (not pruned there).
        public var alreadyPresent: [Int64] = []
        public var rows: Int64 = 0
        public var chunks: Int64 = 0
        public var storedBytes: Int64 = 0
        public var eventSeq: Int64?
    }

    let store: SQLiteStore
    let options: MigratorOptions
    var catalog: SnapshotCatalog { SnapshotCatalog(connection: store.connection) }

    public init(store: SQLiteStore, options: MigratorOptions = .init()) {
        self.store = store
        self.options = options
    }

    @discardableResult
    public func importArchive(at path: String) throws -> Report {
        let reader = try ArchiveReader(path: path)
        let inspection = try reader.inspect()
        guard inspection.ok else {
            throw StrataError(.integrity, "Archive '\(path)' failed its checks: \(inspection.problems[0]) Nothing was imported.",
                              detail: inspection.problems.dropFirst().joined(separator: "\n"))
        }
        _ = try plan(reader, inspection.info)  // refuse before taking the lock
        let pruner = try SnapshotPruner(store: store, options: options)
        return try pruner.migrator.whileLocked("archive import") { state in
            var report = try plan(reader, inspection.info)
            guard !report.imported.isEmpty else { return report }
            let connection = store.connection
            try connection.transaction(.immediate) {
                let insert = try connection.prepare("""
                    INSERT INTO strata_snapshot_chunks (snapshot_id, name, chunk, rows, raw_size, encoding, crc32, data)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for id in report.imported {
                    try connection.execute("DELETE FROM strata_snapshot_chunks WHERE snapshot_id = ?", [.integer(id)])
                    // One chunk in memory at a time.
                    try reader.connection.prepare("""
                        SELECT name, chunk, rows, raw_size, encoding, crc32, data FROM strata_snapshot_chunks
                        WHERE snapshot_id = ? ORDER BY name, chunk
                        """).forEachRow([.integer(id)]) { row in
                        try insert.run([.integer(id), row.value(0), row.value(1), row.value(2), row.value(3),
                                        row.value(4), row.value(5), row.value(6)])
                        report.chunks += 1
                        report.storedBytes += Int64(row.blob(6).count)
                    }
                    try connection.execute("UPDATE strata_snapshots SET pruned_at = NULL WHERE id = ?", [.integer(id)])
                    guard let snapshot = try catalog.snapshot(id) else { continue }
                    try catalog.verify(snapshot)  // the copy as the live database now holds it
                    report.rows += snapshot.rows
                }
                report.eventSeq = try store.log.append(NewEvent(.archiveImported, status: state.status, heads: state.heads, detail: [
                    "path": .string(ArchiveExporter.absolute(path)), "sha256": .string(report.archive.sha256),
                    "snapshots": .array(report.imported.map(JSONValue.int)), "rows": .int(report.rows),
                    "chunks": .int(report.chunks), "stored_bytes": .int(report.storedBytes),
                ])).seq
            }
            return report
        }
    }

    /// Which snapshots to import; throws when the archive is not this database's.
    private func plan(_ reader: ArchiveReader, _ info: ArchiveReader.Info) throws -> Report {
        let path = reader.path
        guard try store.connection.tableExists(StrataSchema.eventsTable), let liveLast = try store.log.last() else {
            throw StrataError(.databaseState, "Database '\(store.location)' has no event log, so archive '\(path)' cannot be from it; nothing was imported.")
        }
        let foreign = "Archive '\(path)' comes from a different database (exported from '\(info.sourceDatabase)')"
        if info.lastEventSeq > liveLast.seq {
            throw StrataError(.databaseState, "\(foreign), or from a later state of this one: it holds \(info.lastEventSeq) events and this database only \(liveLast.seq); nothing was imported.")
        }
        for seq in Set([Int64(1), info.lastEventSeq]) {
            let archived = try Self.eventHash(reader.connection, seq)
            let live = try Self.eventHash(store.connection, seq)
            guard archived == live else {
                throw StrataError(.databaseState, "\(foreign): its event \(seq) has hash \(archived ?? "none") where this database's has \(live ?? "none"); nothing was imported.")
            }
        }
        var report = Report(archive: info)
        let archived = SnapshotCatalog(connection: reader.connection)
        let catalog = catalog  // one catalog for the loop: it resolves each schema from the one before
        for snapshot in try archived.all() where snapshot.prunedAt == nil {
            guard let live = try catalog.snapshot(snapshot.id) else {
                throw StrataError(.databaseState, "\(foreign): it holds snapshot \(snapshot.id), which this database never had; nothing was imported.")
            }
            let sameEvent = try snapshot.eventSeq.map { try Self.eventHash(reader.connection, $0) }
                == live.eventSeq.map { try Self.eventHash(store.connection, $0) }
            guard sameEvent, live.eventSeq == snapshot.eventSeq, live.takenAt == snapshot.takenAt,
                  live.revision == snapshot.revision, live.reason == snapshot.reason, live.heads == snapshot.heads,
                  try catalog.schemaJSON(of: live) == archived.schemaJSON(of: snapshot),
                  live.codec == snapshot.codec, live.tables == snapshot.tables
            else {
                throw StrataError(.databaseState, "\(foreign): its snapshot \(snapshot.id) (taken \(snapshot.takenAt)) is not this database's snapshot \(snapshot.id) (taken \(live.takenAt)); nothing was imported.")
            }
            if live.prunedAt == nil {
                report.alreadyPresent.append(snapshot.id)
            } else {
                report.imported.append(snapshot.id)
            }
        }
        return report
    }

    private static func eventHash(_ connection: Connection, _ seq: Int64) throws -> String? {
        try connection.scalar("SELECT hash FROM strata_events WHERE seq = ?", [.integer(seq)])?.text
    }
}
