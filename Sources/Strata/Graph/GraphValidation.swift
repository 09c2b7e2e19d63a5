/// Builds a `GraphTopology` from nodes, rejecting anything that is not a valid revision DAG.
/// Each problem is one `StrataError(.invalidGraph)` naming the revisions and their origins.
enum GraphBuilder {
    static func build(_ nodes: [RevisionNode]) throws -> GraphTopology {
        var topo = GraphTopology()
        topo.ids = nodes.map(\.id)
        topo.origins = nodes.map(\.origin)

        for node in nodes {
            guard isIdentifier(node.id) else {
                throw StrataError(.invalidGraph, "Revision id '\(node.id)'\(from(node.origin)) is not valid: use letters, digits and '_' only.")
            }
            guard !RevisionIdentifier.reservedLabels.contains(node.id) else {
                throw StrataError(.invalidGraph, "Revision id '\(node.id)'\(from(node.origin)) is a reserved target name (head, heads, base, current); choose another id.")
            }
            if let earlier = topo.index[node.id] {
                throw StrataError(.invalidGraph, "Revision \(node.id) is defined twice: in \(describe(nodes[earlier].origin)) and in \(describe(node.origin)).")
            }
            topo.index[node.id] = topo.index.count
        }

        // Labels share one namespace with revision ids (Alembic keeps both in one map).
        for (i, node) in nodes.enumerated() {
            for label in node.branchLabels {
                guard isIdentifier(label), !RevisionIdentifier.reservedLabels.contains(label) else {
                    throw StrataError(.invalidGraph, "Branch label '\(label)' on revision \(node.id)\(from(node.origin)) is not valid: use letters, digits and '_', and not head, heads, base or current.")
                }
                if let owner = topo.labelOwner[label], owner != i {
                    throw StrataError(.invalidGraph, "Branch label '\(label)' is declared on both \(node.id)\(from(node.origin)) and \(nodes[owner].id)\(from(nodes[owner].origin)); a label may be on one revision only.")
                }
                if let clash = topo.index[label], clash != i {
                    throw StrataError(.invalidGraph, "Branch label '\(label)' on revision \(node.id)\(from(node.origin)) is also the id of revision \(label)\(from(nodes[clash].origin)); rename the label.")
                }
                topo.labelOwner[label] = i
            }
        }

        for node in nodes {
            if node.revises.contains(node.id) {
                throw StrataError(.invalidGraph, "Revision \(node.id) is revised by itself\(inOrigin(node.origin)).")
            }
        }
        topo.parents = try nodes.map { node in
            try unique(node.revises).map { parent in
                guard let p = topo.index[parent] else {
                    throw StrataError(.invalidGraph, "Revision \(node.id)\(from(node.origin)) revises \(parent), which no script defines.")
                }
                return p
            }
        }
        topo.dependencies = try nodes.enumerated().map { i, node in
            var resolved: [Int] = []
            for dep in node.dependsOn {
                let d = try resolveDependency(dep, of: node, in: topo)
                guard d != i else {
                    throw StrataError(.invalidGraph, "Revision \(node.id) depends on itself\(inOrigin(node.origin)).")
                }
                if !resolved.contains(d) { resolved.append(d) }
            }
            return resolved
        }

        topo.children = Array(repeating: [], count: nodes.count)
        topo.allChildren = Array(repeating: [], count: nodes.count)
        for i in nodes.indices {
            for p in topo.parents[i] { topo.children[p].append(i) }
            for p in topo.parents[i] + topo.dependencies[i] where !topo.allChildren[p].contains(i) {
                topo.allChildren[p].append(i)
            }
        }
        try rejectCycles(topo)
        topo.normalizedDependencies = normalizeDependencies(topo)
        topo.labels = inheritLabels(nodes, topo)
        return topo
    }

    /// `depends-on` may name an id, a branch label or a unique prefix of 4+ characters.
    private static func resolveDependency(_ dep: String, of node: RevisionNode, in topo: GraphTopology) throws -> Int {
        if let i = topo.index[dep] { return i }
        if let i = topo.labelOwner[dep] { return i }
        let matches = dep.count >= 4 ? topo.ids.indices.filter { topo.ids[$0].hasPrefix(dep) } : []
        if matches.count == 1 { return matches[0] }
        if matches.count > 1 {
            throw StrataError(.invalidGraph, "Revision \(node.id)\(from(node.origin)) depends on '\(dep)', which is ambiguous: it is a prefix of \(matches.map { topo.ids[$0] }.joined(separator: ", ")).")
        }
        throw StrataError(.invalidGraph, "Revision \(node.id)\(from(node.origin)) depends on '\(dep)', which matches no revision id, prefix or branch label.")
    }

    /// Depth-first search over revises + depends-on edges; a back edge closes a cycle, which
    /// is reported in edge order so the user can see where to cut it.
    private static func rejectCycles(_ topo: GraphTopology) throws {
        enum Mark { case unvisited, onStack, done }
        var mark = Array(repeating: Mark.unvisited, count: topo.count)
        var stack: [Int] = []

        func visit(_ i: Int) throws {
            mark[i] = .onStack
            stack.append(i)
            for p in topo.parents[i] + topo.dependencies[i] {
                switch mark[p] {
                case .onStack:
                    let cycle = Array(stack[stack.lastIndex(of: p)!...])
                    let names = cycle.map { topo.ids[$0] }
                    let files = Set(cycle.map { topo.origins[$0] }.filter { !$0.isEmpty }).sorted()
                    let where_ = files.isEmpty ? "" : " (in \(files.joined(separator: ", ")))"
                    throw StrataError(.invalidGraph, "Revisions \(names.joined(separator: ", ")) form a cycle: \((names + [names[0]]).joined(separator: " needs "))\(where_).")
                case .unvisited:
                    try visit(p)
                case .done:
                    break
                }
            }
            stack.removeLast()
            mark[i] = .done
        }
        for i in 0..<topo.count where mark[i] == .unvisited { try visit(i) }
    }

    /// Drops a dependency when a `revises`-ancestor already depends on it (Alembic #789): the
    /// ancestor's row already implies it, so it must not be treated as a second parent.
    private static func normalizeDependencies(_ topo: GraphTopology) -> [[Int]] {
        (0..<topo.count).map { i in
            guard !topo.dependencies[i].isEmpty else { return [] }
            var implied = Set<Int>()
            for a in topo.ancestors(of: [i], includeDependencies: false) where a != i {
                implied.formUnion(topo.dependencies[a])
            }
            return topo.dependencies[i].filter { !implied.contains($0) }
        }
    }

    /// Alembic's branch-label inheritance: a label applies to every `revises`-descendant of the
    /// labelled revision, and down its unbranched line of ancestors until a branch point
    /// (counting dependants) or a merge point.
    private static func inheritLabels(_ nodes: [RevisionNode], _ topo: GraphTopology) -> [Set<String>] {
        var labels = nodes.map { Set($0.branchLabels) }
        for (i, node) in nodes.enumerated() where !node.branchLabels.isEmpty {
            for d in topo.descendants(of: [i], includeDependencies: false) {
                labels[d].formUnion(node.branchLabels)
            }
            var line = i
            while topo.allChildren[line].count <= 1, topo.parents[line].count <= 1 {
                labels[line].formUnion(node.branchLabels)
                guard let parent = topo.parents[line].first else { break }
                line = parent
            }
        }
        return labels
    }

    /// ASCII letters, digits and `_`: the script parser's rule (`RevisionIdentifier`), which
    /// reads bytes instead of asking each scalar for its Unicode properties.
    static func isIdentifier(_ s: String) -> Bool {
        RevisionIdentifier.isValid(s)
    }

    private static func unique(_ ids: [String]) -> [String] {
        var seen = Set<String>()
        return ids.filter { seen.insert($0).inserted }
    }

    private static func from(_ origin: String) -> String { origin.isEmpty ? "" : " (\(origin))" }
    private static func inOrigin(_ origin: String) -> String { origin.isEmpty ? "" : " in \(origin)" }
    private static func describe(_ origin: String) -> String { origin.isEmpty ? "an unnamed source" : origin }
}
