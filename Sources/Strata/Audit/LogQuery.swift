/// An audit query over `strata_events`: which events, newest how many. Each filter is one
/// SQL condition served by an index of the log (by kind, by revision, by seq), and the same
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
    /// The newest `limit` matching events (still returned oldest first); `nil` means all.
    public var limit: Int?

    public init(kinds: [EventKind] = [], revision: String? = nil, afterSeq: Int64? = nil, limit: Int? = nil) {
        self.kinds = kinds
        self.revision = revision
        self.afterSeq = afterSeq
        self.limit = limit
    }

    /// The matching events, oldest first. A database without Strata's tables has none.
    public func events(in connection: Connection) throws -> [Event] {
        guard try connection.scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                    [.text(StrataSchema.eventsTable)]) != nil else { return [] }
        let (whereClause, values) = conditions()
        var sql = "SELECT \(EventLog.columns) FROM strata_events"
        if !whereClause.isEmpty { sql += " WHERE " + whereClause.joined(separator: " AND ") }
        guard let limit else {
            return try connection.query(sql + " ORDER BY seq", values, EventLog.event)
        }
        // Newest first to take the last `limit`, then back to log order.
        return try connection.query(sql + " ORDER BY seq DESC LIMIT ?", values + [.integer(Int64(max(limit, 0)))],
                                    EventLog.event).reversed()
    }

    /// Whether `event` passes every filter (`limit` aside).
    public func matches(_ event: Event) -> Bool {
        if !kinds.isEmpty && !kinds.contains(event.kind) { return false }
        if let revision, event.revision != revision { return false }
        if let afterSeq, event.seq <= afterSeq { return false }
        return true
    }

    func conditions() -> (clauses: [String], values: [SQLiteValue]) {
        var clauses: [String] = []
        var values: [SQLiteValue] = []
        if !kinds.isEmpty {
            clauses.append("kind IN (\(kinds.map { _ in "?" }.joined(separator: ", ")))")
            values += kinds.map { .text($0.rawValue) }
        }
        if let revision {
            clauses.append("revision = ?")
            values.append(.text(revision))
        }
        if let afterSeq {
            clauses.append("seq > ?")
            values.append(.integer(afterSeq))
        }
        return (clauses, values)
    }
}
