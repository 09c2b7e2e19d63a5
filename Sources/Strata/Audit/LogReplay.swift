import Foundation
import StrataCSQLite

/// Rebuilds history from the log alone: the logged scripts, run in logged order into a fresh
/// database. Used by `replay --into` and by `verify`'s schema-drift check.
public struct LogReplay {
    public struct Outcome: Sendable {
        /// Migrations replayed, in order.
        public var replayed: Int
        /// Revisions whose code is Swift (nothing stored to replay), each once, in order of
        /// first appearance: a long log applies and reverts the same revision many times.
        public var skipped: [String]
        /// The version table's heads at the end of the log.
        public var heads: [String]
        /// Differences between the replayed schema and the live one; empty when equal.
        public var schemaDifferences: [String]
    }

    let source: SQLiteStore

    public init(source: SQLiteStore) { self.source = source }

    /// Replays into `path` (a new file, or ":memory:").
    public func replay(into path: String) throws -> Outcome {
        let target = try Connection(path: path)
        try target.setForeignKeys(false)
        let archive = ScriptArchive(connection: source.connection)
        var outcome = Outcome(replayed: 0, skipped: [], heads: [], schemaDifferences: [])
        var skippedSeen = Set<String>()
        try source.connection.transaction(.deferred) {
            try EventLog(connection: source.connection).forEach { event in
                outcome.heads = event.heads
                if event.kind == .restoreCompleted {
                    // A restore put the schema back as its oldest snapshot recorded it.
                    let catalog = SnapshotCatalog(connection: source.connection)
                    guard let id = event.detail["snapshots"]?.array?.last?.int, let snapshot = try catalog.snapshot(id) else {
                        throw StrataError(.integrity, "Event \(event.seq) (restore_completed) names no stored snapshot; replay stopped.")
                    }
                    try target.transaction(.immediate) { try catalog.schema(of: snapshot).recreate(in: target) }
                    outcome.replayed += 1
                    return
                }
                guard event.kind == .migrationApplied || event.kind == .migrationReverted, let revision = event.revision else { return }
                let detail = event.detail
                guard let address = detail["script"]?.string else {
                    if skippedSeen.insert(revision).inserted { outcome.skipped.append(revision) }
                    return
                }
                guard let text = try archive.text(at: address) else {
                    throw StrataError(.integrity, "Event \(event.seq) refers to script \(address) for revision \(revision), but the log does not hold it; replay stopped.")
                }
                let script = try ScriptParser.parse(text, file: detail["file"]?.string ?? "logged script \(revision)")
                let body = event.kind == .migrationApplied ? script.upgrade : script.downgrade
                guard let sql = body?.sql else { return }
                var attached: String?
                do {
                    // As it first ran: in one transaction, or statement by statement (VACUUM).
                    // A replay writes nothing but its own file, so ATTACH is refused.
                    try target.withAuthorizer({ action in
                        guard action.action == SQLITE_ATTACH else { return .allow }
                        attached = action.first ?? ""
                        return .deny
                    }) {
                        if script.transactional {
                            try target.transaction(.immediate) { try target.execute(sql) }
                        } else {
                            try target.execute(sql)
                        }
                    }
                } catch {
                    if let attached {
                        throw StrataError(.migrationFailed, "Replaying event \(event.seq) (\(event.kind) \(revision)) stopped: its script attaches another database ('\(attached)'), and a replay writes to no file but its own; the replayed file is incomplete.",
                                          cause: ReplayAttaches())
                    }
                    throw StrataError(.migrationFailed, "Replaying event \(event.seq) (\(event.kind) \(revision)) failed: \(SQLiteStore.reason(error)); the replayed file is incomplete.", cause: error)
                }
                outcome.replayed += 1
            }
            outcome.schemaDifferences = try SchemaCapture(connection: target)
                .differences(from: SchemaCapture(connection: source.connection), selfName: "the replay", otherName: "the live database")
        }
        // The replayed file records where it is, so `strata current` tells what it is.
        if path != ":memory:" {
            let store = try SQLiteStore(path: path)
            try store.prepareSchema()
            try store.stamp(heads: outcome.heads, event: NewEvent(.stamped, status: .idle, heads: outcome.heads, detail: [
                "replayed_from": .string(source.location), "replayed": JSONValue(outcome.replayed),
            ]))
        }
        return outcome
    }
}

/// A logged script attaches another database file, which a replay must not write to.
struct ReplayAttaches: Error, Sendable {}
