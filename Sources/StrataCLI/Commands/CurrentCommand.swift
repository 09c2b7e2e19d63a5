import ArgumentParser
import Strata

struct CurrentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "current", abstract: "Show the revision(s) the database is at.")

    @OptionGroup var options: GlobalOptions

    struct Report: Encodable {
        var heads: [String]
        var status: String
    }

    func run() throws {
        let state = try options.openReader().state()
        let heads = state.heads
        let scriptHeads = (try? options.loadMigrations().graph.heads).map(Set.init) ?? []
        let report = Report(heads: heads, status: state.status.rawValue)
        try options.output.emit(report) {
            let status = state.status == .idle ? "" : "\nstatus: \(state.status.rawValue)"
            guard !heads.isEmpty else { return "base (no revision applied)" + status }
            return heads.map { scriptHeads.contains($0) ? "\($0) (head)" : $0 }.joined(separator: "\n") + status
        }
    }
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Exit 0 only if the database is at the scripts' heads.")

    @OptionGroup var options: GlobalOptions

    @Option(help: "Also compare the database with this desired schema (a file of CREATE statements); drift fails the check.")
    var schema: String?

    struct Report: Encodable {
        var ok: Bool
        var heads: [String]
        var scriptHeads: [String]
        var pending: [String]
        var problems: [String]
        /// With --schema: how the database differs from it, one line each.
        var drift: [String] = []
    }

    func run() throws {
        let migrations = try options.loadMigrations()
        let migrator = Migrator(store: try options.openReader(), migrations: migrations)
        let heads = try migrator.currentHeads()
        let status = try migrator.store.state().status
        let edited = try migrator.editedScripts()
        let pending = try migrations.graph.upgradePlan(current: heads, target: "heads").map(\.revision)
        var problems: [String] = []
        if !pending.isEmpty {
            problems.append("\(pending.count) migration(s) pending: \(pending.joined(separator: ", ")).")
        }
        if Set(heads) != Set(migrations.graph.fullyUpgradedHeads) && pending.isEmpty {
            problems.append("The database is at \(HeadsDescription(heads)), not at the scripts' heads \(HeadsDescription(migrations.graph.fullyUpgradedHeads)).")
        }
        if status != .idle {
            problems.append("The writer status is '\(status.rawValue)', not idle.")
        }
        for edit in edited {
            problems.append("Revision \(edit.revision) was edited after it ran (\(edit.origin)).")
        }
        let drift = try schema.map { try AutogenerateSupport.drift(options: options, schemaPath: $0) } ?? []
        if let schema, !drift.isEmpty {
            problems.append("The schema differs from '\(schema)' in \(drift.count) way(s); 'strata revision --autogenerate --schema \(schema) -m MSG' writes the migration.")
        }
        let report = Report(ok: problems.isEmpty, heads: heads, scriptHeads: migrations.graph.fullyUpgradedHeads,
                            pending: pending, problems: problems, drift: drift)
        try options.output.emit(report) {
            problems.isEmpty ? "OK: the database is at the scripts' heads (\(HeadsDescription(heads)))." : ""
        }
        if !problems.isEmpty {
            printError("strata: check failed: " + problems.joined(separator: " "))
            for line in drift { printError("  " + line) }
            throw ExitCode(ExitStatus.failure)
        }
    }
}
