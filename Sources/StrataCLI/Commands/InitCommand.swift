import ArgumentParser
import Foundation
import Strata

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a migrations folder and a strata.ini config file.")

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The folder to create (default: --migrations, else Migrations).")
    var directory: String?

    func run() throws {
        let folder = try directory ?? options.migrationsPath()
        let files = FileManager.default
        // Read before anything is created, so a bad --database or config file leaves no trace.
        let writeConfig = !files.fileExists(atPath: "strata.ini")
        let database = try writeConfig ? options.databasePathIfConfigured() ?? "app.db" : nil
        // Alembic's rule: an existing empty folder is fine, anything in it is left alone.
        let existing = try? files.contentsOfDirectory(atPath: folder)
        if let existing, !existing.isEmpty {
            throw StrataError(.usage, "Folder '\(folder)' already exists and is not empty; nothing was created.")
        }
        var created: [String] = []
        if existing == nil {
            do {
                try files.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw StrataError(.io, "Cannot create folder '\(folder)': \(error.localizedDescription)")
            }
            created.append(folder + "/")
        }
        if let database {
            let config = """
                # Strata configuration. Flags and STRATA_* environment variables override it.
                [strata]
                database = \(database)
                migrations = \(folder)

                """
            guard files.createFile(atPath: "strata.ini", contents: Data(config.utf8)) else {
                throw StrataError(.io, "Cannot write 'strata.ini' in the current directory (folder '\(folder)' is ready).")
            }
            created.append("strata.ini")
        }
        try options.output.emit(["created": created]) {
            (created.isEmpty ? ["Folder '\(folder)' and strata.ini already exist; nothing to create."]
                : created.map { "Created \($0)" }).joined(separator: "\n")
                + "\nNext: strata revision -m \"create first table\""
        }
    }
}
