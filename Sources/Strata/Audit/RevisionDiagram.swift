/// The revision DAG as a picture: Graphviz DOT, Mermaid, or an SVG laid out here (layered by
/// depth from the bases), with heads, merge points, branch labels and applied revisions marked.
/// Pure: built from the graph, the scripts' messages and the applied set.
public struct RevisionDiagram: Sendable {
    public struct Node: Sendable, Hashable {
        public var id: String
        public var message: String
        public var labels: [String]
        public var isHead: Bool
        public var isMerge: Bool
        public var isApplied: Bool
        public var isCurrent: Bool
        /// 0 for a base; one more than the deepest parent otherwise.
        public var depth: Int
    }

    public struct Edge: Sendable, Hashable {
        public var from: String
        public var to: String
        /// A `depends-on` edge rather than `revises`.
        public var dependency: Bool
    }

    public var nodes: [Node]
    public var edges: [Edge]

    public init(graph: RevisionGraph, messages: [String: String], applied: Set<String>, current: [String]) {
        let byId = Dictionary(uniqueKeysWithValues: graph.nodes.map { ($0.id, $0) })
        var depth: [String: Int] = [:]
        func depthOf(_ id: String) -> Int {
            if let known = depth[id] { return known }
            let parents = (byId[id]?.revises ?? []) + (byId[id]?.dependsOn ?? [])
            let value = parents.filter { byId[$0] != nil }.map { depthOf($0) + 1 }.max() ?? 0
            depth[id] = value
            return value
        }
        let heads = Set(graph.heads), currentSet = Set(current)
        nodes = graph.nodes.map { node in
            Node(id: node.id, message: messages[node.id] ?? "", labels: node.branchLabels, isHead: heads.contains(node.id),
                 isMerge: node.revises.count > 1, isApplied: applied.contains(node.id),
                 isCurrent: currentSet.contains(node.id), depth: depthOf(node.id))
        }.sorted { ($0.depth, $0.id) < ($1.depth, $1.id) }
        edges = graph.nodes.flatMap { node in
            node.revises.map { Edge(from: $0, to: node.id, dependency: false) }
                + node.dependsOn.map { Edge(from: $0, to: node.id, dependency: true) }
        }.sorted { ($0.from, $0.to) < ($1.from, $1.to) }
    }

    // MARK: DOT

    /// Graphviz DOT (`strata history --graph dot | dot -Tsvg`): bases at the bottom, heads on
    /// top; applied revisions filled green, heads with a double border, merge points as
    /// hexagons, branch labels in brackets, `depends-on` edges dashed.
    public func dot() -> String {
        var lines = ["digraph strata {", "  rankdir=BT;",
                     "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Helvetica\", fontsize=10];",
                     "  edge [color=\"#555555\"];"]
        for node in nodes {
            var label = node.id
            if !node.labels.isEmpty { label += " [\(node.labels.joined(separator: ", "))]" }
            var tags: [String] = []
            if node.isHead { tags.append("head") }
            if node.isMerge { tags.append("merge") }
            if node.isCurrent { tags.append("current") }
            if !tags.isEmpty { label += " (\(tags.joined(separator: ", ")))" }
            if !node.message.isEmpty { label += "\n" + node.message }
            var attributes = ["label=\(dotString(label))"]
            if node.isApplied { attributes.append("fillcolor=\"#c8e6c9\"") }
            if node.isHead { attributes.append("peripheries=2") }
            if node.isMerge { attributes.append("shape=hexagon") }
            if node.isCurrent { attributes.append("penwidth=2.5") }
            lines.append("  \(dotString(node.id)) [\(attributes.joined(separator: ", "))];")
        }
        for edge in edges {
            lines.append("  \(dotString(edge.from)) -> \(dotString(edge.to))" + (edge.dependency ? " [style=dashed, label=\"depends on\", fontsize=8];" : ";"))
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }

    func dotString(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return "\"" + escaped + "\""
    }

    // MARK: Mermaid

    /// A Mermaid flowchart (paste into a Markdown file on GitHub): same marks as `dot()`.
    public func mermaid() -> String {
        let index = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1.id, $0) })
        var lines = ["flowchart BT"]
        for (number, node) in nodes.enumerated() {
            var label = node.id
            if !node.labels.isEmpty { label += " [\(node.labels.joined(separator: ", "))]" }
            var tags: [String] = []
            if node.isHead { tags.append("head") }
            if node.isMerge { tags.append("merge") }
            if node.isCurrent { tags.append("current") }
            if !tags.isEmpty { label += " (\(tags.joined(separator: ", ")))" }
            if !node.message.isEmpty { label += "<br/>" + node.message }
            let text = mermaidString(label)
            lines.append(node.isMerge ? "  n\(number){{\"\(text)\"}}" : "  n\(number)[\"\(text)\"]")
        }
        for edge in edges {
            guard let from = index[edge.from], let to = index[edge.to] else { continue }
            lines.append(edge.dependency ? "  n\(from) -. depends on .-> n\(to)" : "  n\(from) --> n\(to)")
        }
        lines.append("  classDef applied fill:#c8e6c9,stroke:#2e7d32")
        lines.append("  classDef head stroke-width:3px")
        let applied = nodes.enumerated().filter { $1.isApplied }.map { "n\($0.offset)" }
        let heads = nodes.enumerated().filter { $1.isHead }.map { "n\($0.offset)" }
        if !applied.isEmpty { lines.append("  class \(applied.joined(separator: ",")) applied") }
        if !heads.isEmpty { lines.append("  class \(heads.joined(separator: ",")) head") }
        return lines.joined(separator: "\n")
    }

    func mermaidString(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\"": escaped += "#quot;"
            case "\n": escaped += "<br/>"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    // MARK: SVG

    /// An SVG drawing: one row per depth (bases at the bottom, heads on top), nodes ordered in
    /// each row by the mean position of their parents, edges as curves from parent to child.
    public func svg() -> String {
        let boxWidth = 170.0, boxHeight = 46.0, columnGap = 24.0, rowGap = 46.0, margin = 16.0
        let maxDepth = nodes.map(\.depth).max() ?? 0
        var rows = Array(repeating: [Node](), count: maxDepth + 1)
        for node in nodes { rows[node.depth].append(node) }
        var column: [String: Double] = [:]
        let parents = Dictionary(grouping: edges, by: \.to).mapValues { $0.map(\.from) }
        for depth in rows.indices {
            rows[depth].sort { a, b in
                func key(_ node: Node) -> Double {
                    let xs = (parents[node.id] ?? []).compactMap { column[$0] }
                    return xs.isEmpty ? 0 : xs.reduce(0, +) / Double(xs.count)
                }
                return (key(a), a.id) < (key(b), b.id)
            }
            for (position, node) in rows[depth].enumerated() { column[node.id] = Double(position) }
        }
        let widest = Double(rows.map(\.count).max() ?? 1)
        let width = margin * 2 + widest * boxWidth + max(0, widest - 1) * columnGap
        let height = margin * 2 + Double(rows.count) * boxHeight + Double(max(0, rows.count - 1)) * rowGap
        var centre: [String: (x: Double, y: Double)] = [:]
        for (depth, row) in rows.enumerated() {
            let rowWidth = Double(row.count) * boxWidth + Double(max(0, row.count - 1)) * columnGap
            let left = (width - rowWidth) / 2
            for (position, node) in row.enumerated() {
                centre[node.id] = (left + Double(position) * (boxWidth + columnGap) + boxWidth / 2,
                                   height - margin - Double(depth) * (boxHeight + rowGap) - boxHeight / 2)
            }
        }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graph\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"Revision graph\">\n"
        for edge in edges {
            guard let from = centre[edge.from], let to = centre[edge.to] else { continue }
            let y1 = from.y - boxHeight / 2, y2 = to.y + boxHeight / 2, middle = (y1 + y2) / 2
            out += "<path d=\"M\(f(from.x)) \(f(y1)) C\(f(from.x)) \(f(middle)) \(f(to.x)) \(f(middle)) \(f(to.x)) \(f(y2))\" fill=\"none\" stroke=\"#666\" stroke-width=\"1.4\"\(edge.dependency ? " stroke-dasharray=\"5 4\"" : "") marker-end=\"url(#arrow)\"/>\n"
        }
        out += "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0 L10 5 L0 10 z\" fill=\"#666\"/></marker></defs>\n"
        for node in nodes {
            guard let c = centre[node.id] else { continue }
            let x = c.x - boxWidth / 2, y = c.y - boxHeight / 2
            let fill = node.isApplied ? "#c8e6c9" : "#ffffff"
            let stroke = node.isCurrent ? "#1b5e20" : (node.isHead ? "#0d47a1" : "#555")
            let strokeWidth = node.isHead || node.isCurrent ? 2.5 : 1.2
            out += "<g class=\"node\"><title>\(HTML.escape(node.id + (node.message.isEmpty ? "" : ": " + node.message)))</title>"
            out += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(boxWidth))\" height=\"\(f(boxHeight))\" rx=\"\(node.isMerge ? 16 : 6)\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"\(strokeWidth)\"\(node.isMerge ? " stroke-dasharray=\"6 2\"" : "")/>"
            var title = node.id
            if node.isHead { title += " ▲head" }
            if node.isMerge { title += " ⋈" }
            out += "<text x=\"\(f(c.x))\" y=\"\(f(y + 18))\" text-anchor=\"middle\" font-family=\"monospace\" font-size=\"12\" font-weight=\"bold\">\(HTML.escape(truncate(title, 24)))</text>"
            var second = node.message
            if !node.labels.isEmpty { second = "[\(node.labels.joined(separator: ","))] " + second }
            out += "<text x=\"\(f(c.x))\" y=\"\(f(y + 35))\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"10\" fill=\"#333\">\(HTML.escape(truncate(second, 30)))</text></g>\n"
        }
        out += "</svg>"
        return out
    }

    private func f(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String((value * 10).rounded() / 10)
    }

    private func truncate(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}

/// Escaping for text and attribute values in HTML and SVG.
public enum HTML {
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
