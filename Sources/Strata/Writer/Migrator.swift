import Foundation

/// Plans and runs upgrades, downgrades and stamps against a store, appending every step to the
/// event log in the same transaction as the change.
///
/// Each migration runs in its own transaction together with its version-table update and its
/// event, so a failure or a crash leaves the database wholly at the previous revision: there is
/// never a "dirty" state to force. A call with nothing to do only reads.
public final class Migrator {
    public let store: any Store
    public let migrations: MigrationSet
    public var options: MigratorOptions

    public init(store: any Store, migrations: MigrationSet, options: MigratorOptions = .init()) {
        self.store = store
        self.migrations = migrations
        self.options = options
    }

    // MARK: Plans (read only)

    public func plan(_ direction: MigrationDirection, to target: String) throws -> [MigrationStep] {
        try plan(direction, current: try currentHeads(), target: target)
    }

    private func plan(_ direction: MigrationDirection, current: [String], target: String) throws -> [MigrationStep] {
        switch direction {
        case .upgrade: try migrations.graph.upgradePlan(current: current, target: target)
        case .downgrade: try migrations.graph.downgradePlan(current: current, target: target)
        }
    }

    /// The version table's heads, checked against the scripts: a revision no script defines is
    /// an error naming it.
    public func currentHeads() throws -> [String] {
        let heads = try store.state().heads
        try checkKnown(heads)
        return heads
    }

    private func checkKnown(_ heads: [String]) throws {
        do {
            _ = try migrations.graph.appliedRevisions(heads: heads)
        } catch let error as StrataError where error.code == .unknownTarget {
            // Not a bad target typed by the user: the database is ahead of (or foreign to) the
            // scripts, so this is a database-state failure.
            let sentence = error.message.hasSuffix(".") ? String(error.message.dropLast()) : error.message
            throw StrataError(.databaseState,
                "\(sentence) in '\(store.location)'; nothing was run (is the database newer than these scripts?).", cause: error)
        }
    }

    /// Applied scripts whose text no longer matches the checksum recorded when they ran.
    public func editedScripts() throws -> [EditedScript] {
        try editedScripts(heads: try currentHeads())
    }

    private func editedScripts(heads: [String]) throws -> [EditedScript] {
        let recorded = try store.recordedChecksums()
        guard !recorded.isEmpty else { return [] }
        let applied = try migrations.graph.appliedRevisions(heads: heads)
        return migrations.scripts.compactMap { script in
            guard applied.contains(script.id), let was = recorded[script.id], let now = script.checksum, was != now else { return nil }
            return EditedScript(revision: script.id, origin: script.file ?? script.node.origin, recorded: was, current: now)
        }
    }

    // MARK: Operations

    /// Brings the database up to `target`. At the target already (and idle), it writes nothing.
    @discardableResult
    public func upgrade(to target: String = "heads") throws -> MigrationReport {
        try migrate(.upgrade, to: target)
    }

    /// Reverts migrations down to `target` with their downgrade sections.
    @discardableResult
    public func downgrade(to target: String) throws -> MigrationReport {
        try migrate(.downgrade, to: target)
    }

    /// The state, read as soon as no other connection holds the file locked, within the lock
    /// timeout: in rollback-journal mode another writer's long transaction locks out even
    /// readers while it writes, which the busy timeout alone (5 s) would report as a failure.
    private func stateWaitingOutLocks() throws -> StoreState {
        let deadline = ContinuousClock.now + options.lockTimeout
        while true {
            do {
                return try store.state()
            } catch where SQLiteError.isBusy(error) {
                guard ContinuousClock.now < deadline else {
                    throw StrataError(.timeout, "Another connection kept '\(store.location)' locked; gave up waiting after \(options.lockTimeout). Nothing was changed.", cause: error)
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
    }

    /// What a writer checks of the log before planning, at the cost of one event: the newest
    /// event is intact (its hash; the whole chain is `strata verify`'s job), and `strata_version`,
    /// the log's projection, agrees with it. Changed by hand, the version table would make a
    /// plan run applied migrations again: refused; `strata replay` rebuilds it from the log.
    private func checkNewestEvent(_ state: StoreState) throws {
        guard let last = state.lastEvent else { return }
        guard EventHash.hash(of: last) == last.hash else {
            throw StrataError(.integrity, "The log's newest event in '\(store.location)' (seq \(last.seq), \(last.kind.rawValue)) was altered: its content does not match its hash. 'strata verify' lists what else was changed; nothing was changed.")
        }
        guard state.heads == last.heads.sorted() else {
            throw StrataError(.integrity, "strata_version in '\(store.location)' holds \(HeadsDescription(state.heads)) but the log's newest event (seq \(last.seq)) says \(HeadsDescription(last.heads)): it was changed outside Strata. 'strata replay' rebuilds it from the log; nothing was changed.")
        }
    }

    private func migrate(_ direction: MigrationDirection, to target: String) throws -> MigrationReport {
        // The boot path: one read, and no write at all when there is nothing to do.
        let initial = try stateWaitingOutLocks()
        try checkNewestEvent(initial)
        try checkKnown(initial.heads)
        let firstPlan = try plan(direction, current: initial.heads, target: target)
        let firstEdits = try editedScripts(heads: initial.heads)
        // A lock row means a writer is at work (wait for it) or died holding it (recover).
        if firstPlan.isEmpty && initial.status == .idle && firstEdits.isEmpty && !initial.lockHeld {
            return MigrationReport(direction: direction, before: initial.heads, after: initial.heads)
        }
        try refuseEdits(firstEdits)
        // A plan that cannot finish (a revision with no downgrade section) is refused before
        // anything runs, rather than stopping half-way.
        for step in firstPlan {
            _ = try MigrationBodies.body(of: migrations.plannedScript(step.revision), for: step, heads: initial.heads)
        }

        return try whileLocked(direction.rawValue) { state in
            // Re-plan under the lock: another writer may have done the work meanwhile.
            try checkNewestEvent(state)
            try checkKnown(state.heads)
            let steps = try plan(direction, current: state.heads, target: target)
            var report = MigrationReport(direction: direction, before: state.heads, after: state.heads)
            report.acceptedEdits = try acceptEdits(heads: state.heads)
            guard !steps.isEmpty else {
                if state.status != .idle {
                    // Nothing left to run, but a failed status must not outlive the problem.
                    try store.append([NewEvent(direction.completedKind, status: .idle, heads: state.heads,
                                               detail: ["target": .string(target), "applied": 0])])
                }
                return report
            }
            // The plan's scripts are archived with its start, so no step writes the archive (a
            // page at a random key, journaled, in every commit). A step that never runs leaves
            // its text stored, addressed and harmless.
            try store.append([NewEvent(direction.startedKind, status: .migrating, heads: state.heads, detail: [
                "target": .string(target), "from": JSONValue(state.heads), "plan": JSONValue(steps.map(\.revision)),
            ])], archiving: steps.compactMap { migrations.plannedScript($0.revision).source })
            let clock = ContinuousClock.now
            for (index, step) in steps.enumerated() {
                let script = migrations.plannedScript(step.revision)
                do {
                    let execution = try store.run(step, of: script, backup: options.backup) { execution in
                        var events = [NewEvent(direction.stepKind, revision: script.id, status: .migrating,
                                               heads: step.headsAfter, detail: try stepDetail(script, execution))]
                        if index == steps.count - 1 {
                            events.append(NewEvent(direction.completedKind, status: .idle, heads: step.headsAfter, detail: [
                                "target": .string(target), "applied": JSONValue(steps.count),
                                "duration_ms": JSONValue(milliseconds: ContinuousClock.now - clock),
                            ]))
                        }
                        return events
                    }
                    report.steps.append(execution)
                    report.after = step.headsAfter
                } catch let error as StrataError {
                    try? store.append([NewEvent(.migrationFailed, revision: script.id, status: .failed,
                                                heads: report.after, detail: failureDetail(error, script, step))])
                    throw error
                }
            }
            return report
        }
    }

    /// Sets the version table to `targets` without running any migration.
    @discardableResult
    public func stamp(_ targets: [String], purge: Bool = false) throws -> [String] {
        try store.prepareSchema()
        return try whileLocked("stamp") { state in
            let current = purge ? [] : state.heads
            if !purge { try checkKnown(current) }
            let heads = try migrations.graph.stampHeads(current: current, targets: targets, purge: purge)
            try store.stamp(heads: heads, event: NewEvent(.stamped, status: .idle, heads: heads, detail: [
                "from": JSONValue(state.heads), "targets": JSONValue(targets), "purge": .bool(purge),
            ]))
            return heads
        }
    }

    /// `replay`: rebuilds `strata_version` from the log's newest event. Returns the heads
    /// before and after; writes (and records `projection_rebuilt`) only when they differ.
    @discardableResult
    public func rebuildVersionTable() throws -> (before: [String], after: [String]) {
        try whileLocked("replay") { state in
            guard let last = state.lastEvent else { return (state.heads, state.heads) }
            let logged = last.heads.sorted()
            guard logged != state.heads else { return (state.heads, logged) }
            try store.stamp(heads: logged, event: NewEvent(.projectionRebuilt, status: state.status, heads: logged, detail: [
                "from": JSONValue(state.heads), "source_seq": .int(last.seq),
            ]))
            return (state.heads, logged)
        }
    }

    // MARK: Pieces

    /// Takes the writer lock, records a `recovered` event when the previous writer died
    /// mid-operation, runs `body` with the state read under the lock, and releases the lock.
    func whileLocked<T>(_ operation: String, _ body: (StoreState) throws -> T) throws -> T {
        try store.prepareSchema()
        let grant = try store.acquireLock(operation: operation, timeout: options.lockTimeout)
        defer { try? store.releaseLock() }
        var state = try store.state()
        let interrupted = state.status == .migrating || state.status == .restoring
        if grant.tookOverFrom != nil || interrupted {
            let status: WriterStatus = state.status == .failed ? .failed : .idle
            var detail: JSONValue = [
                "reason": .string(grant.reason ?? "the previous writer stopped while \(state.status.rawValue)"),
                "previous_owner": grant.tookOverFrom ?? .null,
                "interrupted": .string(state.lastEvent.map(\.kind.rawValue) ?? "unknown"),
                "last_seq": state.lastEvent.map { .int($0.seq) } ?? .null,
            ]
            if !interrupted { detail = detail.merging(["interrupted": .null]) }
            try store.append([NewEvent(.recovered, status: status, heads: state.heads, detail: detail)])
            state = try store.state()
        }
        return try body(state)
    }

    private func refuseEdits(_ edits: [EditedScript]) throws {
        guard !edits.isEmpty, !options.acceptEditedScripts else { return }
        let list = edits.map { "\($0.revision) (\($0.origin))" }.joined(separator: ", ")
        throw StrataError(.integrity,
            "\(edits.count) applied script(s) changed since they ran: \(list); nothing was run. Restore the original text, or pass --accept-edited to record the new text as intended.",
            detail: edits.map { "\($0.revision): recorded \($0.recorded), file now \($0.current)" }.joined(separator: "\n"))
    }

    /// Records accepted edits (under the lock) so they are not reported again.
    private func acceptEdits(heads: [String]) throws -> [EditedScript] {
        let edits = try editedScripts(heads: heads)
        try refuseEdits(edits)
        guard !edits.isEmpty else { return [] }
        try store.append(try edits.map { edit in
            let script = migrations.plannedScript(edit.revision)
            return NewEvent(.checksumAccepted, revision: edit.revision, status: .idle, heads: heads, detail: [
                "checksum": .string(edit.current), "previous_checksum": .string(edit.recorded),
                "file": JSONValue(script.file), "script": JSONValue(try script.source.map(store.archiveScript)),
            ])
        })
        return edits
    }

    private func stepDetail(_ script: MigrationScript, _ execution: StepExecution) throws -> JSONValue {
        [
            "direction": .string(execution.step.direction.rawValue),
            "checksum": JSONValue(script.checksum),
            "script": JSONValue(script.source.map(ScriptArchive.address(of:))),
            "file": JSONValue(script.file),
            "message": .string(script.message),
            "statements": JSONValue(execution.statementCount),
            "duration_ms": JSONValue(milliseconds: execution.duration),
            "from": JSONValue(execution.step.headsBefore),
            "snapshot": execution.snapshotID.map(JSONValue.int) ?? .null,
        ]
    }

    private func failureDetail(_ error: StrataError, _ script: MigrationScript, _ step: MigrationStep) -> JSONValue {
        var detail: [String: JSONValue] = [
            "direction": .string(step.direction.rawValue),
            "error": .string(error.message),
            "checksum": JSONValue(script.checksum),
            "file": JSONValue(script.file),
        ]
        if let statement = error.cause as? ScriptStatementError {
            detail["statement"] = JSONValue(statement.index + 1)
            detail["sql"] = .string(SQLiteError.excerpt(statement.sql, limit: 400))
            detail["sqlite_error"] = .string(statement.underlying.message)
        }
        return .object(detail)
    }
}

/// Knobs for a `Migrator`.
public struct MigratorOptions: Sendable {
    /// How long to wait for another live writer's lock before giving up.
    public var lockTimeout: Duration = .seconds(60)
    /// Run even though applied scripts were edited, recording the new text as intended.
    public var acceptEditedScripts = false
    /// Which tables each migration's snapshot holds.
    public var backup: BackupMode = .touched

    public init(lockTimeout: Duration = .seconds(60), acceptEditedScripts: Bool = false, backup: BackupMode = .touched) {
        self.lockTimeout = lockTimeout
        self.acceptEditedScripts = acceptEditedScripts
        self.backup = backup
    }
}

/// An applied script whose text changed since it ran.
public struct EditedScript: Sendable, Hashable {
    public var revision: String
    public var origin: String
    public var recorded: String
    public var current: String
}

/// What an upgrade or downgrade did.
public struct MigrationReport: Sendable {
    public var direction: MigrationDirection
    public var before: [String]
    public var after: [String]
    public var steps: [StepExecution] = []
    public var acceptedEdits: [EditedScript] = []
}

extension MigrationDirection {
    var startedKind: EventKind { self == .upgrade ? .upgradeStarted : .downgradeStarted }
    var stepKind: EventKind { self == .upgrade ? .migrationApplied : .migrationReverted }
    var completedKind: EventKind { self == .upgrade ? .upgradeCompleted : .downgradeCompleted }
}

extension JSONValue {
    func merging(_ other: [String: JSONValue]) -> JSONValue {
        guard case .object(var members) = self else { return self }
        for (key, value) in other { members[key] = value }
        return .object(members)
    }
}
