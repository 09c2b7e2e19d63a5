import ArgumentParser
import Foundation
import Strata

extension GlobalOptions {
    /// A writable store on a database that must already exist: retention never creates one.
    func openExistingWriter() throws -> SQLiteStore {
        let path = try databasePath()
        if !path.hasPrefix("file:"), !FileManager.default.fileExists(atPath: path) {
            throw StrataError(.io, "Database file '\(path)' does not exist; nothing was changed.")
        }
        return try SQLiteStore(path: path)
    }
}

/// The sentence every prune prints: SQLite keeps freed pages inside the file.
let vacuumHint = "The file does not shrink by itself: run `sqlite3 DATABASE 'VACUUM'` while no writer is running to give the space back (Strata never vacuums implicitly)."

struct PruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete the stored rows of all but the newest N snapshots; their descriptions and all events stay.",
        discussion: """
            Pruned snapshots are listed by 'strata snapshots' as pruned and cannot be restored until \
            their data is imported back from an archive ('strata archive export' first, or \
            'strata archive export PATH --prune'). Freed pages stay inside the database file until \
            it is vacuumed; Strata never runs VACUUM implicitly.
            """)

    @OptionGroup var options: GlobalOptions
    @OptionGroup var lock: LockTimeoutOption

    @Option(help: "How many of the newest snapshots (by id) keep their data.")
    var keep: Int

    func validate() throws {
        guard keep >= 0 else { throw ValidationError("--keep must be 0 or more.") }
    }

    func run() throws {
        let report = try SnapshotPruner(store: try options.openExistingWriter(), options: lock.migratorOptions).prune(keep: keep)
        try options.output.emit(PruneOutput(report, keep: keep)) {
            guard !report.snapshots.isEmpty else { return "Nothing to prune: at most the newest \(keep) snapshot(s) hold data." }
            return """
                Pruned \(report.snapshots.count) snapshot(s) (\(report.snapshots.map(String.init).joined(separator: ", "))): \
                \(report.rows) rows, \(report.chunks) chunk(s), \(ByteCount(report.storedBytes)) stored.
                \(vacuumHint)
                """
        }
    }
}

struct PruneOutput: Encodable {
    var snapshots: [Int64]
    var rows: Int64
    var chunks: Int64
    var storedBytes: Int64
    var eventSeq: Int64?
    var keep: Int?

    init(_ report: SnapshotPruner.Report, keep: Int?) {
        snapshots = report.snapshots
        rows = report.rows
        chunks = report.chunks
        storedBytes = report.storedBytes
        eventSeq = report.eventSeq
        self.keep = keep
    }
}

struct ArchiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Archive files: the log and the snapshots in one self-contained SQLite file.",
        subcommands: [Export.self, Inspect.self, Import.self])

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write the log and every snapshot's data to a new archive file (mode 0600).",
            discussion: "PATH must not exist (nor be a symbolic link) and its folder must. The file is written under a temporary name beside it and renamed when complete.")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var lock: LockTimeoutOption

        @Argument(help: "The new archive file.")
        var path: String

        @Flag(help: "Afterwards, prune the exported snapshots' data from the database.")
        var prune = false

        func run() throws {
            let report = try ArchiveExporter(store: try options.openExistingWriter(), options: lock.migratorOptions)
                .export(to: path, prune: prune)
            struct Output: Encodable {
                var path: String; var sha256: String; var bytes: Int64; var events: Int64
                var snapshots: [Int64]; var chunks: Int64; var eventSeq: Int64; var pruned: PruneOutput?
            }
            let output = Output(path: report.path, sha256: report.sha256, bytes: report.bytes, events: report.events,
                                snapshots: report.snapshots, chunks: report.chunks, eventSeq: report.eventSeq,
                                pruned: report.pruned.map { PruneOutput($0, keep: nil) })
            try options.output.emit(output) {
                var lines = [
                    "Exported \(report.events) event(s) and \(report.snapshots.count) snapshot(s) (\(report.chunks) chunk(s)) to \(report.path)",
                    "  \(ByteCount(report.bytes)), sha256 \(report.sha256)",
                ]
                if let pruned = report.pruned, !pruned.snapshots.isEmpty {
                    lines.append("Pruned the exported snapshots' data: \(pruned.rows) rows, \(ByteCount(pruned.storedBytes)) stored.")
                    lines.append(vacuumHint)
                }
                return lines.joined(separator: "\n")
            }
        }
    }

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inspect",
            abstract: "Describe an archive file and check its hash chain, scripts and chunks (exit 3 on a problem).")

        /// Accepted like everywhere; only --format matters here (no database is opened).
        @OptionGroup var options: GlobalOptions

        @Argument(help: "The archive file.")
        var path: String

        func run() throws {
            let report = try ArchiveReader(path: path).inspect()
            let info = report.info
            struct InspectOutput: Encodable {
                var info: ArchiveReader.Info; var ok: Bool; var problems: [String]
                var eventsChecked: Int; var scriptsChecked: Int; var snapshotsChecked: Int; var chunksChecked: Int64
            }
            let output = InspectOutput(info: info, ok: report.ok, problems: report.problems, eventsChecked: report.eventsChecked,
                                scriptsChecked: report.scriptsChecked, snapshotsChecked: report.snapshotsChecked,
                                chunksChecked: report.chunksChecked)
            try options.output.emit(output) {
                var lines = [
                    "\(info.path): \(info.format) version \(info.formatVersion), \(ByteCount(info.bytes)), sha256 \(info.sha256)",
                    "  source:    \(info.sourceDatabase)",
                    "  exported:  \(info.exportedAt)",
                    "  events:    \(info.events) (seq \(info.firstEventSeq)...\(info.lastEventSeq)), head hash \(info.headHash)",
                    "  snapshots: \(info.snapshots) described, \(info.snapshotsWithData.count) with data (\(info.snapshotsWithData.map(String.init).joined(separator: ", ")))",
                    "  scripts:   \(info.scripts)",
                ]
                if report.ok {
                    lines.append("OK: hash chain of \(report.eventsChecked) event(s), \(report.scriptsChecked) script(s), \(report.chunksChecked) chunk(s) in \(report.snapshotsChecked) snapshot(s).")
                }
                return lines.joined(separator: "\n")
            }
            guard report.ok else {
                throw StrataError(.integrity, "Archive '\(path)' has \(report.problems.count) problem(s): \(report.problems[0])",
                                  detail: report.problems.dropFirst().joined(separator: "\n"))
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Bring back the data of pruned snapshots from an archive of this same database.")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var lock: LockTimeoutOption

        @Argument(help: "The archive file.")
        var path: String

        func run() throws {
            let report = try ArchiveImporter(store: try options.openExistingWriter(), options: lock.migratorOptions)
                .importArchive(at: path)
            try options.output.emit(ImportOutput(report)) { ImportOutput.text(report) }
        }
    }
}

/// Output of `archive import` (and of the import step of `restore --from-archive`).
struct ImportOutput: Encodable {
    var imported: [Int64]
    var alreadyPresent: [Int64]
    var rows: Int64
    var chunks: Int64
    var storedBytes: Int64
    var eventSeq: Int64?

    init(_ report: ArchiveImporter.Report) {
        imported = report.imported
        alreadyPresent = report.alreadyPresent
        rows = report.rows
        chunks = report.chunks
        storedBytes = report.storedBytes
        eventSeq = report.eventSeq
    }

    static func text(_ report: ArchiveImporter.Report) -> String {
        guard !report.imported.isEmpty else {
            return "Nothing to import from \(report.archive.path): none of its \(report.archive.snapshotsWithData.count) snapshot(s) is pruned in this database."
        }
        return "Imported the data of \(report.imported.count) snapshot(s) (\(report.imported.map(String.init).joined(separator: ", "))) from \(report.archive.path): \(report.rows) rows, \(report.chunks) chunk(s), \(ByteCount(report.storedBytes))."
    }
}
