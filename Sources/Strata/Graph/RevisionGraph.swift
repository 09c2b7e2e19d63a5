/// The revision DAG with Alembic's semantics. Pure value: no I/O, no database.
///
/// The work lives in small files beside this one: `GraphValidation` (init), `TargetResolution`
/// and `RelativeTargets` (targets), `TopologicalOrder`, `UpgradePlanner`, `DowngradePlanner`,
/// `StampPlanner`, `HistoryRange`. `Docs/revision-targets.md` is the user-facing description.
public struct RevisionGraph: Sendable {
    /// Every revision, in the order given.
    public let nodes: [RevisionNode]
    /// Edges as indices; node order breaks every tie.
    let topo: GraphTopology

    /// Validates the graph: duplicate ids, duplicate branch labels, missing parents or
    /// dependencies, self-loops and cycles are `StrataError.invalidGraph` naming the origins.
    public init(_ nodes: [RevisionNode]) throws {
        self.nodes = nodes
        self.topo = try GraphBuilder.build(nodes)
    }

    public func node(_ id: String) -> RevisionNode? { topo.index[id].map { nodes[$0] } }

    /// Revisions nothing revises (sorted).
    public var heads: [String] { topo.sortedIds(topo.heads) }
    /// Revisions that revise nothing (sorted).
    public var bases: [String] { topo.sortedIds(topo.bases) }
    /// Revisions revised by two or more others (sorted).
    public var branchPoints: [String] { topo.sortedIds((0..<topo.count).filter { topo.children[$0].count > 1 }) }
    /// Revisions that list `id` in `revises` (sorted).
    public func children(of id: String) -> [String] {
        topo.index[id].map { topo.sortedIds(topo.children[$0]) } ?? []
    }

    /// What the version table holds once every revision is applied (sorted): the heads that
    /// nothing depends on either. Differs from `heads` only when a head is a `depends-on` target,
    /// whose row is absorbed by its dependant exactly as in Alembic. Compare with this for "at head".
    public var fullyUpgradedHeads: [String] { topo.sortedIds(topo.realHeads) }

    /// Branch labels of `id`: declared ones plus those inherited from the revision that declared
    /// them (sorted).
    public func branchLabels(of id: String) -> [String] {
        topo.index[id].map { topo.labels[$0].sorted() } ?? []
    }

    /// The version-table rows for a set of applied revisions: those nothing else in the set
    /// revises or depends on (sorted). Unknown ids are ignored.
    public func versionTableHeads(applied: Set<String>) -> [String] {
        topo.tableHeads(applied: Set(applied.compactMap { topo.index[$0] }))
    }

    /// Resolves one target (`head`, `heads`, `base`, an id or 4+ char prefix, `label@head`,
    /// `rev@label`, `+N`, `rev-N`, ...) to revision ids; `base` resolves to `[]`.
    /// `current` is the version table's heads, used by relative targets.
    public func resolve(_ target: String, current: [String]) throws -> [String] {
        let heads = try currentIndices(current)
        if let rel = RelativeTarget(target), rel.steps < 0 {
            return try downgradeTarget(current: heads, target: target).revision.map { [topo.ids[$0]] } ?? []
        }
        return topo.sortedIds(try upgradeTargets(current: heads, target: target))
    }

    /// The migrations to run, in order, to bring `current` up to `target`.
    public func upgradePlan(current: [String], target: String) throws -> [MigrationStep] {
        try planUpgrade(current: current, target: target)
    }

    /// The migrations to revert, in order, to bring `current` down to `target`.
    public func downgradePlan(current: [String], target: String) throws -> [MigrationStep] {
        try planDowngrade(current: current, target: target)
    }

    /// The version-table heads after `stamp targets...` (with `purge`, `current` is ignored).
    public func stampHeads(current: [String], targets: [String], purge: Bool) throws -> [String] {
        try planStamp(current: current, targets: targets, purge: purge)
    }

    /// Every revision applied when the version table holds `heads` (ancestors and dependencies).
    public func appliedRevisions(heads: [String]) throws -> Set<String> {
        Set(topo.ancestors(of: try currentIndices(heads)).map { topo.ids[$0] })
    }

    /// Revision ids newest first (a valid reverse topological order), limited by an Alembic
    /// range such as `base:head`, `rev:`, `:rev`, `-2:current`, `current:heads`.
    public func history(range: String?, current: [String]) throws -> [String] {
        try historyRange(range, current: current).map { topo.ids[$0] }
    }
}
