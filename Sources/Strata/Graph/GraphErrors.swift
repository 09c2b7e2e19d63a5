/// Message helpers shared by target resolution and the planners, so every error names what
/// was asked for and what exists.
extension RevisionGraph {
    /// "3cf5 (label: a)" — a revision with its branch labels, as users know it.
    func describe(_ i: Int) -> String {
        let labels = topo.labels[i].sorted()
        return labels.isEmpty ? topo.ids[i] : "\(topo.ids[i]) (label: \(labels.joined(separator: ", ")))"
    }

    func describeList(_ indices: some Sequence<Int>) -> String {
        let list = Array(Set(indices)).sorted { topo.ids[$0] < topo.ids[$1] }
        return list.isEmpty ? "none" : list.map(describe).joined(separator: ", ")
    }

    /// "3cf5 (Migrations/3cf5_x.sql)".
    func located(_ i: Int) -> String {
        topo.origins[i].isEmpty ? topo.ids[i] : "\(topo.ids[i]) (\(topo.origins[i]))"
    }

    func unknownTarget(_ target: String, _ why: String = "no revision id, prefix or branch label matches") -> StrataError {
        StrataError(.unknownTarget, "Unknown target '\(target)': \(why) (heads are: \(describeList(topo.heads))).")
    }

    /// Version-table rows must name scripts; anything else means scripts were removed or the
    /// database belongs to another project.
    func currentIndices(_ current: [String]) throws -> [Int] {
        var out: [Int] = []
        for id in current {
            guard let i = topo.index[id] else {
                throw StrataError(.unknownTarget, "The database records revision \(id), which no script defines (heads are: \(describeList(topo.heads))).")
            }
            if !out.contains(i) { out.append(i) }
        }
        return out
    }
}
