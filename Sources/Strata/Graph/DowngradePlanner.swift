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
