/// Everything Strata does to a database goes through this protocol, so PostgreSQL is a second
/// implementation rather than a fork. A store is used from one task at a time.
public protocol Store: AnyObject {
    /// Where the store lives, for messages: a file path or URL.
    var location: String { get }

    /// Heads, writer status and the newest event, read in one consistent read. A database
    /// without Strata's tables reads as base, idle, no events.
    func state() throws -> StoreState

    /// Creates Strata's own tables when missing; refuses a layout newer than this build's.
    func prepareSchema() throws

    /// Takes the writer lock, waiting up to `timeout` for a live writer to finish.
    func acquireLock(operation: String, timeout: Duration) throws -> LockGrant

    /// Releases this process's writer lock.
    func releaseLock() throws

    /// Runs one migration step, records the version table's new heads and appends the events
    /// `events` returns, all in one transaction (for non-transactional scripts the version
    /// update and events are the atomic part). `events` sees what the run cost. With a backup
    /// mode other than `.none`, the snapshot of the tables the step touches is taken inside the
    /// same transaction and a `snapshot_taken` event precedes the step's own events.
    func run(_ step: MigrationStep, of script: MigrationScript, backup: BackupMode,
             events: (StepExecution) throws -> [NewEvent]) throws -> StepExecution

    /// Stores script texts in the log's content-addressed archive and appends events, in one
    /// transaction: a run archives the scripts of its whole plan with its start event.
    func append(_ events: [NewEvent], archiving scripts: [String]) throws

    /// Replaces the version table's heads and appends `event`, atomically.
    func stamp(heads: [String], event: NewEvent) throws

    /// For each revision, the checksum recorded when it last ran (or was accepted).
    func recordedChecksums() throws -> [String: String]

    /// Stores a script's text in the log's content-addressed archive; returns its address.
    func archiveScript(_ text: String) throws -> String
}

/// What a store's state read returns.
public struct StoreState: Sendable {
    public var heads: [String]
    public var status: WriterStatus
    public var lastEvent: Event?
    /// Whether a writer lock row exists (a live writer at work, or a dead one's leftover).
    public var lockHeld = false

    public init(heads: [String], status: WriterStatus, lastEvent: Event?, lockHeld: Bool = false) {
        self.heads = heads
        self.status = status
        self.lastEvent = lastEvent
        self.lockHeld = lockHeld
    }

    public static let empty = StoreState(heads: [], status: .idle, lastEvent: nil)
}

/// The outcome of taking the writer lock.
public struct LockGrant: Sendable {
    /// Set when a dead writer's lock was taken over: whose it was (JSON) and why.
    public var tookOverFrom: JSONValue?
    public var reason: String?
}

/// What running one step cost.
public struct StepExecution: Sendable {
    public var step: MigrationStep
    /// Statements run (SQL bodies), or 0 for Swift bodies.
    public var statementCount: Int
    public var duration: Duration
    /// `duration` in milliseconds, the fraction kept.
    public var durationMs: Double { duration.fractionalMilliseconds }
    /// The snapshot taken before the step, if any.
    public var snapshotID: Int64?
}

extension Store {
    /// Appends events in one transaction of their own.
    public func append(_ events: [NewEvent]) throws {
        try append(events, archiving: [])
    }
}
