import Logging

/// The reader's boot step for a Swift service: wait until the database is at the heads of the
/// scripts this reader ships, fail at once with the cause when it cannot get there, and follow
/// the event log live.
///
/// A reader never writes: it opens the file read-only, waits for it to exist and for the writer
/// to create Strata's tables, and never holds a read transaction between looks, so it does not
/// get in the writer's way (WAL or rollback journal). It learns of a commit from the file system
/// (inotify on Linux) and confirms with `PRAGMA data_version`; a slow poll covers file systems
/// that report nothing. See Docs/readers.md.
public struct StrataReader: Sendable {
    public var databasePath: String
    public var migrations: MigrationSet
    /// The heads this reader waits for (sorted): by default the scripts' heads.
    public let readerHeads: [String]
    /// Accept a database that is ahead of the reader's heads (a newer writer ran) instead of
    /// failing. Still never returns while a migration is in progress.
    public var allowAhead: Bool
    /// Where the wait's progress goes (debug), its outcome (info); `nil` for silence.
    public var logger: Logger?
    let classifier: ReaderClassifier

    /// `heads`: targets in the scripts' graph (revision ids, unique prefixes, `heads`,
    /// `label@head`); `nil` means every head of the scripts.
    public init(databasePath: String, migrations: MigrationSet, heads: [String]? = nil, allowAhead: Bool = false,
                logger: Logger? = Logger(label: "strata.reader")) throws {
        let graph = migrations.graph
        var wanted: Set<String> = []
        if let heads {
            for target in heads { wanted.formUnion(try graph.resolve(target, current: [])) }
        } else {
            wanted = Set(graph.fullyUpgradedHeads)
        }
        classifier = try ReaderClassifier(graph: graph, readerHeads: wanted.sorted())
        self.databasePath = databasePath
        self.migrations = migrations
        self.readerHeads = classifier.readerHeads
        self.allowAhead = allowAhead
        self.logger = logger
    }

    /// Loads the `.sql` scripts in `migrationsDirectory` plus any Swift revisions.
    public init(databasePath: String, migrationsDirectory: String, swiftRevisions: [MigrationScript] = [],
                heads: [String]? = nil, allowAhead: Bool = false,
                logger: Logger? = Logger(label: "strata.reader")) throws {
        try self.init(databasePath: databasePath,
                      migrations: try MigrationSet.load(directory: migrationsDirectory, swiftRevisions: swiftRevisions),
                      heads: heads, allowAhead: allowAhead, logger: logger)
    }

    /// Where the database stands now, read once.
    public func classify() async throws -> ReaderClassification {
        let queue = ReaderQueue(path: databasePath)
        return try await Self.look(queue, classifier, force: true)!
    }

    /// Waits until the database is at the reader's heads with the writer idle, and returns what
    /// it found. Throws at once `StrataError` `.migrationFailed` when the writer failed (naming
    /// the revision and its error), `.databaseState` when the database is ahead (unless
    /// `allowAhead`) or carries a revision the scripts do not define; `.timeout` when `timeout`
    /// passes first; `CancellationError` when the task is cancelled.
    @discardableResult
    public func waitForHead(timeout: Duration? = nil) async throws -> ReaderClassification {
        let deadline = timeout.map { ContinuousClock.now + $0 }
        let queue = ReaderQueue(path: databasePath)
        // Watch first, then look: a commit between the two still wakes the loop.
        let signals = ChangeSignals(databasePath: databasePath, deadline: deadline)
        defer { signals.stop() }
        var wakeUps = signals.wakeUps.makeAsyncIterator()
        var latest: ReaderClassification?
        var force = true
        var rechecks = Rechecks()
        var wake: ChangeSignals.Wake?
        while true {
            try Task.checkCancellation()
            var look: ReaderClassification?
            var busy = false
            do {
                look = try await Self.look(queue, classifier, force: force)
                force = false
            } catch where SQLiteError.isBusyForReader(error) {
                // A rollback-journal writer is committing: look again shortly.
                busy = true
            }
            if let look {
                if latest?.verdict != look.verdict || latest?.heads != look.heads || latest?.status != look.status {
                    logger?.debug("\(look)", metadata: ["database": "\(databasePath)"])
                }
                latest = look
                switch look.decision(allowAhead: allowAhead) {
                case .reached:
                    logger?.info("database is at \(HeadsDescription(look.heads))", metadata: ["database": "\(databasePath)"])
                    return look
                case .fail(let error):
                    logger?.info("not waiting any longer: \(error.message)", metadata: ["database": "\(databasePath)"])
                    throw error
                case .keepWaiting:
                    break
                }
            }
            if let deadline, ContinuousClock.now >= deadline, let timeout {
                let why = latest.map { " \($0)" } ?? ""
                throw StrataError(.timeout, "Timed out after \(Self.seconds(timeout)) waiting for '\(databasePath)' to reach \(HeadsDescription(readerHeads)).\(why)")
            }
            rechecks.plan(after: wake, sawChange: look != nil, busy: busy, signals: signals)
            guard let next = await wakeUps.next() else { throw CancellationError() }
            wake = next
        }
    }

    /// The log's events with `seq` greater than `seq`, then each new one as it is appended,
    /// forever (until the consuming task is cancelled). Waits for the file and the log to exist.
    public func events(after seq: Int64 = 0) -> EventTail {
        EventTail(databasePath: databasePath, after: seq)
    }

    /// One look: `nil` when nothing was committed since the last one (unless `force`).
    static func look(_ queue: ReaderQueue, _ classifier: ReaderClassifier, force: Bool) async throws -> ReaderClassification? {
        try await queue.run { database in
            guard try database.open() != nil else { return classifier.missingFile(database.path) }
            return try database.ifChanged(force: force) { try classifier.classify(database, connection: $0) }
        }
    }

    static func seconds(_ duration: Duration) -> String {
        let seconds = Double(duration.nanoseconds) / 1e9
        return seconds == seconds.rounded() ? "\(Int64(seconds)) s" : "\(seconds) s"
    }
}
