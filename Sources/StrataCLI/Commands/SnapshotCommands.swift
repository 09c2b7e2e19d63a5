import ArgumentParser
import Foundation
import Strata

struct SnapshotsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshots", abstract: "List the snapshots in the log, or show one's rows.",
        subcommands: [SnapshotsListCommand.self, SnapshotsShowCommand.self], defaultSubcommand: SnapshotsListCommand.self)
}

struct SnapshotsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the snapshots in the log, oldest first (the default).")

    @OptionGroup var options: GlobalOptions

    /// SPEC §4's shape, plus a few fields.
    struct Row: Encodable {
        var id: Int64
        var eventSeq: Int64?
        var revision: String?
        var reason: String
        var takenAt: String
        var tables: [String]
        var rows: Int64
        var rawBytes: Int64
        var storedBytes: Int64
        var pruned: Bool
    }

    func run() throws {
        let store = try options.openReader()
        let rows = try SnapshotCatalog(connection: store.connection).all().map { snapshot in
            Row(id: snapshot.id, eventSeq: snapshot.eventSeq, revision: snapshot.revision, reason: snapshot.reason,
                takenAt: snapshot.takenAt, tables: snapshot.tables.map(\.name), rows: snapshot.rows,
                rawBytes: snapshot.rawBytes, storedBytes: snapshot.storedBytes, pruned: snapshot.prunedAt != nil)
        }
        try options.output.emit(rows) {
            guard !rows.isEmpty else { return "No snapshots." }
            let header = ["id", "taken at", "before", "tables", "rows", "raw", "stored"]
            let body = rows.map { row in
                [String(row.id), row.takenAt, row.revision.map { "\(row.reason) \($0)" } ?? row.reason,
                 row.tables.joined(separator: ","), String(row.rows), ByteCount(row.rawBytes).description,
                 row.pruned ? "pruned" : ByteCount(row.storedBytes).description]
            }
            return TextTable(header: header, rows: body).description
        }
    }
}

struct SnapshotsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Stream a snapshot's rows without restoring anything, as SQL the sqlite3 shell loads, CSV or JSON Lines.")

    @OptionGroup var location: LocationOptions

    @Option(help: "sql (default: CREATE and INSERT statements), csv (RFC 4180, one table) or json (JSON Lines, one table).")
    var format: SnapshotExport.Format = .sql

    @Argument(help: "The snapshot id ('strata snapshots' lists them).")
    var id: Int64

    @Option(help: "Only this table (required for csv and json when the snapshot holds several).")
    var table: String?

    @Option(help: "At most this many rows per table.")
    var limit: Int64?

    func run() throws {
        let store = try location.openReader()
        let output = FileHandle.standardOutput
        var buffer = ""
        try SnapshotExport(connection: store.connection).export(snapshot: id, table: table, format: format, limit: limit) { text in
            buffer += text
            if buffer.utf8.count >= 1 << 16 {
                output.write(Data(buffer.utf8))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        output.write(Data(buffer.utf8))
    }
}

extension SnapshotExport.Format: ExpressibleByArgument {}

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Put the database back as it was at a prior revision (or as one snapshot holds it), data included.")

    @OptionGroup var options: GlobalOptions

    @OptionGroup var writer: LockTimeoutOption

    // Captured raw so that relative targets such as -1 are not taken for options.
    @Argument(parsing: .allUnrecognized, help: "The revision to go back to (a revision, -N, base, ...).")
    var targetArguments: [String] = []

    var target: String? { targetArguments.first }

    @Option(help: "Apply this one snapshot instead (e.g. the undo snapshot a restore printed).")
    var snapshot: Int64?

    @Option(name: .customLong("from-archive"), help: "First import pruned snapshots' data from this archive file (strata archive import).")
    var fromArchive: String?

    @Flag(help: "Do not ask; required when stdin is not a terminal.")
    var yes = false

    @Option(help: "Write the restored database to this new file instead; the live one is only read.")
    var into: String?

    @Flag(help: "With --into: replace the file if it exists.")
    var overwrite = false

    func validate() throws {
        if !targetArguments.isEmpty { _ = try TargetArgument.single(targetArguments, default: nil) }
        guard (target == nil) != (snapshot == nil) else {
            throw ValidationError("Give either a TARGET revision or --snapshot ID.")
        }
    }

    func run() throws {
        if let into {
            // The live database is only read, so there is nothing to confirm.
            let side: SideFileRestore.Target = snapshot.map { .snapshot($0) } ?? .revision(target!)
            let report = try SideFileRestore.restore(live: try options.databasePath(), into: into, target: side,
                                                     migrations: try options.loadMigrations(), overwrite: overwrite,
                                                     progress: TerminalProgress.handlerIfTerminal())
            try emit(report, into: into)
            return
        }
        let store = try options.openWriter()
        if let fromArchive {
            // Stderr, so stdout stays the restore's own output (text or JSON).
            printError(ImportOutput.text(try ArchiveImporter(store: store, options: writer.migratorOptions).importArchive(at: fromArchive)))
        }
        let restorer = Restorer(store: store, migrations: try options.loadMigrations(),
                                options: writer.migratorOptions)
        let plan = try snapshot.map { try restorer.plan(snapshot: $0) } ?? restorer.plan(toRevision: target!)
        let summary = """
            Restore \(HeadsDescription(plan.from)) -> \(HeadsDescription(plan.heads)) from snapshot(s) \(plan.snapshots.map(String.init).joined(separator: ", ")):
              tables put back: \(plan.restoredTables.isEmpty ? "none" : plan.restoredTables.joined(separator: ", "))
              tables dropped:  \(plan.droppedTables.isEmpty ? "none" : plan.droppedTables.joined(separator: ", "))\(plan.keptTables.isEmpty ? "" : "\n  tables kept (made outside the migrations): " + plan.keptTables.joined(separator: ", "))
            Tables not listed keep their current rows. What is overwritten is snapshotted first, so this can be undone.
            """
        if !yes {
            guard isatty(STDIN_FILENO) == 1 else {
                throw StrataError(.usage, "restore changes data; pass --yes to run it without a terminal. Nothing was changed.")
            }
            printError(summary)
            FileHandle.standardError.write(Data("Proceed? [y/N] ".utf8))
            guard let answer = readLine(), answer.lowercased().hasPrefix("y") else {
                printError("Nothing was changed.")
                throw ExitCode(ExitStatus.failure)
            }
        }
        let report = try snapshot.map { try restorer.restore(snapshot: $0) } ?? restorer.restore(toRevision: target!)
        try emit(report, into: nil)
    }

    private func emit(_ report: Restorer.Report, into: String?) throws {
        struct Output: Encodable {
            var heads: [String]; var from: [String]; var snapshots: [Int64]; var restored: [String]
            var dropped: [String]; var kept: [String]; var rows: Int64; var undoSnapshot: Int64?; var foreignKeyViolations: Int
        }
        let output = Output(heads: report.plan.heads, from: report.plan.from, snapshots: report.plan.snapshots,
                            restored: report.plan.restoredTables, dropped: report.plan.droppedTables,
                            kept: report.plan.keptTables, rows: report.rows,
                            undoSnapshot: into == nil ? report.undoSnapshot : nil,
                            foreignKeyViolations: report.foreignKeyViolations)
        try options.output.emit(output) {
            let place = into.map { " into \($0) (the live database was only read)" } ?? ""
            let dropped = report.plan.droppedTables.isEmpty ? "none" : report.plan.droppedTables.joined(separator: ", ")
            var lines = ["Restored to \(HeadsDescription(report.plan.heads))\(place): \(report.rows) rows in \(report.plan.restoredTables.count) table(s); dropped \(report.plan.droppedTables.count) (\(dropped))."]
            if !report.plan.keptTables.isEmpty {
                lines.append("Kept, as no migration made them: \(report.plan.keptTables.joined(separator: ", ")).")
            }
            if let undo = report.undoSnapshot, into == nil { lines.append("Undo with: strata restore --snapshot \(undo) --yes") }
            if report.foreignKeyViolations > 0 {
                lines.append("warning: the restore left \(report.foreignKeyViolations) foreign key violation(s) between restored and current rows (PRAGMA foreign_key_check lists them, with any there before).")
            }
            return lines.joined(separator: "\n")
        }
    }
}

/// Bytes for people: 1.2 MiB.
struct ByteCount: CustomStringConvertible {
    var bytes: Int64
    init(_ bytes: Int64) { self.bytes = bytes }
    var description: String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}

/// Left-aligned columns, two spaces apart.
struct TextTable: CustomStringConvertible {
    var header: [String]
    var rows: [[String]]
    var description: String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            // Padded by characters, as the widths are counted (NSString's padding counts UTF-16
            // units and cut a name with an emoji in the middle of it).
            row.enumerated().map { $1 + String(repeating: " ", count: widths[$0] - $1.count) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}
