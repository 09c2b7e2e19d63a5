/// The scripts of an application (files and Swift revisions) and the graph they form.
public struct MigrationSet: Sendable {
    /// Every revision, in load order (files sorted by name, then Swift revisions).
    public let scripts: [MigrationScript]
    public let graph: RevisionGraph
    private let byID: [String: Int]

    /// Validates the graph; duplicate ids, cycles and missing parents are errors naming files.
    public init(scripts: [MigrationScript]) throws {
        self.scripts = scripts
        self.graph = try RevisionGraph(scripts.map(\.node))
        var index: [String: Int] = [:]
        for (offset, script) in scripts.enumerated() { index[script.id] = offset }
        self.byID = index
    }

    /// Loads every `.sql` script in `directory`, plus revisions registered in Swift code.
    public static func load(directory: String, swiftRevisions: [MigrationScript] = []) throws -> MigrationSet {
        try MigrationSet(scripts: try ScriptDirectory.load(directory) + swiftRevisions)
    }

    public func script(_ id: String) -> MigrationScript? {
        byID[id].map { scripts[$0] }
    }

    /// The script of a revision the graph has planned; the graph only plans known revisions.
    func plannedScript(_ id: String) -> MigrationScript {
        guard let script = script(id) else { preconditionFailure("graph planned unknown revision \(id)") }
        return script
    }
}
