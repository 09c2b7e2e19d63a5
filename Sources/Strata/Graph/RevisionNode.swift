/// One revision as the graph sees it: identity and edges, nothing about SQL.
public struct RevisionNode: Sendable, Hashable {
    /// The revision id (letters, digits, `_`).
    public var id: String
    /// The `revises` edges: none for a base, two or more for a merge point.
    public var revises: [String]
    /// `depends-on` edges: revision ids (or unique prefixes / branch labels) this one needs
    /// applied first without being its parent.
    public var dependsOn: [String]
    /// Branch labels declared on this revision.
    public var branchLabels: [String]
    /// Where it came from, for error messages: a file path or "Swift revision".
    public var origin: String

    public init(id: String, revises: [String] = [], dependsOn: [String] = [], branchLabels: [String] = [], origin: String = "") {
        self.id = id
        self.revises = revises
        self.dependsOn = dependsOn
        self.branchLabels = branchLabels
        self.origin = origin
    }
}
