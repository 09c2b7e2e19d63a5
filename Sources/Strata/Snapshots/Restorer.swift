/// Restore to a prior revision, or to one snapshot, from the snapshots in the log.
///
/// Before it changes anything, a restore checks every chunk it needs and snapshots what it
/// will overwrite (so `restore --snapshot ID` undoes it); then, in one transaction, it puts
/// the touched tables back, drops tables created later, rebuilds indexes, triggers and views,
/// sets `strata_version`, and records `restore_completed`.
public final class Restorer {
    public struct Plan: Sendable {
        /// The version table's heads after the restore.
        public var heads: [String]
        public var from: [String]
        /// The snapshots applied, newest first.
        public var snapshots: [Int64]
        /// What `restore_completed` records as the target.
        public var target: String
        /// Tables whose rows come back, and tables dropped (the later migrations created them).
        public var restoredTables: [String]
        public var droppedTables: [String]
        /// Tables the target's schema does not have, which no later migration made: created
        /// outside the migrations (by the application, say). They are kept, rows and all.
        public var keptTables: [String]
        var schema: SchemaCapture
        var sources: [String: SnapshotApplier.Source]
    }

    public struct Report: Sendable {
        public var plan: Plan
        public var undoSnapshot: Int64?
        public var rows: Int64
        public var foreignKeyViolations: Int
    }

    let migrator: Migrator
    var store: SQLiteStore
    var catalog: SnapshotCatalog { SnapshotCatalog(connection: store.connection) }

    public init(store: SQLiteStore, migrations: MigrationSet, options: MigratorOptions = .init()) {
        self.store = store
        self.migrator = Migrator(store: store, migrations: migrations, options: options)
    }

    // MARK: Plans (read only, integrity-checked)

    /// What `restore target` would do from the current state.
    public func plan(toRevision target: String) throws -> Plan {
        let current = try migrator.currentHeads()
        let steps = try migrator.migrations.graph.downgradePlan(current: current, target: target)
        guard !steps.isEmpty else {
            throw StrataError(.usage, "Restore goes back to a revision below the current one, and '\(target)' is not below \(HeadsDescription(current)); nothing was changed.")
        }
        let latest = try catalog.latest(before: steps.map(\.revision))
        var snapshots: [SnapshotCatalog.Snapshot] = []
        for step in steps {
            guard let snapshot = latest[step.revision] else {
                throw StrataError(.databaseState, "Revision \(step.revision) has no snapshot (it was stamped, or run with --backup none), so restore cannot go below it; nothing was changed. 'strata downgrade' runs its down script instead.")
            }
            snapshots.append(snapshot)
        }
        // Newest first, so the oldest snapshot holding a table decides its rows, and the oldest
        // one's schema is the target's. (A downgrade plan over several branches goes branch by
        // branch, not in the order the migrations ran.)
        snapshots.sort { $0.id > $1.id }
        var sources: [String: SnapshotApplier.Source] = [:]
        for snapshot in snapshots {
            for table in snapshot.tables { sources[table.name] = .init(snapshot: snapshot.id, table: table) }
        }
        try refuseLosingChanges(to: sources, undone: Set(steps.map(\.revision)),
                                applied: try migrator.migrations.graph.appliedRevisions(heads: current))
        return try makePlan(heads: steps.last!.headsAfter, from: current, snapshots: snapshots, target: target,
                            schema: catalog.schema(of: snapshots.last!), sources: sources)
    }

    /// A table comes back as the oldest snapshot among the undone migrations holds it. A
    /// migration on another branch that stays applied, and changed that table after that
    /// snapshot was taken, would lose its change while the log goes on saying it ran: refused.
    /// The tables a migration changed are those its own snapshot holds when it was taken with
    /// `--backup touched` (the default); one taken with `all` holds every table, which says
    /// nothing about what the migration changed, so it is not counted.
    private func refuseLosingChanges(to sources: [String: SnapshotApplier.Source], undone: Set<String>, applied: Set<String>) throws {
        let laterChanges = try store.connection.prepare("""
            SELECT s.revision FROM strata_snapshots AS s
            JOIN strata_snapshot_tables AS t ON t.snapshot_id = s.id
            JOIN strata_events AS e ON e.seq = s.event_seq
            WHERE s.reason = 'upgrade' AND s.id > ? AND t.name = ? COLLATE NOCASE AND json_extract(e.detail, '$.mode') = 'touched'
            ORDER BY s.id
            """)
        for (table, source) in sources.sorted(by: { $0.key < $1.key }) {
            let revisions = try laterChanges.rows([.integer(source.snapshot), .text(table)]) { $0.string(0) }
            if let kept = revisions.first(where: { applied.contains($0) && !undone.contains($0) }) {
                throw StrataError(.databaseState, "Table '\(table)' would come back as snapshot \(source.snapshot) holds it, but revision \(kept) changed it after that snapshot and stays applied: the restore would undo \(kept)'s change while the log says \(kept) ran. Restore to a revision below \(kept) as well, or downgrade \(kept) first; nothing was changed.")
            }
        }
    }

    /// What `restore --snapshot id` would do.
    public func plan(snapshot id: Int64) throws -> Plan {
        guard let snapshot = try catalog.snapshot(id) else {
            let known = try catalog.all().map { String($0.id) }.joined(separator: ", ")
            throw StrataError(.usage, "There is no snapshot \(id) (snapshots: \(known.isEmpty ? "none" : known)); nothing was changed.")
        }
        var sources: [String: SnapshotApplier.Source] = [:]
        for table in snapshot.tables { sources[table.name] = .init(snapshot: snapshot.id, table: table) }
        return try makePlan(heads: snapshot.heads, from: try store.heads(), snapshots: [snapshot],
                            target: "snapshot \(id)", schema: catalog.schema(of: snapshot), sources: sources)
    }

    private func makePlan(heads: [String], from: [String], snapshots: [SnapshotCatalog.Snapshot], target: String,
                          schema: SchemaCapture, sources: [String: SnapshotApplier.Source]) throws -> Plan {
        let live = try SchemaCapture(connection: store.connection).tables.map(\.name)
        let restored = SnapshotApplier.rebuilt(sources)
        let dropped = SnapshotApplier.dropped(sources)
        let kept = live.filter { SnapshotApplier.keeps($0, target: schema, sources: sources) }.sorted()
        return Plan(heads: heads, from: from, snapshots: snapshots.map(\.id), target: target,
                    restoredTables: restored, droppedTables: dropped, keptTables: kept, schema: schema, sources: sources)
    }

    /// Checks every chunk the plan will read (CRC-32, decompression, row counts), changing
    /// nothing. A restore itself checks each chunk as it reads it, inside its one transaction,
    /// so a corrupt chunk rolls the whole restore back: the same promise, one pass fewer.
    public func verify(_ plan: Plan) throws {
        for snapshot in try snapshots(of: plan) { try catalog.verify(snapshot) }
    }

    private func snapshots(of plan: Plan) throws -> [SnapshotCatalog.Snapshot] {
        try plan.snapshots.map { id in
            guard let snapshot = try catalog.snapshot(id) else {
                throw StrataError(.integrity, "Snapshot \(id) disappeared while planning the restore; nothing was changed.")
            }
            return snapshot
        }
    }

    // MARK: Restoring

    @discardableResult
    public func restore(toRevision target: String) throws -> Report {
        try run { try plan(toRevision: target) }
    }

    @discardableResult
    public func restore(snapshot id: Int64) throws -> Report {
        try run { try plan(snapshot: id) }
    }

    private func run(_ makePlan: () throws -> Plan) throws -> Report {
        _ = try makePlan()  // refuse a bad target before taking the lock
        return try migrator.whileLocked("restore") { state in
            let plan = try makePlan()
            // Pruned or unreadable snapshots are refused before anything, even the start event.
            for snapshot in try snapshots(of: plan) { try catalog.checkReadable(snapshot) }
            try store.append([NewEvent(.restoreStarted, status: .restoring, heads: state.heads, detail: [
                "target": .string(plan.target), "from": JSONValue(state.heads), "snapshots": .array(plan.snapshots.map(JSONValue.int)),
            ])])
            let connection = store.connection
            let foreignKeysWereOn = connection.foreignKeysEnabled
            try connection.setForeignKeys(false)
            defer { try? connection.setForeignKeys(foreignKeysWereOn) }
            do {
                return try RestoreSettings.applying(to: connection) {
                    try connection.transaction(.immediate) {
                        // The undo snapshot: everything this restore will overwrite or drop.
                        let undo = SnapshotRecorder(connection: connection, mode: .touched, revision: nil, reason: "restore",
                                                    heads: state.heads, progress: store.progress)
                        try undo.record(plan.restoredTables + plan.droppedTables)
                        if let event = undo.event(status: .restoring) {
                            try undo.link(eventSeq: try store.log.append(event).seq)
                        }
                        var orphaned = (rows: 0, wholeTables: Set<String>())
                        let applied = try SnapshotApplier(connection: connection, progress: store.progress)
                            .apply(target: plan.schema, sources: plan.sources) { setAside in
                                orphaned = try RestoredForeignKeys.orphanedRows(
                                    in: connection, replaced: setAside, rewritten: Set(plan.restoredTables))
                            }
                        let violations = try orphaned.rows + RestoredForeignKeys.violationCount(
                            in: connection, tables: Set(plan.restoredTables).union(orphaned.wholeTables))
                        try store.writeHeads(plan.heads)
                        try store.log.append(NewEvent(.restoreCompleted, status: .idle, heads: plan.heads, detail: [
                            "target": .string(plan.target), "from": JSONValue(state.heads),
                            "snapshots": .array(plan.snapshots.map(JSONValue.int)),
                            "undo_snapshot": undo.snapshotID.map(JSONValue.int) ?? .null,
                            "restored": JSONValue(applied.restored), "dropped": JSONValue(applied.dropped),
                            "rows": .int(applied.rows), "foreign_key_violations": JSONValue(violations),
                        ]))
                        return Report(plan: plan, undoSnapshot: undo.snapshotID, rows: applied.rows,
                                      foreignKeyViolations: violations)
                    }
                }
            } catch {
                // Rolled back whole: the database is exactly as before, so is its status.
                let reason = (error as? StrataError)?.message ?? SQLiteStore.reason(error)
                try? store.append([NewEvent(.restoreFailed, status: state.status, heads: state.heads, detail: [
                    "target": .string(plan.target), "error": .string(reason),
                ])])
                let code = (error as? StrataError)?.code ?? .databaseState
                throw StrataError(code, "Restore of '\(store.location)' to \(plan.target) failed and was rolled back, nothing was changed: \(reason) The database is still at \(HeadsDescription(state.heads)).", cause: error)
            }
        }
    }
}
