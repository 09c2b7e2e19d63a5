/// The order revisions are listed in: newest first, children before parents and dependants
/// before their dependencies. Upgrades run it reversed; downgrades and `history` use it as is.
///
/// This reproduces Alembic's ordering so plans read the same as `alembic upgrade --sql`:
/// walk down one line at a time (depth first), but stop at a revision some other pending line
/// still needs and switch to that line, so every branch finishes at its branch point before the
/// walk continues below it. Ties follow node order.
extension GraphTopology {
    func newestFirst(_ revisions: Set<Int>, startingFrom heads: [Int]) -> [Int] {
        var todo = revisions
        var output: [Int] = []
        var lines = Array(Set(heads.filter { todo.contains($0) })).sorted()
        while !todo.isEmpty {
            walkLines(&lines, todo: &todo, output: &output)
            // Only reachable when `heads` did not cover the set (e.g. a non-normalized version
            // table): continue from the newest remaining revisions.
            let rest = todo.filter { r in !allChildren[r].contains { todo.contains($0) } }
            lines = rest.sorted()
            if lines.isEmpty { output += todo.sorted(); break }
        }
        return output
    }

    private func walkLines(_ lines: inout [Int], todo: inout Set<Int>, output: inout [Int]) {
        var lineAncestors = lines.map { ancestors(of: [$0]) }
        var at = 0
        while !lines.isEmpty {
            let candidate = lines[at]
            // Another line still needs this revision: finish that line first.
            if let other = lineAncestors.indices.first(where: { $0 != at && lineAncestors[$0].contains(candidate) }) {
                at = other
                continue
            }
            if todo.remove(candidate) != nil { output.append(candidate) }
            let next = normalizedDown(candidate).filter { todo.contains($0) && !lines.contains($0) }
            if next.isEmpty {
                lines.remove(at: at)
                lineAncestors.remove(at: at)
                at = max(at - 1, 0)
            } else if normalizedDependencies[candidate].isEmpty && parents[candidate].count == 1 {
                lines[at] = next[0]
                lineAncestors[at].remove(candidate)
            } else {
                lines[at] = next[0]
                lineAncestors[at] = ancestors(of: [next[0]])
                for extra in next.dropFirst() {
                    lines.append(extra)
                    lineAncestors.append(ancestors(of: [extra]))
                }
            }
        }
    }
}
