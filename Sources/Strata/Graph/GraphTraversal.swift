/// Reachability over the graph. "Ancestors" and "descendants" include the starting revisions.
extension GraphTopology {
    /// Everything that must be applied for `starts` to be applied.
    /// With dependencies this is Alembic's `_get_ancestor_nodes(include_dependencies=True)`.
    func ancestors(of starts: some Sequence<Int>, includeDependencies: Bool = true) -> Set<Int> {
        reach(from: starts) { includeDependencies ? normalizedDown($0) : parents[$0] }
    }

    /// Everything that needs `starts` (through `revises`, and `depends-on` if asked).
    func descendants(of starts: some Sequence<Int>, includeDependencies: Bool = true) -> Set<Int> {
        reach(from: starts) { includeDependencies ? allChildren[$0] : children[$0] }
    }

    /// Alembic's `_shares_lineage`: `revision` is an ancestor or a descendant of one of `others`.
    func sharesLineage(_ revision: Int, with others: [Int], includeDependencies: Bool = false) -> Bool {
        if others.isEmpty { return true }
        let related = ancestors(of: [revision], includeDependencies: includeDependencies)
            .union(descendants(of: [revision], includeDependencies: includeDependencies))
        return others.contains { related.contains($0) }
    }

    /// Alembic's `_filter_into_branch_heads`: drops members with a `revises`-descendant in the set.
    func branchHeads(within set: Set<Int>) -> Set<Int> {
        set.filter { member in
            descendants(of: [member], includeDependencies: false).allSatisfy { $0 == member || !set.contains($0) }
        }
    }

    /// The version-table rows for an applied set: members that nothing else applied revises or
    /// depends on. This is the state Alembic's HeadMaintainer reaches after every step.
    func tableHeads(applied: Set<Int>) -> [String] {
        sortedIds(tableHeadIndices(applied: applied))
    }

    func tableHeadIndices(applied: Set<Int>) -> Set<Int> {
        applied.filter { isTableHead($0, applied: applied) }
    }

    /// Whether nothing else applied revises or depends on `member`.
    func isTableHead(_ member: Int, applied: Set<Int>) -> Bool {
        !allChildren[member].contains { applied.contains($0) }
    }

    private func reach(from starts: some Sequence<Int>, next: (Int) -> [Int]) -> Set<Int> {
        var seen = Set<Int>()
        var todo = Array(starts)
        while let current = todo.popLast() {
            guard seen.insert(current).inserted else { continue }
            todo.append(contentsOf: next(current))
        }
        return seen
    }
}
