import ArgumentParser
import Foundation
import Strata

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the hash chain, stored scripts, script checksums, the version table and schema drift (exit 3 on problems).")

    @OptionGroup var options: GlobalOptions

    struct Report: Encodable {
        var ok: Bool
        var eventsChecked: Int
        var scriptsChecked: Int
        var snapshotsChecked: Int
        var problems: [Problem]
        var notes: [String]
        struct Problem: Encodable { var area: String; var message: String }
    }

    func run() throws {
        let store = try options.openReader()
        let migrations = FileManager.exists(try options.migrationsPath()) ? try options.loadMigrations() : nil
        let result = try Verifier(store: store, migrations: migrations).verify()
        let report = Report(ok: result.ok, eventsChecked: result.eventsChecked, scriptsChecked: result.scriptsChecked,
                            snapshotsChecked: result.snapshotsChecked,
                            problems: result.problems.map { .init(area: $0.area, message: $0.message) }, notes: result.notes)
        try options.output.emit(report) {
            var lines = result.notes.map { "note: \($0)" }
            lines += result.problems.map { "problem (\($0.area)): \($0.message)" }
            if result.ok {
                lines.append("OK: \(result.eventsChecked) events, \(result.scriptsChecked) stored scripts and \(result.snapshotsChecked) snapshots verified.")
            }
            return lines.joined(separator: "\n")
        }
        if !result.ok {
            printError("strata: verify found \(result.problems.count) problem(s) in '\(store.location)': \(result.problems[0].message)")
            throw ExitCode(ExitStatus.integrity)
        }
    }
}

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Rebuild strata_version from the log, or (--into) replay the logged scripts into a fresh file.")

    @OptionGroup var options: GlobalOptions

    @OptionGroup var writer: LockTimeoutOption

    @Option(help: "Build a new database here by running the logged scripts in logged order.")
    var into: String?

    struct IntoReport: Encodable {
        var path: String
        var replayed: Int
        var skipped: [String]
        var heads: [String]
        var schemaEqual: Bool
        var differences: [String]
    }

    func run() throws {
        let path = try options.databasePath()
        guard let into else {
            let migrations = try options.loadMigrations()
            let migrator = Migrator(store: try options.openWriter(), migrations: migrations, options: writer.migratorOptions)
            let result = try migrator.rebuildVersionTable()
            try options.output.emit(["before": result.before, "after": result.after]) {
                result.before == result.after
                    ? "strata_version already matches the log (\(HeadsDescription(result.after)))."
                    : "Rebuilt strata_version from the log: \(HeadsDescription(result.before)) -> \(HeadsDescription(result.after))."
            }
            return
        }
        guard !FileManager.exists(into) else {
            throw StrataError(.usage, "'\(into)' already exists; replay --into writes a new file only. Nothing was changed.")
        }
        let outcome = try LogReplay(source: try SQLiteStore(path: path, readOnly: true)).replay(into: into)
        let report = IntoReport(path: into, replayed: outcome.replayed, skipped: outcome.skipped, heads: outcome.heads,
                                schemaEqual: outcome.schemaDifferences.isEmpty, differences: outcome.schemaDifferences)
        try options.output.emit(report) {
            var lines = ["Replayed \(outcome.replayed) migration(s) from the log into \(into), now at \(HeadsDescription(outcome.heads))."]
            if !outcome.skipped.isEmpty { lines.append("Skipped Swift revisions (no stored text): \(outcome.skipped.joined(separator: ", ")).") }
            lines.append(outcome.schemaDifferences.isEmpty
                ? "The replayed schema equals the live one."
                : "The replayed schema differs from the live one:\n" + outcome.schemaDifferences.map { "  \($0)" }.joined(separator: "\n"))
            return lines.joined(separator: "\n")
        }
        if !outcome.schemaDifferences.isEmpty { throw ExitCode(ExitStatus.failure) }
    }
}
