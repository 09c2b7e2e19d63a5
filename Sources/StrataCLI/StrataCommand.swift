import ArgumentParser
import Foundation
import Strata

@main
struct StrataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strata",
        abstract: "Event-sourced schema history for SQLite: migrate, audit, restore.",
        version: StrataVersion.current,
        subcommands: [
            InitCommand.self, RevisionCommand.self, MergeCommand.self,
            UpgradeCommand.self, DowngradeCommand.self, StampCommand.self,
            CurrentCommand.self, HeadsCommand.self, BranchesCommand.self,
            HistoryCommand.self, ShowCommand.self, CheckCommand.self,
            VerifyCommand.self, ReplayCommand.self, SnapshotsCommand.self, RestoreCommand.self,
            PruneCommand.self, ArchiveCommand.self,
            WaitCommand.self, LogCommand.self, ReportCommand.self,
        ]
    )

    /// Runs the command and maps failures to SPEC §4's exit codes: 1 failed or "no",
    /// 2 timed out, 3 integrity problem, 64 usage error. The first line on stderr is one
    /// sentence; detail follows.
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            var command = command
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as StrataError {
            FileHandle.standardError.write(Data(("strata: " + error.description + "\n").utf8))
            Foundation.exit(ExitStatus.code(for: error))
        } catch let error as SQLiteError {
            FileHandle.standardError.write(Data("strata: SQLite error: \(error)\n".utf8))
            Foundation.exit(ExitStatus.failure)
        } catch let error as ScriptStatementError {
            FileHandle.standardError.write(Data("strata: SQLite error: \(error)\n".utf8))
            Foundation.exit(ExitStatus.failure)
        } catch let error as ValidationError {
            // Raised while running: point at the subcommand's help, not the root's usage.
            let name = type(of: command).configuration.commandName.map { " \($0)" } ?? ""
            FileHandle.standardError.write(Data("strata: \(error.message)\nSee 'strata\(name) --help'.\n".utf8))
            Foundation.exit(ExitStatus.usage)
        } catch {
            exit(withError: error)
        }
    }
}

enum ExitStatus {
    static let failure: Int32 = 1
    static let timeout: Int32 = 2
    static let integrity: Int32 = 3
    static let usage: Int32 = 64

    static func code(for error: StrataError) -> Int32 {
        switch error.code {
        case .usage, .unknownTarget, .ambiguousTarget, .multipleHeads: usage
        case .timeout: timeout
        case .integrity: integrity
        default: failure
        }
    }
}
