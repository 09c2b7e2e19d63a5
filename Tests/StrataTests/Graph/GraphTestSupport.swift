@testable import Strata

/// Builds a graph from a compact description, one revision per whitespace-separated entry:
/// `id[:parent,parent][+dependency,dependency][#label,label]`, e.g.
/// `"a b:a c1:b#c1branch d2:c2+c1"`. Origins are `Migrations/<id>.sql`.
func makeGraph(_ spec: String) throws -> RevisionGraph {
    try RevisionGraph(spec.split(whereSeparator: \.isWhitespace).map(parseNode))
}

func parseNode(_ entry: Substring) -> RevisionNode {
    var rest = Substring(entry)
    func take(after marker: Character) -> [String] {
        guard let at = rest.firstIndex(of: marker) else { return [] }
        let tail = rest[rest.index(after: at)...]
        let end = tail.firstIndex { ":+#".contains($0) } ?? tail.endIndex
        let values = tail[..<end].split(separator: ",").map(String.init)
        rest = rest[..<at] + tail[end...]
        return values
    }
    let labels = take(after: "#")
    let deps = take(after: "+")
    let parents = take(after: ":")
    let id = String(rest)
    return RevisionNode(id: id, revises: parents, dependsOn: deps, branchLabels: labels, origin: "Migrations/\(id).sql")
}

/// The revisions of a plan, in order.
func revisions(_ steps: [MigrationStep]) -> [String] { steps.map(\.revision) }

/// The version table after the last step (or `current` for an empty plan).
func finalHeads(_ steps: [MigrationStep], from current: [String]) -> [String] {
    steps.last?.headsAfter ?? current.sorted()
}

/// The error a call throws, for checking codes and messages.
func strataError(_ body: () throws -> Any) -> StrataError? {
    do { _ = try body(); return nil } catch let error as StrataError { return error } catch { return nil }
}
