import Foundation

/// An audit query over `strata_events`: which events, newest how many. Each filter is one
/// SQL condition served by an index of the log (by kind, revision, seq, time, actor; the kinds
/// every migration writes are read from the log's end instead), and the same
/// filter as a predicate (`matches`) for events arriving live (`log --follow`, `EventTail`).
///
/// To add a filter: a property, its condition in `conditions()`, its test in `matches(_:)`.
public struct LogQuery: Sendable, Hashable {
    /// Only these kinds (any of them); empty means every kind.
    public var kinds: [EventKind]
    /// Only events about this revision.
    public var revision: String?
    /// Only events with a greater seq.
    public var afterSeq: Int64?
    /// The newest `limit` matching events (returned in `order`); `nil` means all.
    public var limit: Int?
    /// Only events at or after this time (`at >= since`).
    public var since: Date?
    /// Only events before this time (`at < until`).
    public var until: Date?
    /// Only events written by this user, host, user@host or process (`ActorFilter`).
    public var actor: ActorFilter?
    /// Oldest first (the default) or newest first.
    public var order: LogOrder

    public init(kinds: [EventKind] = [], revision: String? = nil, afterSeq: Int64? = nil, limit: Int? = nil,
                since: Date? = nil, until: Date? = nil, actor: ActorFilter? = nil, order: LogOrder = .ascending) {
        self.kinds = kinds
        self.revision = revision
        self.afterSeq = afterSeq
        self.limit = limit
        self.since = since
        self.until = until
        self.actor = actor
        self.order = order
    }

    /// The matching events, in `order`. A database without Strata's tables has none.
    public func events(in connection: Connection) throws -> [Event] {
        guard try connection.tableExists(StrataSchema.eventsTable) else { return [] }
        if let actor { return try events(by: actor, in: connection) }
        let (sql, values) = try statement(in: connection)
        let events = try connection.query(sql, values, EventLog.event)
        // With a limit the statement takes the newest first; back to log order if asked.
        return limit != nil && order == .ascending ? events.reversed() : events
    }

    /// `--actor`: each matching actor's newest matching seqs, read from the actor index by one
    /// statement bound to each actor in turn (a user's many processes are many actors), merged;
    /// then only the events kept are read. A single statement over all the actors would have
    /// to collect and sort every match before applying the limit.
    private func events(by actor: ActorFilter, in connection: Connection) throws -> [Event] {
        let (sql, values) = seqsStatement()
        let seqsOfOne = try connection.prepare(sql)
        var seqs: [Int64] = []
        for name in try actor.actors(in: connection) {
            seqs += try seqsOfOne.rows(values + [.text(name)]) { $0.int64(0) }
        }
        seqs.sort(by: >)  // newest first; one event has one actor, so no seq comes twice
        if let limit { seqs = Array(seqs.prefix(max(limit, 0))) }
        if order == .ascending { seqs.reverse() }
        let read = try connection.prepare("SELECT \(EventLog.columns) FROM strata_events WHERE seq = ?")
        return try seqs.flatMap { try read.rows([.integer($0)], EventLog.event) }
    }

    /// SQLite's plan for this query (`EXPLAIN QUERY PLAN`, the detail lines of every statement
    /// it runs): how to check that a filter is served by an index rather than a scan of the log.
    /// With an actor filter: the walk over the distinct actors, then one actor's seqs.
    public func queryPlan(in connection: Connection) throws -> [String] {
        let statements: [(sql: String, values: [SQLiteValue])]
        if let actor {
            let (sql, values) = seqsStatement()
            statements = [actor.actorsStatement, (sql, values + [.text("")])]
        } else {
            statements = (recentWindowProbe().map { [$0] } ?? []) + [try statement(in: connection)]
        }
        return try statements.flatMap { sql, values in
            try connection.query("EXPLAIN QUERY PLAN " + sql, values) { $0.string(3) }
        }
    }

    private var orderBy: String { limit != nil || order == .descending ? " ORDER BY seq DESC" : " ORDER BY seq" }
    private var rowLimit: Int? { limit.map { max($0, 0) } }
    private var limitClause: String { rowLimit.map { " LIMIT \($0)" } ?? "" }

    /// `--since T --limit N` and no other filter: the newest N events of a window that reaches
    /// the end of the log. Counts, from the time index, whether the window holds N events (it
    /// reads at most N entries); `nil` for any other query.
    private func recentWindowProbe() -> (sql: String, values: [SQLiteValue])? {
        guard let since, let rowLimit, until == nil, kinds.isEmpty, revision == nil, afterSeq == nil, actor == nil
        else { return nil }
        return ("SELECT count(*) FROM (SELECT 1 FROM strata_events INDEXED BY strata_events_by_time WHERE at >= ? LIMIT ?)",
                [.text(Timestamp.string(since)), .integer(Int64(rowLimit))])
    }

    /// The SELECT of the matching events, the actor filter aside.
    func statement(in connection: Connection) throws -> (sql: String, values: [SQLiteValue]) {
        let (whereClause, values) = conditions()
        if let probe = recentWindowProbe(), let rowLimit,
           try connection.scalar(probe.sql, probe.values)?.integer == Int64(rowLimit) {
            // The window holds N events: read the log backwards from its newest event and stop
            // at the Nth match. Events are appended in time order, so those are normally the
            // newest N events of all; sorting the window's seqs would cost as much as the window
            // (the whole log, for a `--since` long ago).
            return ("SELECT \(EventLog.columns) FROM strata_events NOT INDEXED WHERE " + whereClause.joined(separator: " AND ")
                    + orderBy + limitClause, values)
        }
        if kinds.isEmpty && revision == nil && actor == nil && (since != nil || until != nil) {
            // A time window alone: without statistics SQLite prefers walking the whole log in
            // seq order to sorting a window, so name the time index. With a limit, the window's
            // seqs are sorted from the index alone (it holds them) before any event is read.
            let time = " FROM strata_events INDEXED BY strata_events_by_time WHERE " + whereClause.joined(separator: " AND ")
            if limit == nil { return ("SELECT \(EventLog.columns)" + time + orderBy, values) }
            return ("SELECT \(EventLog.columns) FROM strata_events WHERE seq IN (SELECT seq" + time + orderBy + limitClause + ")"
                    + orderBy, values)
        }
        var sql = "SELECT \(EventLog.columns) FROM strata_events"
        if !whereClause.isEmpty { sql += " WHERE " + whereClause.joined(separator: " AND ") }
        return (sql + orderBy + limitClause, values)
    }

    /// The seqs of one actor's matching events, newest first (its text is the last value).
    func seqsStatement() -> (sql: String, values: [SQLiteValue]) {
        let (whereClause, values) = conditions()
        let sql = "SELECT seq FROM strata_events WHERE " + (whereClause + ["actor = ?"]).joined(separator: " AND ")
        return (sql + " ORDER BY seq DESC" + limitClause, values)
    }

    /// Whether `event` passes every filter (`limit` aside).
    public func matches(_ event: Event) -> Bool {
        if !kinds.isEmpty && !kinds.contains(event.kind) { return false }
        if let revision, event.revision != revision { return false }
        if let afterSeq, event.seq <= afterSeq { return false }
        if let since, event.at < Timestamp.string(since) { return false }
        if let until, event.at >= Timestamp.string(until) { return false }
        if let actor, !actor.matches(event) { return false }
        return true
    }

    func conditions() -> (clauses: [String], values: [SQLiteValue]) {
        var clauses: [String] = []
        var values: [SQLiteValue] = []
        if !kinds.isEmpty {
            clauses.append("kind IN (\(kinds.map { _ in "?" }.joined(separator: ", ")))")
            values += kinds.map { .text($0.rawValue) }
            // Lets SQLite use the kind index, which holds only these kinds.
            if StrataSchema.denseKinds.isDisjoint(with: kinds) { clauses.append(StrataSchema.sparseKindsCondition) }
        }
        if let revision {
            clauses.append("revision = ?")
            values.append(.text(revision))
        }
        if let afterSeq {
            clauses.append("seq > ?")
            values.append(.integer(afterSeq))
        }
        // `at` is fixed-width UTC text, so text order is time order (strata_events_by_time).
        if let since {
            clauses.append("at >= ?")
            values.append(.text(Timestamp.string(since)))
        }
        if let until {
            clauses.append("at < ?")
            values.append(.text(Timestamp.string(until)))
        }
        // The actor condition is added per actor: see `events(by:in:)`.
        return (clauses, values)
    }
}

extension LogQuery {
    /// The revision a user typed, as the log spells it: an exact id, or a unique prefix of 4+
    /// characters among the revisions the log mentions (the log outlives the scripts, so the
    /// graph cannot answer). An ambiguous prefix is an error naming the candidates; a text
    /// that matches nothing comes back unchanged (its events are simply none).
    public static func resolveRevision(_ text: String, in connection: Connection) throws -> String {
        guard try connection.scalar("SELECT 1 FROM strata_events WHERE revision = ? LIMIT 1", [.text(text)]) == nil,
              text.count >= 4 else { return text }
        // Revision ids are letters, digits and '_', all below '~': a range over the index.
        let candidates = try connection.query(
            "SELECT DISTINCT revision FROM strata_events WHERE revision >= ? AND revision < ? ORDER BY revision LIMIT 11",
            [.text(text), .text(text + "~")]) { $0.string(0) }
        switch candidates.count {
        case 0: return text
        case 1: return candidates[0]
        default:
            throw StrataError(.ambiguousTarget, "Revision prefix '\(text)' matches \(candidates.count > 10 ? "more than 10" : String(candidates.count)) revisions in the log: \(candidates.prefix(10).joined(separator: ", ")).")
        }
    }
}
