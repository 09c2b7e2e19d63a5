import ArgumentParser
import Foundation
import Strata

/// `strata report --html PATH`: a self-contained HTML audit report of the database.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML audit report: revision graph, event timeline, durations, snapshot sizes.")

    @OptionGroup var options: GlobalOptions

    @Option(help: "Where to write the HTML file (replaced if it exists).")
    var html: String

    @Option(help: "How many of the newest events the timeline shows (failures are always shown).")
    var events: Int = 500

    func validate() throws {
        if events < 1 { throw ValidationError("--events must be 1 or more.") }
    }

    func run() throws {
        let path = try options.databasePath()
        guard FileManager.default.fileExists(atPath: path) else {
            throw StrataError(.usage, "Database '\(path)' does not exist; there is nothing to report.")
        }
        let store = try options.openReader()
        // The graph needs the scripts; without them the report still tells the log's story.
        var migrations: MigrationSet?
        do { migrations = try options.loadMigrations() } catch {
            printError("strata: warning: the revision graph is left out: \(error)")
        }
        let report = try AuditReport.gather(connection: store.connection, migrations: migrations,
                                            title: "Strata audit report: \((path as NSString).lastPathComponent)",
                                            timelineLimit: events)
        do {
            try Data(report.html().utf8).write(to: URL(fileURLWithPath: html), options: .atomic)
        } catch {
            throw StrataError(.usage, "Cannot write the report to '\(html)': \(error.localizedDescription)")
        }
        try options.output.emit(["html": html]) { html }
    }
}
