import ArgumentParser
import Foundation
import Strata

/// One revision as the read-only graph commands print it.
struct RevisionSummary: Encodable {
    var revision: String
    var revises: [String]
    var dependsOn: [String]
    var branchLabels: [String]
    var message: String
    var isHead: Bool
    var applied: Bool
    var file: String?
    /// Only with `history --indicate-current`; left out of JSON otherwise.
    var current: Bool?

    var isCurrent: Bool { current == true }

    init(_ script: MigrationScript, graph: RevisionGraph, applied: Set<String>, current: Bool? = nil) {
        revision = script.id
        revises = script.node.revises
        dependsOn = script.node.dependsOn
        branchLabels = script.node.branchLabels
        message = script.message
        isHead = graph.heads.contains(script.id)
        self.applied = applied.contains(script.id)
        file = script.file
        self.current = current
    }

    /// Alembic's one-line form: "c884 -> 1717 (head), Add example table".
    var line: String {
        let parents = revises.isEmpty ? "<base>" : revises.joined(separator: ", ")
        var tags: [String] = []
        if !branchLabels.isEmpty { tags.append("(\(branchLabels.joined(separator: ", ")))") }
        if isHead { tags.append("(head)") }
        if applied { tags.append("(applied)") }
        if isCurrent { tags.append("(current)") }
        let tagText = tags.isEmpty ? "" : " " + tags.joined(separator: " ")
        return "\(parents) -> \(revision)\(tagText), \(message)"
    }
}

/// The applied set when a database is configured and exists; empty otherwise.
///
/// These commands describe the scripts; the database only adds "(applied)" marks. A database
/// at a revision no script defines is exactly when a user runs `history` to find out why, so
/// that case warns on stderr and leaves the marks out instead of failing the command.
func appliedRevisions(options: GlobalOptions, graph: RevisionGraph) throws -> (heads: [String], applied: Set<String>) {
    guard let path = try options.databasePathIfConfigured(), FileManager.exists(path) else { return ([], []) }
    let heads = try SQLiteStore(path: path, readOnly: true).heads()
    do {
        return (heads, try graph.appliedRevisions(heads: heads))
    } catch let error as StrataError {
        printError("strata: warning: \(error.message) Applied marks are left out.")
        return (heads.filter { graph.node($0) != nil }, [])
    }
}

struct HeadsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "heads", abstract: "Show the scripts' heads.")

    @OptionGroup var options: GlobalOptions

    func run() throws {
        let migrations = try options.loadMigrations()
        let applied = try appliedRevisions(options: options, graph: migrations.graph).applied
        let heads = migrations.graph.heads.compactMap(migrations.script).map {
            RevisionSummary($0, graph: migrations.graph, applied: applied)
        }
        try options.output.emit(heads) { heads.map(\.line).joined(separator: "\n") }
    }
}

struct BranchesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "branches", abstract: "Show branch points: revisions revised by more than one other.")

    @OptionGroup var options: GlobalOptions

    struct BranchPoint: Encodable {
        var revision: String
        var message: String
        var children: [String]
    }

    func run() throws {
        let migrations = try options.loadMigrations()
        let points = migrations.graph.branchPoints.map { id in
            BranchPoint(revision: id, message: migrations.script(id)?.message ?? "",
                        children: migrations.graph.children(of: id))
        }
        try options.output.emit(points) {
            points.map { point in
                "\(point.revision) (branchpoint), \(point.message)\n"
                    + point.children.map { "    -> \($0)" }.joined(separator: "\n")
            }.joined(separator: "\n")
        }
    }
}

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "List revisions newest first.")

    @OptionGroup var options: GlobalOptions

    // Unconditional so that a relative start such as `-r -3:current` is not taken for an option.
    @Option(name: [.customShort("r"), .long], parsing: .unconditional,
            help: "A range START:END, either side optional: base:heads, rev:, :rev, -3:current, ...")
    var range: String?

    @Flag(name: .shortAndLong, help: "Show every header field and the file of each revision.")
    var verbose = false

    @Flag(name: [.customShort("i"), .long], help: "Mark the database's current revisions with (current).")
    var indicateCurrent = false

    @Option(help: "Print the revision graph instead: dot (Graphviz) or mermaid.")
    var graph: GraphFormat?

    enum GraphFormat: String, ExpressibleByArgument, CaseIterable {
        case dot
        case mermaid
    }

    /// `--graph` with `--format json`: the diagram's text in an object, for tools.
    struct DiagramOutput: Encodable {
        var graph: String
        var text: String
    }

    func run() throws {
        let migrations = try options.loadMigrations()
        let state = try appliedRevisions(options: options, graph: migrations.graph)
        let ids = try migrations.graph.history(range: range, current: state.heads)
        if let graph {
            // The whole DAG, or the range's part of it, with the database's marks.
            let wanted = Set(ids)
            let subgraph = try RevisionGraph(migrations.graph.nodes.filter { wanted.contains($0.id) }.map { node in
                var node = node
                node.revises = node.revises.filter(wanted.contains)
                node.dependsOn = node.dependsOn.filter(wanted.contains)
                return node
            })
            let diagram = RevisionDiagram(graph: subgraph,
                                          messages: Dictionary(uniqueKeysWithValues: migrations.scripts.map { ($0.id, $0.message) }),
                                          applied: state.applied, current: state.heads)
            let text = graph == .dot ? diagram.dot() : diagram.mermaid()
            try options.output.emit(DiagramOutput(graph: graph.rawValue, text: text)) { text }
            return
        }
        let current = Set(state.heads)
        let rows = ids.compactMap(migrations.script).map {
            RevisionSummary($0, graph: migrations.graph, applied: state.applied,
                            current: indicateCurrent ? current.contains($0.id) : nil)
        }
        try options.output.emit(rows) {
            rows.map { row in
                guard verbose else { return row.line }
                var lines = ["Rev: \(row.revision)\(row.isHead ? " (head)" : "")\(row.applied ? " (applied)" : "")\(row.isCurrent ? " (current)" : "")",
                             "Parent: \(row.revises.isEmpty ? "<base>" : row.revises.joined(separator: ", "))"]
                if !row.branchLabels.isEmpty { lines.append("Branch names: \(row.branchLabels.joined(separator: ", "))") }
                if !row.dependsOn.isEmpty { lines.append("Also depends on: \(row.dependsOn.joined(separator: ", "))") }
                if let file = row.file { lines.append("Path: \(file)") }
                lines.append("")
                lines.append("    \(row.message)")
                return lines.joined(separator: "\n") + "\n"
            }.joined(separator: "\n")
        }
    }
}

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one revision: header, file, and its SQL.")

    @OptionGroup var options: GlobalOptions

    @Argument(help: "A revision id, unique prefix, label or other single target.")
    var revision: String

    struct Report: Encodable {
        var summary: RevisionSummary
        var children: [String]
        var created: String?
        var checksum: String?
        var transactional: Bool
        var upgrade: String?
        var downgrade: String?
        /// What the database's log says about this revision; absent without a database.
        var audit: ShowAudit?
    }

    func run() throws {
        let migrations = try options.loadMigrations()
        let graph = migrations.graph
        let ids = try graph.resolve(revision, current: [])
        guard ids.count == 1, let script = migrations.script(ids[0]) else {
            throw StrataError(.usage, ids.isEmpty
                ? "'\(revision)' names no revision; show takes exactly one (an id, a unique prefix, a label, head, ...)."
                : "'\(revision)' names \(ids.count) revisions (\(ids.joined(separator: ", "))); show takes exactly one.")
        }
        let applied = try appliedRevisions(options: options, graph: graph).applied
        let report = Report(summary: RevisionSummary(script, graph: graph, applied: applied),
                            children: graph.children(of: script.id), created: script.created,
                            checksum: script.checksum, transactional: script.transactional,
                            upgrade: script.upgrade.sql, downgrade: script.downgrade?.sql,
                            audit: try ShowAudit.load(script, options: options))
        try options.output.emit(report) {
            var lines = [
                "Rev: \(script.id)\(report.summary.isHead ? " (head)" : "")\(report.summary.applied ? " (applied)" : "")",
                "Parent: \(script.node.revises.isEmpty ? "<base>" : script.node.revises.joined(separator: ", "))",
                "Children: \(report.children.isEmpty ? "-" : report.children.joined(separator: ", "))",
            ]
            if !script.node.branchLabels.isEmpty { lines.append("Branch names: \(script.node.branchLabels.joined(separator: ", "))") }
            if !script.node.dependsOn.isEmpty { lines.append("Also depends on: \(script.node.dependsOn.joined(separator: ", "))") }
            lines.append("Path: \(script.file ?? script.node.origin)")
            if let created = script.created { lines.append("Created: \(created)") }
            if let checksum = script.checksum { lines.append("Checksum: \(checksum)") }
            if !script.transactional { lines.append("Transaction: false") }
            lines += ["", "    \(script.message)", "", "-- +upgrade", (script.upgrade.sql ?? "<Swift code>").trimmingCharacters(in: .newlines)]
            if let downgrade = script.downgrade {
                lines += ["", "-- +downgrade", (downgrade.sql ?? "<Swift code>").trimmingCharacters(in: .newlines)]
            }
            if let audit = report.audit { lines += ["", audit.text] }
            return lines.joined(separator: "\n")
        }
    }
}
