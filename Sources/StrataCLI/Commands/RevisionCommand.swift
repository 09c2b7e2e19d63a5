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

    @Flag(help: "Allow --head to name a revision that is not a head (starts a new branch from it).")
    var splice = false

    @Option(name: .customLong("branch-label"), help: "A branch label for the new revision (repeatable).")
    var branchLabels: [String] = []

    @Option(name: .customLong("depends-on"), help: "A revision this one depends on (repeatable).")
    var dependsOn: [String] = []

    @Flag(help: "Write the SQL from the difference between --schema and the database (or the scripts' heads).")
    var autogenerate = false

    @Option(help: "The desired schema: a file of CREATE statements (with --autogenerate).")
    var schema: String?

    func validate() throws {
        if autogenerate, schema == nil { throw ValidationError("--autogenerate needs --schema FILE, the desired schema's CREATE statements.") }
        if !autogenerate, schema != nil { throw ValidationError("--schema is used with --autogenerate.") }
        // The header lists labels space-separated: 'a b' would become two labels.
        if let bad = branchLabels.first(where: { !RevisionIdentifier.isValidLabel($0) }) {
            throw ValidationError("--branch-label '\(bad)' is not a valid label (letters, digits and _ only, one label per --branch-label, and not head, heads, base or current).")
        }
    }

    func run() throws {
        let folder = try options.migrationsPath()
        let migrations = try MigrationSet.load(directory: folder)
        let parents = try parentRevisions(migrations.graph)
        let dependencies = try dependsOn.flatMap { try migrations.graph.resolve($0, current: []) }
        let id = try ScriptWriter.checkedID(revisionID, in: migrations)
        if autogenerate, let schema {
            let report = try AutogenerateSupport.writeRevision(
                options: options, schemaPath: schema, migrations: migrations, folder: folder, id: id, parents: parents,
                dependsOn: dependencies, branchLabels: branchLabels, message: message)
            return try options.output.emit(report) { report.path }
        }
        let text = ScriptTemplate.render(revision: id, revises: parents, dependsOn: dependencies,
                                         branchLabels: branchLabels, message: message)
        let path = try ScriptWriter.write(text, revision: id, message: message, into: folder, existing: migrations)
        try options.output.emit(["path": path, "revision": id]) { path }
    }

    /// Alembic's rules: the single head by default; `--head` must name one revision, and one
    /// that is a head unless `--splice` says a new branch is meant (an accidental branch is
    /// the mistake this guards against).
    private func parentRevisions(_ graph: RevisionGraph) throws -> [String] {
        guard let head else {
            guard graph.heads.count <= 1 else {
                throw StrataError(.multipleHeads,
                    "The scripts have \(graph.heads.count) heads (\(graph.heads.joined(separator: ", "))); pass --head REV to build on one, or run 'strata merge' first. Nothing was written.")
            }
            return graph.heads
        }
        let parents = try graph.resolve(head, current: [])
        guard parents.count <= 1 else {
            throw StrataError(.usage,
                "--head '\(head)' names \(parents.count) revisions (\(parents.joined(separator: ", "))); a new revision builds on one, or run 'strata merge' to join them. Nothing was written.")
        }
        if let parent = parents.first, !splice, !graph.heads.contains(parent) {
            throw StrataError(.usage,
                "Revision \(parent) is not a head (heads: \(graph.heads.joined(separator: ", "))); pass --splice to start a new branch from it. Nothing was written.")
        }
        return parents
    }
}

/// Writes a new script after checking the folder would still load with it: a duplicate id
/// or label is refused before any file is written.
enum ScriptWriter {
    /// `--rev-id`, checked up front so the error names the option rather than a file that was
    /// never written; a fresh id otherwise.
    static func checkedID(_ requested: String?, in migrations: MigrationSet) throws -> String {
        guard let requested else { return ScriptTemplate.newRevisionID() }
        guard RevisionIdentifier.isValid(requested) else {
            throw StrataError(.usage, "--rev-id '\(requested)' is not a valid revision id (use letters, digits and _ only, e.g. 1717fa5c6545). Nothing was written.")
        }
        if RevisionIdentifier.reservedLabels.contains(requested.lowercased()) {
            throw StrataError(.usage, "--rev-id '\(requested)' is a reserved target name (head, heads, base, current); choose another id. Nothing was written.")
        }
        if let existing = migrations.script(requested) {
            throw StrataError(.usage, "--rev-id '\(requested)' is already used by \(existing.file ?? existing.node.origin). Nothing was written.")
        }
        return requested
    }

    static func write(_ text: String, revision: String, message: String, into folder: String,
                      existing: MigrationSet) throws -> String {
        let path = folder + "/" + ScriptTemplate.fileName(revision: revision, message: message)
        do {
            let script = try ScriptParser.parse(text, file: path)
            _ = try MigrationSet(scripts: existing.scripts + [script])
        } catch var error as StrataError {
            // The message names the would-be file; say plainly that it was not written.
            error.message += " Nothing was written."
            throw error
        }
        guard !FileManager.default.fileExists(atPath: path) else {
            throw StrataError(.usage, "File '\(path)' already exists; nothing was written.")
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw StrataError(.io, "Cannot write '\(path)'; nothing was written.")
        }
        return path
    }
}
