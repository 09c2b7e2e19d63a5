import ArgumentParser
import Strata

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Write a merge revision joining several heads (default: all heads).")

    @OptionGroup var options: GlobalOptions

    @Option(name: .shortAndLong, help: "What the merge is for.")
    var message: String

    @Option(name: .customLong("rev-id"), help: "Use this revision id instead of a fresh one.")
    var revisionID: String?

    @Option(name: .customLong("branch-label"), help: "A branch label for the merge revision (repeatable).")
    var branchLabels: [String] = []

    @Argument(help: "The revisions to merge (default: every head).")
    var revisions: [String] = []

    func run() throws {
        let folder = try options.migrationsPath()
        let migrations = try MigrationSet.load(directory: folder)
        let graph = migrations.graph
        let parents = revisions.isEmpty ? graph.heads : try resolved(revisions, in: graph)
        guard parents.count >= 2 else {
            let heads = graph.heads.isEmpty ? "no heads" : "\(graph.heads.count) head (\(graph.heads.joined(separator: ", ")))"
            throw StrataError(.usage, revisions.isEmpty
                ? "Nothing to merge: the scripts have \(heads), and a merge needs two or more. Nothing was written."
                : "Nothing to merge: \(revisions.joined(separator: " ")) names \(parents.count == 1 ? "only \(parents[0])" : "no revision"), and a merge needs two or more. Nothing was written.")
        }
        let id = try ScriptWriter.checkedID(revisionID, in: migrations)
        let text = ScriptTemplate.render(revision: id, revises: parents, branchLabels: branchLabels, message: message)
        let path = try ScriptWriter.write(text, revision: id, message: message, into: folder, existing: migrations)
        try options.output.emit(["path": path, "revision": id]) { path }
    }

    /// Each argument may name several revisions (`heads`); the same revision named twice is
    /// one parent, in the order first named.
    private func resolved(_ targets: [String], in graph: RevisionGraph) throws -> [String] {
        var seen: Set<String> = []
        return try targets.flatMap { try graph.resolve($0, current: []) }.filter { seen.insert($0).inserted }
    }
}
