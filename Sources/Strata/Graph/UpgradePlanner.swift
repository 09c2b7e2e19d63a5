/// `upgrade TARGET`: every revision the target needs that is not applied yet, parents and
/// dependencies first (Alembic's `_collect_upgrade_revisions` with `implicit_base=True`).
extension RevisionGraph {
    func planUpgrade(current: [String], target: String) throws -> [MigrationStep] {
        let heads = try currentIndices(current)
        let targets = try upgradeTargets(current: heads, target: target)
        let required = topo.ancestors(of: targets)
        let applied = topo.ancestors(of: heads)
        let needed = required.subtracting(applied)
        let order = topo.newestFirst(needed, startingFrom: targets).reversed()
        return steps(.upgrade, order: Array(order), current: current, applied: applied)
    }

    /// Replays `order` against the applied set, recording the version table around each step.
    /// The heads are kept step by step rather than recomputed from the whole applied set
    /// (quadratic in a long history): a step changes only itself and what it revises or
    /// depends on.
    func steps(_ direction: MigrationDirection, order: [Int], current: [String], applied start: Set<Int>) -> [MigrationStep] {
        var applied = start
        var heads = topo.tableHeadIndices(applied: applied)
        var before = Array(Set(current)).sorted()
        return order.map { r in
            let below = topo.parents[r] + topo.dependencies[r]
            if direction == .upgrade {
                applied.insert(r)
                heads.subtract(below)
                if topo.isTableHead(r, applied: applied) { heads.insert(r) }
            } else {
                applied.remove(r)
                heads.remove(r)
                for m in below where applied.contains(m) && topo.isTableHead(m, applied: applied) { heads.insert(m) }
            }
            let after = topo.sortedIds(heads)
            defer { before = after }
            return MigrationStep(revision: topo.ids[r], direction: direction, headsBefore: before, headsAfter: after)
        }
    }
}
