/// The graph's edges as integer indices into `RevisionGraph.nodes`, computed once in `init`.
///
/// Every traversal works on indices, not strings: node order (the order given to `init`) is
/// the tie-breaker everywhere, exactly as Alembic uses the insertion order of its revision map.
struct GraphTopology: Sendable {
    var ids: [String] = []
    var origins: [String] = []
    var index: [String: Int] = [:]
    /// `revises` edges (Alembic's `_versioned_down_revisions`).
    var parents: [[Int]] = []
    /// `depends-on` edges resolved to indices (Alembic's `_resolved_dependencies`).
    var dependencies: [[Int]] = []
    /// Dependencies not already implied by a `revises`-ancestor's own dependencies
    /// (Alembic's `_normalized_resolved_dependencies`); these drive ordering.
    var normalizedDependencies: [[Int]] = []
    /// Revisions that list this one in `revises` (Alembic's `nextrev`), in node order.
    var children: [[Int]] = []
    /// Revisions that revise or depend on this one (Alembic's `_all_nextrev`), in node order.
    var allChildren: [[Int]] = []
    /// Which revision declares each branch label.
    var labelOwner: [String: Int] = [:]
    /// Declared plus inherited labels (see `GraphBuilder.inheritLabels`).
    var labels: [Set<String>] = []

    var count: Int { ids.count }

    /// Parents, then the normalized dependencies: what must run right before this revision.
    func normalizedDown(_ i: Int) -> [Int] {
        var out = parents[i]
        for d in normalizedDependencies[i] where !out.contains(d) { out.append(d) }
        return out
    }

    /// Every revision with no `revises` (a dependency does not stop one being a base).
    var bases: [Int] { (0..<count).filter { parents[$0].isEmpty } }
    /// Alembic's `heads`: nothing revises it.
    var heads: [Int] { (0..<count).filter { children[$0].isEmpty } }
    /// Alembic's `_real_heads`: nothing revises it or depends on it. Upgrading to these applies
    /// everything, and they are exactly what the version table holds afterwards.
    var realHeads: [Int] { (0..<count).filter { allChildren[$0].isEmpty } }

    func sortedIds(_ indices: some Sequence<Int>) -> [String] {
        Set(indices).map { ids[$0] }.sorted()
    }
}
