/// Where a database stands against a reader's heads (the heads of the scripts the reader
/// ships), with the facts behind the verdict.
public struct ReaderClassification: Sendable, CustomStringConvertible {
    public enum Verdict: String, Sendable, Hashable, CustomStringConvertible {
        /// At the reader's heads and the writer idle: safe to serve.
        case atHead = "at_head"
        /// Not there yet: no file, no Strata tables, revisions still to apply, or a migration
        /// (or restore) in progress. Wait.
        case behind
        /// The database has revisions beyond the reader's heads that descend from them: a newer
        /// writer ran.
        case ahead
        /// The database carries revisions the reader cannot place in its history.
        case unknownRevision = "unknown_revision"
        /// The writer's last migration failed (status `failed`).
        case writerFailed = "writer_failed"

        public var description: String { rawValue }
    }

    public var verdict: Verdict
    /// The database's path, for messages.
    public var database: String
    /// Whether the database file exists yet.
    public var databaseExists: Bool
    /// The version table's heads (sorted); empty at base or without Strata's tables.
    public var heads: [String]
    public var status: WriterStatus
    /// The newest event, if any.
    public var lastEvent: Event?
    /// The heads the reader waits for (sorted).
    public var readerHeads: [String]
    /// Revisions the reader needs that are not applied yet (sorted).
    public var pending: [String]
    /// Applied revisions beyond the reader's heads (ahead), or the ones it cannot place
    /// (unknown revision), sorted.
    public var foreignRevisions: [String]
    /// The newest `migration_failed` event when the writer failed.
    public var failure: Event?

    /// The revision whose migration failed.
    public var failedRevision: String? { failure?.revision }
    /// The failed migration's error, as the writer recorded it.
    public var failureMessage: String? { failure?.detail["error"]?.string }

    /// The recorded error without the writer's own framing ("Revision X failed: ... The database
    /// is still at ..."), which this classification states itself.
    var failureCause: String? {
        guard var text = failureMessage else { return nil }
        if let revision = failedRevision, text.hasPrefix("Revision \(revision) failed: ") {
            text = String(text.dropFirst("Revision \(revision) failed: ".count))
        }
        if let range = text.range(of: ". The database is still at") { text = String(text[..<range.lowerBound]) }
        while text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// Whether a writer is at work (migrating or restoring).
    public var writerBusy: Bool { status == .migrating || status == .restoring }

    /// One sentence on where the database stands.
    public var description: String {
        let at = HeadsDescription(heads)
        let target = HeadsDescription(readerHeads)
        switch verdict {
        case .atHead:
            return "The database '\(database)' is at the reader's heads (\(target)) and the writer is idle."
        case .behind:
            guard databaseExists else { return "The database '\(database)' does not exist yet." }
            if writerBusy {
                return "The database '\(database)' is at \(at) while the writer is \(status.rawValue)\(lastEventPhrase)."
            }
            return "The database '\(database)' is at \(at), behind the reader's heads (\(target)); \(pending.count) revision(s) not applied yet: \(pending.joined(separator: ", "))."
        case .ahead:
            return "The database '\(database)' is ahead of the reader: revision(s) \(foreignRevisions.joined(separator: ", ")) go beyond the reader's heads (\(target)), applied by a newer writer."
        case .unknownRevision:
            var sentence = "The database '\(database)' is at \(at) and carries revision(s) \(foreignRevisions.joined(separator: ", ")) that the reader's scripts do not define"
            if !pending.isEmpty { sentence += ", and lacks \(pending.joined(separator: ", "))" }
            return sentence + "."
        case .writerFailed:
            let revision = failedRevision ?? "(unknown)"
            let event = failure ?? lastEvent
            return "The writer failed at revision \(revision): \(failureCause ?? "no error recorded"); the database is at \(at) (event \(event?.seq ?? 0) at \(event?.at ?? "?"))."
        }
    }

    private var lastEventPhrase: String {
        guard let lastEvent else { return "" }
        let revision = lastEvent.revision.map { " \($0)" } ?? ""
        return " (last event \(lastEvent.seq) \(lastEvent.kind)\(revision) at \(lastEvent.at))"
    }
}

/// What a waiting reader does with a classification.
enum WaitDecision {
    case reached
    case keepWaiting
    case fail(StrataError)
}

extension ReaderClassification {
    func decision(allowAhead: Bool) -> WaitDecision {
        switch verdict {
        case .atHead:
            return .reached
        case .behind:
            return .keepWaiting
        case .ahead:
            guard allowAhead else {
                let sentence = description.dropLast()  // the full stop
                return .fail(StrataError(.databaseState, sentence + " (pass --allow-ahead to accept a newer database)."))
            }
            // Never return while a migration is in progress, even on a newer database.
            return writerBusy ? .keepWaiting : .reached
        case .unknownRevision:
            return .fail(StrataError(.databaseState, description))
        case .writerFailed:
            var detail: String?
            if let failure {
                var lines: [String] = []
                for key in ["file", "statement", "sql"] {
                    if let value = failure.detail[key] { lines.append("\(key): \(value.string ?? value.text)") }
                }
                detail = lines.isEmpty ? nil : lines.joined(separator: "\n")
            }
            return .fail(StrataError(.migrationFailed, description, detail: detail))
        }
    }
}

/// Classifies a database read (inside one read transaction) against a reader's scripts.
struct ReaderClassifier: Sendable {
    let graph: RevisionGraph
    /// Everything applied when the database is at the reader's heads.
    let target: Set<String>
    let readerHeads: [String]

    init(graph: RevisionGraph, readerHeads: [String]) throws {
        self.graph = graph
        self.target = try graph.appliedRevisions(heads: readerHeads)
        self.readerHeads = graph.versionTableHeads(applied: target)
    }

    func missingFile(_ path: String) -> ReaderClassification {
        ReaderClassification(verdict: .behind, database: path, databaseExists: false, heads: [], status: .idle,
                             lastEvent: nil, readerHeads: readerHeads, pending: target.sorted(), foreignRevisions: [],
                             failure: nil)
    }

    /// Reads and classifies; must run inside a read transaction on `connection`.
    func classify(_ database: ReadOnlyDatabase, connection: Connection) throws -> ReaderClassification {
        var result = ReaderClassification(verdict: .behind, database: database.path, databaseExists: true, heads: [],
                                          status: .idle, lastEvent: nil, readerHeads: readerHeads,
                                          pending: target.sorted(), foreignRevisions: [], failure: nil)
        guard try database.tableExists(StrataSchema.versionTable) else { return result }
        result.heads = try connection.query("SELECT version_num FROM strata_version ORDER BY version_num") { $0.string(0) }
        let hasLog = try database.tableExists(StrataSchema.eventsTable)
        if hasLog, let last = try EventLog(connection: connection).last() {
            result.lastEvent = last
            result.status = last.status
        }
        if result.status == .failed {
            result.verdict = .writerFailed
            result.failure = try connection.query(
                "SELECT \(EventLog.columns) FROM strata_events WHERE kind = 'migration_failed' AND \(StrataSchema.sparseKindsCondition) ORDER BY seq DESC LIMIT 1",
                [], EventLog.event).first
            return result
        }

        // Place every applied revision: known ones through the reader's graph, unknown ones
        // through the log (the heads before the newest migration that applied them), back to
        // revisions the reader knows. One that cannot be traced (stamped, or foreign) is unknown.
        var frontier: [String] = []
        var unknownApplied: [String] = []
        var untraceable: [String] = []
        var queue = result.heads
        var visited: Set<String> = []
        while let revision = queue.popLast() {
            guard visited.insert(revision).inserted else { continue }
            if graph.node(revision) != nil {
                frontier.append(revision)
                continue
            }
            unknownApplied.append(revision)
            guard hasLog, let from = try origin(of: revision, connection) else {
                untraceable.append(revision)
                continue
            }
            queue += from
        }
        let applied = try graph.appliedRevisions(heads: frontier)
        result.pending = target.subtracting(applied).sorted()
        if !untraceable.isEmpty {
            result.verdict = .unknownRevision
            result.foreignRevisions = untraceable.sorted()
            result.pending = []
            return result
        }
        if !unknownApplied.isEmpty && !result.pending.isEmpty {
            // Newer revisions on a history that lacks some of the reader's: only a writer still
            // at work can make this right.
            result.verdict = result.writerBusy ? .behind : .unknownRevision
            result.foreignRevisions = unknownApplied.sorted()
            return result
        }
        if !result.pending.isEmpty { return result }
        let beyond = applied.subtracting(target).union(unknownApplied)
        if !beyond.isEmpty {
            result.verdict = .ahead
            result.foreignRevisions = beyond.sorted()
            return result
        }
        result.verdict = result.status == .idle ? .atHead : .behind
        return result
    }

    /// The heads before the newest migration that applied `revision`, from its event.
    private func origin(of revision: String, _ connection: Connection) throws -> [String]? {
        let detail = try connection.query("""
            SELECT detail FROM strata_events WHERE kind = 'migration_applied' AND revision = ?
            ORDER BY seq DESC LIMIT 1
            """, [.text(revision)]) { $0.string(0) }.first
        guard let detail else { return nil }
        return (try? JSONValue.parse(detail))?["from"]?.stringArray
    }
}
