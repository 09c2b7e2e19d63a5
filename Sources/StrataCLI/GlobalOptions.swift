import ArgumentParser
import Foundation
import Strata

enum OutputFormat: String, ExpressibleByArgument, Sendable {
    case text
    case json
}

/// Options every command accepts after its name: where things are, and `--format text|json`.
/// (`snapshots show` takes the locations with a `--format` of its own: sql, csv or json.)
struct GlobalOptions: ParsableArguments {
    @OptionGroup var location: LocationOptions

    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    var output: Output { Output(format: format) }

    func migrationsPath() throws -> String { try location.migrationsPath() }
    func databasePathIfConfigured() throws -> String? { try location.databasePathIfConfigured() }
    func databasePath() throws -> String { try location.databasePath() }
    func loadMigrations() throws -> MigrationSet { try location.loadMigrations() }
    func openWriter() throws -> SQLiteStore { try location.openWriter() }
    func openReader() throws -> SQLiteStore { try location.openReader() }
}

/// Where the database and scripts are. Precedence: flags, then environment
/// (`STRATA_DATABASE`, `STRATA_MIGRATIONS`, `STRATA_CONFIG`), then the config file
/// (`strata.ini`, or MeshView's `config.ini` with `[database] connection_string`).
struct LocationOptions: ParsableArguments {
    @Option(name: .long, help: "The database: a file path, sqlite:///rel.db or sqlite:////abs.db (env STRATA_DATABASE).")
    var database: String?

    @Option(name: .long, help: "The migrations folder (env STRATA_MIGRATIONS; default Migrations).")
    var migrations: String?

    @Option(name: .long, help: "Config file (env STRATA_CONFIG; default strata.ini, else config.ini, when present).")
    var config: String?

    /// An empty variable counts as unset, as `STRATA_DATABASE= strata ...` means "not this".
    private func environment(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }

    /// The config file, read only when a flag or variable did not already answer: a config.ini
    /// written for another program must not break a command that names everything itself.
    func configFile() throws -> ConfigFile? {
        if let explicit = config ?? environment("STRATA_CONFIG") { return try ConfigFile(path: explicit) }
        for candidate in ["strata.ini", "config.ini"] where FileManager.default.fileExists(atPath: candidate) {
            return try ConfigFile(path: candidate)
        }
        return nil
    }

    /// The migrations folder path.
    func migrationsPath() throws -> String {
        if let flag = migrations ?? environment("STRATA_MIGRATIONS") { return flag }
        guard let file = try configFile(), let value = file["strata.migrations"] else { return "Migrations" }
        return Self.relative(value, to: file)
    }

    /// The database file path, or `nil` when none is configured anywhere.
    func databasePathIfConfigured() throws -> String? {
        if let value = database ?? environment("STRATA_DATABASE") { return try DatabaseURL.path(from: value) }
        guard let file = try configFile(),
              let value = file["strata.database"] ?? file["database.connection_string"] else { return nil }
        return Self.relative(try DatabaseURL.path(from: value), to: file)
    }

    /// Relative paths in a config file are relative to the file's folder, so
    /// `STRATA_CONFIG=/srv/app/strata.ini strata upgrade` works from any directory. For a
    /// file found in the working directory this is the same as relative to it.
    static func relative(_ path: String, to file: ConfigFile) -> String {
        let folder = (file.path as NSString).deletingLastPathComponent
        guard !path.hasPrefix("/"), !path.hasPrefix("file:"), !folder.isEmpty, folder != "." else { return path }
        return (folder as NSString).appendingPathComponent(path)
    }

    func databasePath() throws -> String {
        guard let path = try databasePathIfConfigured() else {
            throw StrataError(.usage, "No database given: pass --database PATH, set STRATA_DATABASE, or put 'database = PATH' under [strata] in strata.ini.")
        }
        return path
    }

    func loadMigrations() throws -> MigrationSet {
        try MigrationSet.load(directory: try migrationsPath())
    }

    /// A store for commands that change the database (creates the file if needed); on a
    /// terminal, long snapshots and restores draw a progress bar on stderr.
    func openWriter() throws -> SQLiteStore {
        let store = try SQLiteStore(path: try databasePath())
        store.progress = TerminalProgress.handlerIfTerminal()
        return store
    }

    /// A read-only store; the file must exist.
    func openReader() throws -> SQLiteStore {
        try SQLiteStore(path: try databasePath(), readOnly: true)
    }
}
