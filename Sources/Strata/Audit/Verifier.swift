/// `strata verify`: checks everything the database claims about itself.
///
/// - the hash chain: seq gap-free from 1, each `prev_hash` the previous `hash`, each `hash`
///   recomputed (catches edits, deletions and reordering; names the first bad seq);
/// - `strata_version` against the heads the newest event recorded;
/// - every stored script against its address;
/// - applied scripts against the files (edited scripts);
/// - schema drift: the logged scripts replayed in memory against the live schema.
public struct Verifier {
    public struct Problem: Sendable, Hashable {
        /// `chain`, `projection`, `script`, `snapshot`, `edited`, `drift`.
        public var area: String
        public var message: String
    }

    public struct Report: Sendable {
        public var eventsChecked = 0
        public var scriptsChecked = 0
        public var snapshotsChecked = 0
        public var problems: [Problem] = []
        public var notes: [String] = []
        public var ok: Bool { problems.isEmpty }
    }

    let store: SQLiteStore
    let migrations: MigrationSet?

    public init(store: SQLiteStore, migrations: MigrationSet?) {
        self.store = store
        self.migrations = migrations
    }

    public func verify() throws -> Report {
        var report = Report()
        guard try store.connection.tableExists(StrataSchema.eventsTable) else {
            report.notes.append("No event log: '\(store.location)' has never been migrated by Strata.")
            return report
        }
        let chainIntact = try checkChain(&report)
        try checkProjection(&report)
        try checkScripts(&report)
        try checkSnapshots(&report)
        if let migrations {
            let migrator = Migrator(store: store, migrations: migrations)
            for edit in try migrator.editedScripts() {
                report.problems.append(Problem(area: "edited", message: "Revision \(edit.revision) was edited after it ran (\(edit.origin)): recorded checksum \(edit.recorded), file now \(edit.current)."))
            }
        } else {
            report.notes.append("No migrations folder: script files were not compared with the log.")
        }
        // The replay reads every stored script, so a damaged one would stop it with an error
        // and hide the problems listed so far: drift is only checked over an intact archive.
        let scriptsIntact = !report.problems.contains { $0.area == "script" }
        if chainIntact && !scriptsIntact {
            report.notes.append("Schema drift was not checked: the replay needs every stored script intact.")
        }
        if chainIntact && scriptsIntact {
            let outcome: LogReplay.Outcome
            do {
                outcome = try LogReplay(source: store).replay(into: ":memory:")
            } catch let error as StrataError where error.cause is ReplayAttaches {
                report.notes.append("Schema drift was not checked: \(error.message)")
                return report
            }
            for line in outcome.schemaDifferences {
                report.problems.append(Problem(area: "drift", message: "Schema drift: \(line)."))
            }
            if !outcome.skipped.isEmpty {
                report.notes.append("Swift revisions cannot be replayed (\(outcome.skipped.joined(separator: ", "))); drift was checked without them.")
            }
        }
        return report
    }

    /// Returns whether the chain is intact.
    private func checkChain(_ report: inout Report) throws -> Bool {
        var expectedSeq: Int64 = 1
        var previousHash = EventHash.genesis
        var firstProblem: Problem?
        try store.connection.transaction(.deferred) {
            try EventLog(connection: store.connection).forEach { event in
                report.eventsChecked += 1
                guard firstProblem == nil else { return }
                if event.seq != expectedSeq {
                    firstProblem = Problem(area: "chain", message: "Event seq \(expectedSeq) is missing (the next stored is \(event.seq)): events were deleted or renumbered.")
                } else if event.prevHash != previousHash {
                    firstProblem = Problem(area: "chain", message: "Event \(event.seq) does not follow event \(event.seq - 1) (prev_hash mismatch): events were deleted, inserted or reordered.")
                } else if EventHash.hash(of: event) != event.hash {
                    firstProblem = Problem(area: "chain", message: "Event \(event.seq) (\(event.kind)) was altered: its content does not match its hash.")
                }
                expectedSeq = event.seq + 1
                previousHash = event.hash
            }
        }
        if let firstProblem { report.problems.append(firstProblem) }
        return firstProblem == nil
    }

    private func checkProjection(_ report: inout Report) throws {
        let state = try store.state()
        guard let last = state.lastEvent else { return }
        if state.heads != last.heads.sorted() {
            report.problems.append(Problem(area: "projection", message: "strata_version holds \(HeadsDescription(state.heads)) but the log's newest event (seq \(last.seq)) says \(HeadsDescription(last.heads)); 'strata replay' rebuilds it from the log."))
        }
    }

    private func checkSnapshots(_ report: inout Report) throws {
        let catalog = SnapshotCatalog(connection: store.connection)
        for snapshot in try catalog.all() where snapshot.prunedAt == nil {
            report.snapshotsChecked += 1
            do {
                try catalog.verify(snapshot)
            } catch let error as StrataError {
                report.problems.append(Problem(area: "snapshot", message: error.message))
            }
        }
    }

    private func checkScripts(_ report: inout Report) throws {
        let archive = ScriptArchive(connection: store.connection)
        let addresses = try store.connection.query("SELECT sha256 FROM strata_scripts ORDER BY sha256") { $0.string(0) }
        for address in addresses {
            report.scriptsChecked += 1
            do {
                _ = try archive.text(at: address)
            } catch let error as StrataError {
                report.problems.append(Problem(area: "script", message: error.message))
            }
        }
        let referenced = try store.connection.query("""
            SELECT DISTINCT json_extract(detail, '$.script') FROM strata_events
            WHERE json_extract(detail, '$.script') IS NOT NULL
            """) { $0.string(0) }
        for address in Set(referenced).subtracting(addresses).sorted() {
            report.problems.append(Problem(area: "script", message: "The log refers to script \(address), which strata_scripts does not hold."))
        }
    }
}
