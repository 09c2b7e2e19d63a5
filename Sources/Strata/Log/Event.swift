/// One row of `strata_events`, as stored.
public struct Event: Sendable, Hashable {
    /// Gap-free, from 1.
    public var seq: Int64
    /// UTC ISO-8601 with milliseconds.
    public var at: String
    public var kind: EventKind
    public var revision: String?
    /// The writer status after this event.
    public var status: WriterStatus
    /// The version table's heads after this event, as stored (a JSON array).
    public var headsJSON: String
    /// Who wrote it (host, pid, user, tool), as stored (a JSON object).
    public var actorJSON: String
    /// Kind-specific fields, as stored (a JSON object).
    public var detailJSON: String
    public var prevHash: String
    public var hash: String

    public var heads: [String] { (try? JSONValue.parse(headsJSON))?.stringArray ?? [] }
    public var detail: JSONValue { (try? JSONValue.parse(detailJSON)) ?? .object([:]) }
    public var actor: JSONValue { (try? JSONValue.parse(actorJSON)) ?? .object([:]) }
}

/// An event to append: the log fills in seq, time, actor and the hash chain.
public struct NewEvent: Sendable {
    public var kind: EventKind
    public var revision: String?
    public var status: WriterStatus
    public var heads: [String]
    public var detail: JSONValue

    public init(_ kind: EventKind, revision: String? = nil, status: WriterStatus, heads: [String], detail: JSONValue = [:]) {
        self.kind = kind
        self.revision = revision
        self.status = status
        self.heads = heads
        self.detail = detail
    }
}
