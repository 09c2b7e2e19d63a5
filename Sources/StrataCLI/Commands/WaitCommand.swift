import ArgumentParser
import Foundation
import Strata

/// `strata wait`: the reader's boot step.
struct WaitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait",
        abstract: "Wait until the database is at the scripts' heads (the reader's boot step).",
        discussion: """
            Returns as soon as the database is at the heads of the scripts in --migrations (or the \
            --head revisions) with the writer idle; never while a migration is in progress. Waits \
            for the file and Strata's tables to be created. Fails at once when the writer's \
            migration failed, when the database carries a revision the scripts do not define, or \
            when it is ahead of them (unless --allow-ahead). Exit codes: 0 reached, 2 timed out, \
            1 failed or incompatible; the reason is on stderr.
            """)

    @OptionGroup var options: GlobalOptions

    @Option(help: "Give up after this many seconds (exit 2). Default: wait as long as it takes.")
    var timeout: Double?

    @Option(name: .customLong("head"), parsing: .upToNextOption,
            help: "Wait for these revisions instead of the scripts' heads (ids, prefixes, label@head).")
    var heads: [String] = []

    @Flag(name: .customLong("allow-ahead"), help: "Accept a database that is ahead of the scripts (a newer writer ran).")
    var allowAhead = false

    struct Report: Encodable {
        var reached: Bool
        var verdict: String
        var heads: [String]
        var status: String
        var readerHeads: [String]
        var lastSeq: Int64?
    }

    func validate() throws {
        if let timeout, !(timeout >= 0) || !timeout.isFinite {
            throw ValidationError("--timeout must be a number of seconds, 0 or more.")
        }
    }

    func run() async throws {
        let reader = try StrataReader(databasePath: try options.databasePath(), migrations: try options.loadMigrations(),
                                      heads: heads.isEmpty ? nil : heads, allowAhead: allowAhead, logger: nil)
        let found = try await reader.waitForHead(timeout: timeout.map { .milliseconds(Int64(min($0, 1e9) * 1000)) })
        let report = Report(reached: true, verdict: found.verdict.rawValue, heads: found.heads, status: found.status.rawValue,
                            readerHeads: found.readerHeads, lastSeq: found.lastEvent?.seq)
        try options.output.emit(report) {
            found.verdict == .ahead
                ? "Reached: the database is at \(HeadsDescription(found.heads)), ahead of \(HeadsDescription(found.readerHeads)) (allowed)."
                : "Reached: the database is at \(HeadsDescription(found.heads))."
        }
    }
}
