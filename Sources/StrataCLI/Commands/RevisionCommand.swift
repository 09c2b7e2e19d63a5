import ArgumentParser
import Foundation
import Strata

struct RevisionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revision", abstract: "Write a new migration script and print its path.")

    @OptionGroup var options: GlobalOptions

    @Option(name: .shortAndLong, help: "What the revision does.")
    var message: String

    @Option(name: .customLong("rev-id"), help: "Use this revision id instead of a fresh one.")
    var revisionID: String?

    @Option(help: "The revision to build on (default: the single head; 'base' starts a new branch).")
    var head: String?

    @Option(name: .customLong("branch-label"), help: "A branch label for the new revision (repeatable).")
    var branchLabels: [String] = []

    @Option(name: .customLong("depends-on"), help: "A revision this one depends on (repeatable).")
    var dependsOn: [String] = []

    func run() throws {
        let folder = try options.migrationsPath()
        let migrations = try MigrationSet.load(directory: folder)
        let graph = migrations.graph
        let parents: [String]
        if let head {
            parents = try graph.resolve(head, current: [])
        } else if graph.heads.count > 1 {
            throw StrataError(.multipleHeads,
                "The scripts have \(graph.heads.count) heads (\(graph.heads.joined(separator: ", "))); pass --head REV to build on one, or run 'strata merge' first. Nothing was written.")
        } else {
            parents = graph.heads
        }
        let dependencies = try dependsOn.flatMap { try graph.resolve($0, current: []) }
        let id = revisionID ?? ScriptTemplate.newRevisionID()
        let text = ScriptTemplate.render(revision: id, revises: parents, dependsOn: dependencies,
                                         branchLabels: branchLabels, message: message)
        let path = try ScriptWriter.write(text, revision: id, message: message, into: folder, existing: migrations)
        try options.output.emit(["path": path, "revision": id]) { path }
    }
}

/// Writes a new script after checking the folder would still load with it: a duplicate id
/// or label is refused before any file is written.
enum ScriptWriter {
    static func write(_ text: String, revision: String, message: String, into folder: String,
                      existing: MigrationSet) throws -> String {
        let path = folder + "/" + ScriptTemplate.fileName(revision: revision, message: message)
        let script = try ScriptParser.parse(text, file: path)
        _ = try MigrationSet(scripts: existing.scripts + [script])
        guard !FileManager.default.fileExists(atPath: path) else {
            throw StrataError(.io, "File '\(path)' already exists; nothing was written.")
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw StrataError(.io, "Cannot write '\(path)'; nothing was written.")
        }
        return path
    }
}
