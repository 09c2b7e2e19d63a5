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
        let parents = revisions.isEmpty ? graph.heads : try revisions.flatMap { try graph.resolve($0, current: []) }
        guard Set(parents).count >= 2 else {
            throw StrataError(.usage, "A merge needs two or more revisions; the scripts have \(graph.heads.count) head(s) (\(graph.heads.joined(separator: ", "))). Nothing was written.")
        }
        let id = revisionID ?? ScriptTemplate.newRevisionID()
        let text = ScriptTemplate.render(revision: id, revises: parents, branchLabels: branchLabels, message: message)
        let path = try ScriptWriter.write(text, revision: id, message: message, into: folder, existing: migrations)
        try options.output.emit(["path": path, "revision": id]) { path }
    }
}
