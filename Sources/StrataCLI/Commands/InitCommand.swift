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
        if let existing = try? files.contentsOfDirectory(atPath: folder), !existing.isEmpty {
            throw StrataError(.usage, "Folder '\(folder)' already exists and is not empty; nothing was created.")
        }
        do {
            try files.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw StrataError(.io, "Cannot create folder '\(folder)': \(error.localizedDescription).")
        }
        var created = [folder + "/"]
        if !files.fileExists(atPath: "strata.ini") {
            let database = try options.databasePathIfConfigured() ?? "app.db"
            let config = """
                # Strata configuration. Flags and STRATA_* environment variables override it.
                [strata]
                database = \(database)
                migrations = \(folder)

                """
            guard files.createFile(atPath: "strata.ini", contents: Data(config.utf8)) else {
                throw StrataError(.io, "Cannot write 'strata.ini' (folder '\(folder)' was created).")
            }
            created.append("strata.ini")
        }
        try options.output.emit(["created": created]) {
            created.map { "Created \($0)" }.joined(separator: "\n")
                + "\nNext: strata revision -m \"create first table\""
        }
    }
}
