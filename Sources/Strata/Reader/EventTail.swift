/// The live tail of the event log: every event after a given `seq`, then each new one as the
/// writer appends it, for as long as it is iterated. Waits for the database file and the log to
/// exist. Iteration throws `CancellationError` when the consuming task is cancelled.
///
/// ```swift
/// for try await event in reader.events(after: 0) { print(event.seq, event.kind) }
/// ```
public struct EventTail: AsyncSequence, Sendable {
    public typealias Element = Event

    public let databasePath: String
    public let after: Int64
    /// Only events this query matches are delivered (its `limit` is ignored).
    public var filter: LogQuery?

    public init(databasePath: String, after seq: Int64 = 0, filter: LogQuery? = nil) {
        self.databasePath = databasePath
        self.after = seq
        self.filter = filter
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(tail: self)
    }

    public struct Iterator: AsyncIteratorProtocol {
        private let queue: ReaderQueue
        private let signals: ChangeSignals
        private var wakeUps: AsyncStream<ChangeSignals.Wake>.Iterator
        private var rechecks = Rechecks()
        private var wake: ChangeSignals.Wake?
        private var buffer: [Event] = []
        private var position = 0
        private var lastSeq: Int64
        /// The reader's open count when `lastSeq` was read: a file opened since is another log.
        private var opens = 0
        private var force = true
        private let filter: LogQuery?
        /// Events read per query: bounds memory on a long log.
        static let batch = 500

        init(tail: EventTail) {
            queue = ReaderQueue(path: tail.databasePath)
            signals = ChangeSignals(databasePath: tail.databasePath)
            wakeUps = signals.wakeUps.makeAsyncIterator()
            lastSeq = tail.after
            filter = tail.filter
        }

        public mutating func next() async throws -> Event? {
            while true {
                while position < buffer.count {
                    let event = buffer[position]
                    position += 1
                    if filter?.matches(event) ?? true { return event }
                }
                try Task.checkCancellation()
                let force = self.force
                let (seenSeq, seenOpens) = (lastSeq, opens)
                var batch: [Event]?
                var busy = false
                do {
                    (batch, opens, lastSeq) = try await queue.run { database in
                        guard try database.open() != nil else { return ([], seenOpens, seenSeq) }
                        // A file replaced since the last read holds a log of its own, from seq 1.
                        let after = seenOpens == 0 || database.opens == seenOpens ? seenSeq : 0
                        let events = try database.ifChanged(force: force) { connection in
                            guard try database.tableExists(StrataSchema.eventsTable) else { return [Event]() }
                            return try connection.query(
                                "SELECT \(EventLog.columns) FROM strata_events WHERE seq > ? ORDER BY seq LIMIT \(Self.batch)",
                                [.integer(after)], EventLog.event)
                        }
                        return (events, database.opens, after)
                    }
                } catch where SQLiteError.isBusyForReader(error) {
                    busy = true
                }
                rechecks.plan(after: wake, sawChange: batch != nil, busy: busy, signals: signals)
                if let batch, let last = batch.last {
                    buffer = batch
                    position = 0
                    lastSeq = last.seq
                    // A full batch may have more behind it: read again without waiting.
                    self.force = batch.count == Self.batch
                    continue
                }
                self.force = false
                guard let next = await wakeUps.next() else { throw CancellationError() }
                wake = next
            }
        }
    }
}
