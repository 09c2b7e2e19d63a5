import Foundation

/// Appends to and reads `strata_events` over one connection.
///
/// Appending never opens a transaction of its own: the caller's transaction holds the event
/// and the change it records, so both commit or neither does.
public struct EventLog {
    let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    static let columns = "seq, at, kind, revision, status, heads, actor, detail, prev_hash, hash"

    /// The newest event, or `nil` for an empty log (or none at all).
    public func last() throws -> Event? {
        try connection.query("SELECT \(Self.columns) FROM strata_events ORDER BY seq DESC LIMIT 1", [], Self.event).first
    }

    /// The newest event's seq and hash: where the next event links in (seq 0 and the genesis
    /// hash for an empty log).
    public func tail() throws -> (seq: Int64, hash: String) {
        try connection.query("SELECT seq, hash FROM strata_events ORDER BY seq DESC LIMIT 1") {
            (seq: $0.int64(0), hash: $0.string(1))
        }.first ?? (0, EventHash.genesis)
    }

    /// Appends `event` after the newest one. Must run inside a write transaction.
    @discardableResult
    public func append(_ event: NewEvent, at time: Date = Date()) throws -> Event {
        try append([event], at: time)[0]
    }

    /// Appends `events`, in order, after the newest one. Must run inside a write transaction.
    /// The tail is read once and the INSERT prepared once for all of them: a migration logs
    /// two or three events, and with a schema that changes every migration, every statement
    /// is prepared anew each time.
    ///
    /// `tail`, when given, must have been read by `tail()` in the same transaction: a caller
    /// that read it already saves a query. Were it stale, the INSERT would fail on the seq (a
    /// primary key) and roll the transaction back, never fork the chain.
    @discardableResult
    public func append(_ events: [NewEvent], after tail: (seq: Int64, hash: String)? = nil, at time: Date = Date()) throws -> [Event] {
        precondition(connection.isInTransaction, "events are appended inside the caller's transaction")
        guard !events.isEmpty else { return [] }
        var (seq, previousHash) = try tail ?? self.tail()
        let at = Timestamp.string(time)
        let insert = try connection.prepare("INSERT INTO strata_events (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        return try events.map { event in
            seq += 1
            var stored = Event(
                seq: seq, at: at, kind: event.kind, revision: event.revision,
                status: event.status, headsJSON: JSONValue(event.heads.sorted()).text,
                actorJSON: Self.actorText, detailJSON: event.detail.text,
                prevHash: previousHash, hash: "")
            stored.hash = EventHash.hash(of: stored)
            try insert.run([
                .integer(stored.seq), .text(stored.at), .text(stored.kind.rawValue), stored.revision.sqliteValue,
                .text(stored.status.rawValue), .text(stored.headsJSON), .text(stored.actorJSON),
                .text(stored.detailJSON), .text(stored.prevHash), .text(stored.hash),
            ])
            previousHash = stored.hash
            return stored
        }
    }

    /// This process's actor, serialised once.
    private static let actorText = EventActor.current.text

    /// Every event in seq order, one at a time (memory stays flat however long the log).
    public func forEach(from seq: Int64 = 1, _ body: (Event) throws -> Void) throws {
        try connection.prepare("SELECT \(Self.columns) FROM strata_events WHERE seq >= ? ORDER BY seq")
            .forEachRow([.integer(seq)]) { try body(Self.event($0)) }
    }

    /// For each revision, the checksum its newest `migration_applied` or `checksum_accepted`
    /// event recorded: what the database believes each applied script contains.
    public func recordedChecksums() throws -> [String: String] {
        let rows = try connection.query("""
            SELECT revision, json_extract(detail, '$.checksum') FROM strata_events
            WHERE seq IN (SELECT max(seq) FROM strata_events
                          WHERE kind IN ('migration_applied', 'checksum_accepted') AND revision IS NOT NULL
                          GROUP BY revision)
            """) { ($0.string(0), $0.optionalString(1)) }
        var checksums: [String: String] = [:]
        for (revision, checksum) in rows { if let checksum { checksums[revision] = checksum } }
        return checksums
    }

    static func event(_ row: Row) throws -> Event {
        guard let status = WriterStatus(rawValue: row.string(4)) else {
            throw StrataError(.integrity, "Event \(row.int64(0)) has an unknown status '\(row.string(4))'.")
        }
        return Event(seq: row.int64(0), at: row.string(1), kind: EventKind(rawValue: row.string(2)),
                     revision: row.optionalString(3), status: status, headsJSON: row.string(5),
                     actorJSON: row.string(6), detailJSON: row.string(7), prevHash: row.string(8), hash: row.string(9))
    }
}
