import Foundation
import StrataCSQLite

/// The SQLite implementation of `Store`.
public final class SQLiteStore: Store {
    public let connection: Connection
    public var location: String { connection.path }
    /// How long a writer's lease lasts between heartbeats (see `WriterLock`).
    public var lease: Duration = .seconds(120)
    /// Told about long snapshots and restores as they go (the CLI draws a progress bar).
    public var progress: SnapshotProgressHandler?
    /// When this process last set its lease (taking the lock or a heartbeat).
    private var leaseRenewed: ContinuousClock.Instant?
    /// Made on the first script archived and kept for the rest (`ScriptArchive.compressor`).
    private var scriptCompressor: Zlib.Compressor?
    /// What the last step committed, kept while this process holds the writer lock: the next
    /// step need not read the version table and the log's tail again when nothing was written
    /// since (`StepMark`).
    private var lastStep: StepMark?
    /// The journal kept between commits since taking the lock, if it was switched.
    private var persistentJournal: PersistentJournal?

    var log: EventLog { EventLog(connection: connection) }
    var lock: WriterLock { WriterLock(connection: connection, lease: lease) }

    /// Opens (and for writers, creates) the database file at `path`.
    public init(path: String, readOnly: Bool = false, busyTimeout: Duration = .seconds(5)) throws {
        if readOnly, !path.hasPrefix("file:"), !FileManager.default.fileExists(atPath: path) {
            throw StrataError(.io, "Database file '\(path)' does not exist; nothing was changed.")
        }
        do {
            connection = try Connection(path: path, mode: readOnly ? .readOnly : .readWriteCreate, busyTimeout: busyTimeout)
        } catch let error as SQLiteError {
            throw Self.openError(path: path, error)
        } catch let error as ScriptStatementError {
            throw Self.openError(path: path, error.underlying)
        }
        if !readOnly && connection.isReadOnly {
            throw StrataError(.io, "Database file '\(path)' is read-only (check the file's and its folder's permissions); nothing was changed.")
        }
    }

    deinit {
        persistentJournal?.abandon()
    }

    private static func openError(path: String, _ error: SQLiteError) -> StrataError {
        if error.isNotADatabase {
            return StrataError(.io, "'\(path)' is not an SQLite database (\(error.message)); nothing was changed.", cause: error)
        }
        if error.extendedCode == SQLiteError.readOnlyRollback {
            // Still hot after the busy timeout: not a writer starting a transaction (the race
            // `isBusyForReader` describes) but one that stopped in the middle of one.
            return StrataError(.databaseState, "Database '\(path)' holds an interrupted write: a writer stopped in the middle of a transaction (killed, or the machine went down) and left its rollback journal '\(path)-journal', which a read-only command cannot roll back. The next writer command (strata upgrade, downgrade, restore, ...) rolls it back and records a 'recovered' event. Nothing was changed.", cause: error)
        }
        return StrataError(.io, "Cannot open database '\(path)': \(error.message); nothing was changed.", cause: error)
    }

    // MARK: Reading

    public func state() throws -> StoreState {
        // One read transaction, so heads and status come from the same commit.
        try connection.transaction(.deferred) {
            guard try connection.tableExists(StrataSchema.versionTable) else { return .empty }
            let heads = try connection.query("SELECT version_num FROM strata_version ORDER BY version_num") { $0.string(0) }
            guard try connection.tableExists(StrataSchema.eventsTable), let last = try log.last() else {
                return StoreState(heads: heads, status: .idle, lastEvent: nil)
            }
            let locked = try connection.scalar("SELECT 1 FROM strata_lock") != nil
            return StoreState(heads: heads, status: last.status, lastEvent: last, lockHeld: locked)
        }
    }

    /// The version table's heads (sorted); empty without Strata's tables.
    public func heads() throws -> [String] { try state().heads }

    public func recordedChecksums() throws -> [String: String] {
        guard try connection.tableExists(StrataSchema.eventsTable) else { return [:] }
        return try log.recordedChecksums()
    }

    // MARK: Writing

    public func prepareSchema() throws {
        if try connection.tableExists("strata_meta") {
            let layout = try connection.scalar("SELECT value FROM strata_meta WHERE key = 'layout_version'")?.text
            if let layout, let version = Int(layout), version > StrataSchema.layoutVersion {
                throw StrataError(.databaseState, "Database '\(location)' was written by a newer Strata (table layout \(version); this build knows \(StrataSchema.layoutVersion)); nothing was changed.")
            }
            if try connection.tableExists(StrataSchema.eventsTable) {
                try updateIndexes()
                if let layout, let version = Int(layout), version < StrataSchema.layoutVersion { try updateLayoutVersion() }
                return
            }
        }
        try guarded("creating Strata's tables") {
            try connection.transaction(.immediate) {
                try connection.execute(StrataSchema.create)
                try connection.execute("INSERT OR IGNORE INTO strata_meta (key, value) VALUES ('layout_version', ?), ('event_hash', ?)",
                                       [.text(String(StrataSchema.layoutVersion)), .text("v\(EventHash.version)")])
            }
        }
    }

    /// Records that this build's layout is in use: from now on snapshots may store their
    /// schema as a delta (layout 2), which a build that knows only layout 1 must refuse.
    private func updateLayoutVersion() throws {
        try guarded("recording the table layout version") {
            try connection.transaction(.immediate) {
                try connection.execute("UPDATE strata_meta SET value = ? WHERE key = 'layout_version'",
                                       [.text(String(StrataSchema.layoutVersion))])
            }
        }
    }

    /// Gives an older file this build's indexes: the actor index of `StrataSchema.auditIndexes`
    /// in place of the expression indexes an earlier build kept, the kind index without the
    /// kinds every migration writes (`StrataSchema.denseKinds`), and no index of snapshots by
    /// revision. One look at `sqlite_master` per writer open; a file already up to date
    /// changes nothing.
    private func updateIndexes() throws {
        let kindIndex = StrataSchema.kindIndexName
        let names = [StrataSchema.actorIndex, kindIndex, StrataSchema.legacySnapshotIndex] + StrataSchema.legacyActorIndexes
        var present: [String: String] = [:]
        for (name, sql) in try connection.query(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN (\(names.map { _ in "?" }.joined(separator: ", ")))",
            names.map(SQLiteValue.text), { ($0.string(0), $0.optionalString(1) ?? "") }) { present[name] = sql }
        let kindIndexIsPartial = present[kindIndex]?.contains(StrataSchema.sparseKindsCondition) == true
        if kindIndexIsPartial && Set(present.keys) == [StrataSchema.actorIndex, kindIndex] { return }
        try guarded("updating the event log's indexes") {
            try connection.transaction(.immediate) {
                for legacy in StrataSchema.legacyActorIndexes + [StrataSchema.legacySnapshotIndex] {
                    try connection.execute("DROP INDEX IF EXISTS \(legacy)")
                }
                if !kindIndexIsPartial { try connection.execute("DROP INDEX IF EXISTS \(kindIndex)") }
                try connection.execute(StrataSchema.auditIndexes + StrataSchema.kindIndex)
            }
        }
    }

    public func acquireLock(operation: String, timeout: Duration) throws -> LockGrant {
        let deadline = ContinuousClock.now + timeout
        var pause = Duration.milliseconds(10)
        while true {
            var holder: WriterLock.Owner?
            do {
                let attempted = ContinuousClock.now
                switch try lock.tryAcquire(operation: operation) {
                case .acquired: return took(LockGrant(), at: attempted)
                case .tookOver(let owner, let reason): return took(LockGrant(tookOverFrom: owner.json, reason: reason), at: attempted)
                case .held(let owner): holder = owner
                }
            } catch where SQLiteError.isBusy(error) {
                // Another writer is inside a long migration transaction: keep waiting.
            } catch {
                // Anything else (a full disk, say): one sentence naming the database's state.
                try guarded("taking the writer lock") { throw error }
            }
            guard ContinuousClock.now < deadline else {
                let who = holder.map { "Another writer holds the lock: \($0.description)" } ?? "Another connection kept the database locked"
                throw StrataError(.timeout, "\(who); gave up waiting after \(timeout) on '\(location)'. Nothing was changed.")
            }
            Thread.sleep(forTimeInterval: Double(pause.milliseconds) / 1000)
            pause = min(pause * 2, .milliseconds(200))
        }
    }

    /// This process now holds the writer lock.
    private func took(_ grant: LockGrant, at attempted: ContinuousClock.Instant) -> LockGrant {
        lastStep = nil
        leaseRenewed = attempted
        // An optimisation only: a file it cannot switch is written in its own mode.
        persistentJournal = try? PersistentJournal.begin(on: connection)
        return grant
    }

    public func releaseLock() throws {
        leaseRenewed = nil
        lastStep = nil
        defer {
            // Even when releasing failed. If this fails, a zeroed journal stays, as after a crash.
            try? persistentJournal?.end(on: connection)
            persistentJournal = nil
        }
        try guarded("releasing the writer lock") { try lock.release() }
    }

    public func append(_ events: [NewEvent], archiving scripts: [String]) throws {
        try guarded("appending to the event log") {
            try connection.transaction(.immediate) {
                for text in scripts { _ = try archiveScript(text) }
                for event in events { try log.append(event) }
            }
        }
    }

    public func stamp(heads: [String], event: NewEvent) throws {
        try guarded("stamping \(HeadsDescription(heads))") {
            try connection.transaction(.immediate) {
                try writeHeads(heads)
                try log.append(event)
            }
        }
    }

    public func archiveScript(_ text: String) throws -> String {
        if scriptCompressor == nil { scriptCompressor = try Zlib.Compressor(level: ScriptArchive.level) }
        return try ScriptArchive(connection: connection, compressor: scriptCompressor).store(text)
    }

    func writeHeads(_ heads: [String]) throws {
        try connection.execute("DELETE FROM strata_version")
        let insert = try connection.prepare("INSERT INTO strata_version (version_num) VALUES (?)")
        for head in heads { try insert.run([.text(head)]) }
    }

    /// Turns a SQLite error outside a migration body into one sentence with the database state.
    private func guarded<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StrataError {
            throw error
        } catch {
            let state = (try? heads()).map { "The database is still at \(HeadsDescription($0))." } ?? ""
            throw StrataError(.sqlite, "Failed \(what) in '\(location)': \(Self.reason(error)). \(state)", cause: error)
        }
    }

    static func reason(_ error: any Error) -> String {
        switch error {
        case let error as SQLiteError: error.message
        case let error as ScriptStatementError: error.underlying.message
        default: String(describing: error)
        }
    }

    // MARK: Running a step

    public func run(_ step: MigrationStep, of script: MigrationScript, backup: BackupMode,
                    events: (StepExecution) throws -> [NewEvent]) throws -> StepExecution {
        let body = try MigrationBodies.body(of: script, for: step, heads: step.headsBefore)
        let started = ContinuousClock.now
        // "This pragma is a no-op within a transaction", so it is switched off before BEGIN and
        // the constraints are checked with foreign_key_check before COMMIT instead. Off is
        // SQLite's default: then there is nothing to switch, except that a non-transactional
        // body may have switched it on.
        let foreignKeysWereOn = connection.foreignKeysEnabled
        if foreignKeysWereOn { try connection.setForeignKeys(false) }
        defer { if foreignKeysWereOn || !script.transactional { try? connection.setForeignKeys(foreignKeysWereOn) } }

        // A non-transactional script's statements commit one by one, so its snapshot can only
        // be the state before the first of them: all touched tables are taken up front.
        let recorder = SnapshotRecorder(connection: connection, mode: script.transactional || backup == .none ? backup : .all,
                                        revision: script.id, reason: step.direction.rawValue, heads: step.headsBefore,
                                        progress: progress)
        var execution = StepExecution(step: step, statementCount: 0, duration: .zero)
        var renewed: ContinuousClock.Instant?
        /// The log's tail, read when the transaction that appends after it began.
        var tail: (seq: Int64, hash: String)?
        /// This connection's view of commits by others, read in this step's transaction.
        var dataVersion: Int64 = 0
        let previous = lastStep
        lastStep = nil
        /// Checks the heads and starts the snapshot, whose event will follow the log's tail.
        func start() throws {
            dataVersion = try connection.dataVersion()
            if let previous, previous.stillCurrent(dataVersion: dataVersion, connection: connection),
               previous.heads == step.headsBefore.sorted() {
                tail = previous.tail
            } else {
                try expectHeads(step.headsBefore)
                tail = try log.tail()
            }
            recorder.expectedEventSeq = tail.map { $0.seq + 1 }
            try recorder.begin()
        }
        let writes = TableWrites()
        func watched(_ body: () throws -> Int) throws -> Int {
            try writes.watch(connection, refusingTransactionStatements: script.transactional,
                             beforeStatement: recorder.beforeStatement(touching:), body)
        }
        /// Appends `stepEvents` in one go, after `snapshot_taken` when `snapshot` holds it.
        func append(snapshot: NewEvent?, _ stepEvents: [NewEvent]) throws {
            let logged = try log.append((snapshot.map { [$0] } ?? []) + stepEvents, after: tail)
            if snapshot != nil { try recorder.link(eventSeq: logged[0].seq) }
            tail = logged.last.map { ($0.seq, $0.hash) } ?? tail
        }
        /// The version update and the step's events: the part that is always atomic.
        func finish(withSnapshotEvent: Bool) throws {
            // `snapshot_taken`'s duration runs to the end of the body, not through the checks.
            let snapshot = withSnapshotEvent ? recorder.event(status: .migrating) : nil
            let violations = try ForeignKeyCheck.violations(in: connection, children: writes.children, parents: writes.parents)
            guard violations.isEmpty else { throw ForeignKeyViolations(violations: violations) }
            try writeHeads(step.headsAfter)
            renewed = try renewLeaseIfDue()
            execution.duration = ContinuousClock.now - started
            execution.snapshotID = recorder.snapshotID
            try append(snapshot: snapshot, try events(execution))
        }
        do {
            if script.transactional {
                try connection.transaction(.immediate) {
                    try start()
                    execution.statementCount = try watched { try execute(body) }
                    try finish(withSnapshotEvent: true)
                }
                // Committed: what the next step would read back, unless someone writes first.
                if let tail {
                    lastStep = StepMark(heads: step.headsAfter.sorted(), tail: tail, dataVersion: dataVersion,
                                        totalChanges: sqlite3_total_changes64(connection.handle))
                }
            } else {
                // Statements SQLite refuses inside a transaction (VACUUM, some PRAGMAs) each
                // commit on their own; the snapshot before them and the version update and
                // events after them are each atomic.
                try connection.transaction(.immediate) {
                    try start()
                    try append(snapshot: recorder.event(status: .migrating), [])
                }
                do {
                    execution.statementCount = try watched { try execute(body) }
                } catch {
                    try closeTransactionLeftOpen(failure: error)
                    throw error
                }
                try closeTransactionLeftOpen()
                tail = nil  // another transaction: read afresh
                try connection.transaction(.immediate) { try finish(withSnapshotEvent: false) }
            }
        } catch {
            throw MigrationFailure.describe(error, step: step, script: script, body: body,
                                            stateNow: (try? heads()) ?? step.headsBefore)
        }
        if let renewed { leaseRenewed = renewed }
        return execution
    }

    /// Extends the writer lock's lease inside a migration's transaction, once a quarter of it
    /// has passed since the lock was taken or last renewed: renewing on every migration would
    /// write the lock's page in every commit. Returns when it renewed.
    private func renewLeaseIfDue() throws -> ContinuousClock.Instant? {
        let now = ContinuousClock.now
        if let leaseRenewed, now - leaseRenewed < lease / 4 { return nil }
        try lock.heartbeat()
        return now
    }

    /// A non-transactional script may run its own BEGIN ... COMMIT; one that leaves the
    /// transaction open (or whose statement `failure` came inside it) would make Strata's next
    /// BEGIN fail and hold the write lock on this connection, so what it did since its BEGIN is
    /// rolled back and the migration fails.
    private func closeTransactionLeftOpen(failure: (any Error)? = nil) throws {
        guard connection.isInTransaction else { return }
        connection.rollbackQuietly()
        throw TransactionLeftOpen(failure: failure)
    }

    private func execute(_ body: MigrationBody) throws -> Int {
        switch body {
        case .sql(let sql):
            var count = 0
            try connection.forEachStatement(in: sql) { statement, _ in
                try statement.run()
                count += 1
            }
            return count
        case .swift(let code):
            try code(connection)
            return 0
        }
    }

    /// Guards against a second writer having moved the database since the plan was made.
    private func expectHeads(_ expected: [String]) throws {
        let actual = try connection.query("SELECT version_num FROM strata_version ORDER BY version_num") { $0.string(0) }
        guard actual == expected.sorted() else {
            throw StrataError(.databaseState,
                "The database moved to \(HeadsDescription(actual)) while this plan expected \(HeadsDescription(expected)) (another writer?)")
        }
    }
}

/// The version table and the log's tail as a step committed them. They are still current when
/// no other connection has committed since (`PRAGMA data_version` is unchanged) and this one
/// has changed no row since (its total change count is unchanged): then the next step skips
/// reading both. A failed step leaves no mark, and taking or releasing the lock drops it.
struct StepMark {
    var heads: [String]
    var tail: (seq: Int64, hash: String)
    var dataVersion: Int64
    var totalChanges: Int64

    func stillCurrent(dataVersion: Int64, connection: Connection) -> Bool {
        dataVersion == self.dataVersion && sqlite3_total_changes64(connection.handle) == totalChanges
    }
}

struct ForeignKeyViolation: Sendable {
    var table: String
    var rowid: Int64?
    var parent: String
}

struct ForeignKeyViolations: Error, Sendable, CustomStringConvertible {
    var violations: [ForeignKeyViolation]

    var description: String {
        let first = violations[0]
        let row = first.rowid.map { "row \($0) of \(first.table)" } ?? "a row of \(first.table)"
        let more = violations.count > 1 ? " (and \(violations.count - 1) more)" : ""
        return "foreign key violation: \(row) references a missing row in \(first.parent)\(more)"
    }
}

/// A `transaction: false` script ran BEGIN without a matching COMMIT or ROLLBACK, or one of
/// its statements failed inside that transaction (`failure`); either way Strata rolled it back.
struct TransactionLeftOpen: Error, @unchecked Sendable, CustomStringConvertible {
    var failure: (any Error)? = nil

    var description: String {
        if let failure {
            return "\(SQLiteStore.reason(failure)), inside the script's own transaction (BEGIN); Strata rolled back what ran since that BEGIN"
        }
        return "the script began a transaction and did not end it (BEGIN without COMMIT); Strata rolled back what ran since that BEGIN"
    }
}
