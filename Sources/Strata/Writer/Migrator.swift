/// Plans and runs upgrades, downgrades and stamps against a store.
///
/// Each migration runs in its own transaction together with its version-table update, so a
/// failure or a crash leaves the database wholly at the previous revision: there is never a
/// "dirty" state to force.
public final class Migrator {
    public let store: any Store
    public let migrations: MigrationSet

    public init(store: any Store, migrations: MigrationSet) {
        self.store = store
        self.migrations = migrations
    }

    /// The steps `upgrade target` would run from the database's current heads.
    public func upgradePlan(to target: String = "heads") throws -> [MigrationStep] {
        let current = try currentHeads()
        return try migrations.graph.upgradePlan(current: current, target: target)
    }

    /// The steps `downgrade target` would run from the database's current heads.
    public func downgradePlan(to target: String) throws -> [MigrationStep] {
        let current = try currentHeads()
        return try migrations.graph.downgradePlan(current: current, target: target)
    }

    /// Brings the database up to `target`. At the target already, it writes nothing.
    @discardableResult
    public func upgrade(to target: String = "heads") throws -> [StepExecution] {
        try run(try upgradePlan(to: target))
    }

    /// Reverts migrations down to `target` with their downgrade sections.
    @discardableResult
    public func downgrade(to target: String) throws -> [StepExecution] {
        try run(try downgradePlan(to: target))
    }

    /// Sets the version table to `targets` without running any migration.
    @discardableResult
    public func stamp(_ targets: [String], purge: Bool = false) throws -> [String] {
        let current = purge ? [] : try currentHeads()
        let heads = try migrations.graph.stampHeads(current: current, targets: targets, purge: purge)
        try store.prepareSchema()
        try store.stamp(heads: heads)
        return heads
    }

    /// The version table's heads, checked against the scripts: a revision no script defines is
    /// an error naming it.
    public func currentHeads() throws -> [String] {
        let heads = try store.heads()
        do {
            _ = try migrations.graph.appliedRevisions(heads: heads)
        } catch let error as StrataError where error.code == .unknownTarget {
            // Not a bad target typed by the user: the database is ahead of (or foreign to) the
            // scripts, so this is a database-state failure.
            throw StrataError(.databaseState,
                "\(error.message.hasSuffix(".") ? String(error.message.dropLast()) : error.message) in '\(store.location)'; nothing was run (is the database newer than these scripts?).",
                cause: error)
        }
        return heads
    }

    private func run(_ plan: [MigrationStep]) throws -> [StepExecution] {
        guard !plan.isEmpty else { return [] }
        try store.prepareSchema()
        return try plan.map { step in
            try store.run(step, of: migrations.plannedScript(step.revision))
        }
    }
}
