import ArgumentParser
import Foundation
import Strata

struct UpgradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upgrade", abstract: "Run pending migrations up to TARGET (the writer's boot step).")

    @OptionGroup var options: GlobalOptions

    @OptionGroup var writer: WriterOptions

    @Flag(help: "Print the SQL that would run instead of running it; the database is not touched.")
    var sql = false

    // Captured raw so that relative targets such as -1 are not taken for options.
    @Argument(parsing: .allUnrecognized, help: "Where to go: heads (default), head, a revision, label@head, +N, ...")
    var target: [String] = []

    func run() throws {
        let target = try TargetArgument.single(target, default: "heads")
        try MigrationRun(options: options, writer: writer, direction: .upgrade, target: target, offline: sql).execute()
    }
}

struct DowngradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "downgrade", abstract: "Revert migrations down to TARGET with their downgrade sections.")

    @OptionGroup var options: GlobalOptions

    @OptionGroup var writer: WriterOptions

    @Flag(help: "Print the SQL that would run instead of running it; the database is not touched.")
    var sql = false

    // Captured raw so that relative targets such as -1 are not taken for options.
    @Argument(parsing: .allUnrecognized, help: "Where to go: a revision, base, label@base, -N, ...")
    var target: [String] = []

    func run() throws {
        let target = try TargetArgument.single(target, default: nil)
        try MigrationRun(options: options, writer: writer, direction: .downgrade, target: target, offline: sql).execute()
    }
}

/// The writer-lock wait, for every command that takes the writer lock.
struct LockTimeoutOption: ParsableArguments {
    @Option(name: .customLong("lock-timeout"), help: "Seconds to wait for another writer's lock (default 60).")
    var lockTimeout: Double = 60

    func validate() throws {
        guard lockTimeout >= 0, lockTimeout.isFinite else {
            throw ValidationError("--lock-timeout must be a number of seconds, 0 or more (got \(lockTimeout)).")
        }
    }

    // Capped as `wait --timeout` is: a wait of 31 years is as good as forever.
    var migratorOptions: MigratorOptions { MigratorOptions(lockTimeout: .milliseconds(Int64(min(lockTimeout, 1e9) * 1000))) }
}

/// Options of the commands that run migrations: the lock wait, edited scripts, snapshots.
struct WriterOptions: ParsableArguments {
    @OptionGroup var lock: LockTimeoutOption

    @Flag(name: .customLong("accept-edited"), help: "Run even though applied scripts were edited; records the new text as intended.")
    var acceptEdited = false

    @Option(help: "What each migration's snapshot holds: touched (default), all or none.")
    var backup: BackupMode = .touched

    var migratorOptions: MigratorOptions {
        var options = lock.migratorOptions
        options.acceptEditedScripts = acceptEdited
        options.backup = backup
        return options
    }
}

/// A single TARGET argument that may look like an option (`-1`).
enum TargetArgument {
    static func single(_ arguments: [String], default fallback: String?) throws -> String {
        // The parser hands over the `--` that ends the options (`downgrade -- -1`) as well.
        var arguments = arguments
        if let terminator = arguments.firstIndex(of: "--") { arguments.remove(at: terminator) }
        if arguments.isEmpty, let fallback { return fallback }
        guard arguments.count == 1, let target = arguments.first, !target.hasPrefix("--") else {
            throw ValidationError(arguments.isEmpty
                ? "Missing TARGET (a revision, base, -N, ...)."
                : "Expected one TARGET, got: \(arguments.joined(separator: " ")).")
        }
        return target
    }
}

/// What upgrade and downgrade share: plan, then print the SQL or run it and report.
struct MigrationRun {
    let options: GlobalOptions
    let writer: WriterOptions
    let direction: MigrationDirection
    let target: String
    let offline: Bool

    func execute() throws {
        let migrations = try options.loadMigrations()
        if offline {
            // Offline mode reads the database's heads when the file exists, else starts at base.
            let path = try options.databasePath()
            let current = FileManager.exists(path) ? try SQLiteStore(path: path, readOnly: true).heads() : []
            let plan = direction == .upgrade
                ? try migrations.graph.upgradePlan(current: current, target: target)
                : try migrations.graph.downgradePlan(current: current, target: target)
            print(try OfflineSQL.render(plan, migrations: migrations), terminator: "")
            return
        }
        let migrator = Migrator(store: try options.openWriter(), migrations: migrations, options: writer.migratorOptions)
        let result = direction == .upgrade
            ? try migrator.upgrade(to: target)
            : try migrator.downgrade(to: target)
        let report = RunReport(
            heads: result.after,
            steps: result.steps.map { execution in
                .init(revision: execution.step.revision, direction: execution.step.direction.rawValue,
                      message: migrations.script(execution.step.revision)?.message ?? "",
                      statements: execution.statementCount,
                      durationMs: execution.durationMs)
            })
        try options.output.emit(report) { report.text(direction: direction) }
    }
}

struct RunReport: Encodable {
    struct Step: Encodable {
        var revision: String
        var direction: String
        var message: String
        var statements: Int
        var durationMs: Double
    }

    var heads: [String]
    var steps: [Step]

    func text(direction: MigrationDirection) -> String {
        let at = HeadsDescription(heads)
        guard !steps.isEmpty else { return "Nothing to do: the database is at \(at)." }
        var lines = steps.map { step in
            let sign = step.direction == "upgrade" ? "+" : "-"
            return "\(sign) \(step.revision)  \(step.message)  (\(step.statements) statements, \(String(format: "%.1f", step.durationMs)) ms)"
        }
        let verb = direction == .upgrade ? "Upgraded" : "Downgraded"
        lines.append("\(verb) to \(at): \(steps.count) migration(s).")
        return lines.joined(separator: "\n")
    }
}

extension FileManager {
    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }
}

extension BackupMode: ExpressibleByArgument {}
