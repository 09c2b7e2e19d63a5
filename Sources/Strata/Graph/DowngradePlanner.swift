/// `downgrade TARGET`: what to revert, dependants before what they need
/// (Alembic's `_collect_downgrade_revisions`).
extension RevisionGraph {
    func planDowngrade(current: [String], target: String) throws -> [MigrationStep] {
        let heads = try currentIndices(current)
        let (branch, destination) = try downgradeTarget(current: heads, target: target)

        // What to revert starts just above the destination: its children, or every base.
        var roots: [Int]
        if let destination {
            roots = topo.children[destination]
        } else if let branch, topo.labelOwner[branch] != nil {
            // `label@base`: the lowest revisions carrying the label. Alembic starts from every
            // base here, which reverts a shared trunk too when the branch grows off it.
            roots = (0..<topo.count).filter { r in
                topo.labels[r].contains(branch) && !topo.parents[r].contains { topo.labels[$0].contains(branch) }
            }
        } else {
            roots = topo.bases
        }
        // `label@rev` / `label@base` revert only the lines leading to that branch, so a
        // branch point's other branches stay.
        if let branch, roots.count > 1 {
            let onBranch = topo.ancestors(of: [try resolveBranch(branch, in: target)], includeDependencies: false)
            roots = roots.filter { onBranch.contains($0) }
            if roots.isEmpty {
                throw StrataError(.unknownTarget, "Target '\(target)' is not a valid downgrade target from the current heads (\(describeList(heads))): branch '\(branch)' does not continue above it.")
            }
        }

        let applied = topo.ancestors(of: heads)
        // Reverting a revision reverts everything above it, including revisions that only
        // depend on it, but only what is applied.
        let revert = topo.descendants(of: roots).intersection(applied)
        if let destination, !applied.contains(destination) {
            throw StrataError(.unknownTarget, "Target '\(target)' is not a valid downgrade target: \(located(destination)) is not applied (the database is at \(heads.isEmpty ? "base" : describeList(heads))); use upgrade to move forward.")
        }
        let order = topo.newestFirst(revert, startingFrom: heads)
        return steps(.downgrade, order: order, current: current, applied: applied)
    }
}
