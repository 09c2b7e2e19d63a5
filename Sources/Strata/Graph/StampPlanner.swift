/// `stamp TARGET...`: the version table rewritten without running anything (Alembic's
/// `_stamp_revs` followed by HeadMaintainer). Each destination replaces the rows on its own
/// lineage (whether they are above or below it) and leaves unrelated branches alone.
extension RevisionGraph {
    func planStamp(current: [String], targets: [String], purge: Bool) throws -> [String] {
        var rows: [Int] = purge ? [] : try currentIndices(current)
        for target in targets {
            let (branch, _) = splitBranch(target)
            let branchRev = try branch.map { try resolveBranch($0, in: target) }
            let destinations = try RelativeTarget(target) != nil
                ? upgradeOrDowngradeTargets(current: rows, target: target)
                : resolveAbsolute(target)
            if destinations.isEmpty {
                // base, or label@base: drop the rows on that lineage (all of them for base).
                rows.removeAll { row in branchRev.map { topo.sharesLineage(row, with: [$0], includeDependencies: true) } ?? true }
                continue
            }
            for destination in destinations where !rows.contains(destination) {
                let anchors = [destination] + (branchRev.map { [$0] } ?? [])
                rows.removeAll { topo.sharesLineage($0, with: anchors, includeDependencies: true) }
                rows.append(destination)
            }
        }
        return topo.sortedIds(rows)
    }

    /// `stamp +1` / `stamp -1` move like upgrade / downgrade would.
    private func upgradeOrDowngradeTargets(current: [Int], target: String) throws -> [Int] {
        guard let rel = RelativeTarget(target), rel.steps < 0 else {
            return try upgradeTargets(current: current, target: target)
        }
        return try downgradeTarget(current: current, target: target).revision.map { [$0] } ?? []
    }
}
