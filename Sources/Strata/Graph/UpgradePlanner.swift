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
    func steps(_ direction: MigrationDirection, order: [Int], current: [String], applied start: Set<Int>) -> [MigrationStep] {
        var applied = start
        var before = Array(Set(current)).sorted()
        return order.map { r in
            if direction == .upgrade { applied.insert(r) } else { applied.remove(r) }
            let after = topo.tableHeads(applied: applied)
            defer { before = after }
            return MigrationStep(revision: topo.ids[r], direction: direction, headsBefore: before, headsAfter: after)
        }
    }
}
