/// One run of a migration as the log recorded it (`migration_applied` or `migration_reverted`).
public struct LoggedRun: Sendable, Hashable {
    public var seq: Int64
    public var at: String
    public var revision: String
    /// `upgrade` or `downgrade`.
    public var direction: String
    public var actor: EventActorInfo
    public var durationMs: Double?
    /// The canonical checksum of the script that ran (Docs/formats.md).
    public var checksum: String?
    /// The `strata_scripts.sha256` address of the exact text that ran.
    public var script: String?
    public var file: String?
    public var statements: Int64?

    /// `nil` for an event that is not a run.
    public init?(_ event: Event) {
        guard event.kind == .migrationApplied || event.kind == .migrationReverted, let revision = event.revision else { return nil }
        let detail = event.detail
        seq = event.seq
        at = event.at
        self.revision = revision
        direction = detail["direction"]?.string ?? (event.kind == .migrationApplied ? "upgrade" : "downgrade")
        actor = EventActorInfo(event.actor)
        switch detail["duration_ms"] {
        case .double(let ms)?: durationMs = ms
        case .int(let ms)?: durationMs = Double(ms)
        default: durationMs = nil
        }
        checksum = detail["checksum"]?.string
        script = detail["script"]?.string
        file = detail["file"]?.string
        statements = detail["statements"]?.int
    }
}

/// What the log knows about one revision: every run and failure, the newest application, the
/// text that ran then, and the snapshots taken before it. The events come from the revision
/// index (`strata_events_by_revision`); the snapshots from one read of their table, which is
/// small (one short row per migration).
public struct RevisionAudit: Sendable {
    public var revision: String
    /// Applied and reverted runs, oldest first.
    public var runs: [LoggedRun]
    /// `migration_failed` events, oldest first.
    public var failures: [Event]
    /// `stamped` events are not about one revision; `checksum_accepted` ones are.
    public var acceptedEdits: [Event]
    /// Snapshots taken before this revision ran (either direction), oldest first.
    public var snapshots: [SnapshotCatalog.Snapshot]
    /// The exact text of the newest application, from `strata_scripts`.
    public var storedScript: String?

    /// The newest `migration_applied` run.
    public var lastApplied: LoggedRun? { runs.last { $0.direction == "upgrade" } }
    /// The newest run of either direction.
    public var lastRun: LoggedRun? { runs.last }

    /// The checksum the database holds for this revision: the newest application's, or a
    /// later `checksum_accepted`.
    public var recordedChecksum: String? {
        let accepted = acceptedEdits.last
        if let accepted, accepted.seq > (lastApplied?.seq ?? 0) { return accepted.detail["checksum"]?.string }
        return lastApplied?.checksum
    }

    public static func load(_ revision: String, in connection: Connection) throws -> RevisionAudit {
        let events = try LogQuery(revision: revision).events(in: connection)
        let snapshots: [SnapshotCatalog.Snapshot]
        if try connection.tableExists(StrataSchema.snapshotsTable) {
            let catalog = SnapshotCatalog(connection: connection)
            snapshots = try connection.query("SELECT id FROM strata_snapshots WHERE revision = ? ORDER BY id",
                                             [.text(revision)]) { $0.int64(0) }.compactMap { try catalog.snapshot($0) }
        } else {
            snapshots = []
        }
        var audit = RevisionAudit(revision: revision, runs: events.compactMap(LoggedRun.init),
                                  failures: events.filter { $0.kind == .migrationFailed },
                                  acceptedEdits: events.filter { $0.kind == .checksumAccepted },
                                  snapshots: snapshots, storedScript: nil)
        if let address = audit.acceptedEdits.last?.detail["script"]?.string ?? audit.lastApplied?.script {
            audit.storedScript = try ScriptArchive(connection: connection).text(at: address)
        }
        return audit
    }
}

/// Per revision, its `migration_applied` durations: the report's "which migration is slowest".
public struct MigrationDurations: Sendable, Hashable {
    public var revision: String
    public var runs: Int
    public var lastMs: Double
    public var maxMs: Double
    public var totalMs: Double
    public var lastAt: String

    /// Every applied revision, slowest (by its newest run) first. One pass over the
    /// `migration_applied` events through the kind index.
    public static func all(in connection: Connection) throws -> [MigrationDurations] {
        guard try connection.tableExists(StrataSchema.eventsTable) else { return [] }
        return try connection.query("""
            SELECT revision, count(*), max(json_extract(detail, '$.duration_ms')),
                   sum(json_extract(detail, '$.duration_ms')), max(seq) FROM strata_events
            WHERE kind = 'migration_applied' AND revision IS NOT NULL GROUP BY revision
            """) { row in (row.string(0), row.int(1), row.double(2), row.double(3), row.int64(4)) }
            .map { revision, runs, maxMs, totalMs, lastSeq in
                let last = try connection.query(
                    "SELECT at, json_extract(detail, '$.duration_ms') FROM strata_events WHERE seq = ?",
                    [.integer(lastSeq)]) { ($0.string(0), $0.double(1)) }.first
                return MigrationDurations(revision: revision, runs: runs, lastMs: last?.1 ?? 0, maxMs: maxMs,
                                          totalMs: totalMs, lastAt: last?.0 ?? "")
            }
            .sorted { ($0.lastMs, $1.revision) > ($1.lastMs, $0.revision) }
    }
}
