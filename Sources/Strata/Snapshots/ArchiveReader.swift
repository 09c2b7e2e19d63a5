import Foundation

/// Reads an archive file (ArchiveFormat) and checks it: `archive inspect`, and the first step
/// of `archive import`.
///
/// The checks are the ones `verify` runs on a live database, applied to the archive's own
/// copies: the hash chain recomputed event by event, every stored script against its address,
/// every chunk of every snapshot that holds data (CRC-32, decompression, row decoding), and
/// `archive_meta` against what the tables hold.
public final class ArchiveReader {
    public struct Info: Sendable, Encodable {
        public var path: String
        public var format: String
        public var formatVersion: Int
        public var sourceDatabase: String
        public var exportedAt: String
        public var firstEventSeq: Int64
        public var lastEventSeq: Int64
        public var events: Int64
        public var headHash: String
        /// Snapshots whose chunk data the archive holds.
        public var snapshotsWithData: [Int64]
        /// Snapshots described, pruned ones included.
        public var snapshots: Int64
        public var chunks: Int64
        public var scripts: Int64
        public var sha256: String
        public var bytes: Int64
    }

    public struct Report: Sendable {
        public var info: Info
        public var eventsChecked = 0
        public var scriptsChecked = 0
        public var snapshotsChecked = 0
        public var chunksChecked: Int64 = 0
        public var problems: [String] = []
        public var ok: Bool { problems.isEmpty }
    }

    public let path: String
    let connection: Connection
    var catalog: SnapshotCatalog { SnapshotCatalog(connection: connection) }

    /// Opens `path` read-only; refuses a file that is not a Strata archive this build can read.
    public init(path: String) throws {
        self.path = path
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw StrataError(.io, "Archive '\(path)' does not exist.")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw StrataError(.io, "Archive '\(path)' is not a regular file.")
        }
        // The connection understands URIs; a relative name starting with "file:" is not one.
        let openPath = path.hasPrefix("file:") ? "./" + path : path
        do {
            connection = try Connection(path: openPath, mode: .readOnly)
            guard try connection.tableExists("archive_meta") else {
                throw StrataError(.io, "'\(path)' is an SQLite file but not a Strata archive (it has no archive_meta table).")
            }
        } catch let error as StrataError {
            throw error
        } catch {
            throw StrataError(.io, "'\(path)' is not a Strata archive: \(SQLiteStore.reason(error)).", cause: error)
        }
        let format = try meta(ArchiveFormat.Key.format)
        guard format == ArchiveFormat.name else {
            throw StrataError(.io, "'\(path)' is not a Strata archive (its format is '\(format ?? "missing")', not '\(ArchiveFormat.name)').")
        }
        let version = try meta(ArchiveFormat.Key.formatVersion).flatMap { Int($0) } ?? 0
        guard version == ArchiveFormat.version else {
            throw StrataError(.databaseState, "Archive '\(path)' is format version \(version); this build reads version \(ArchiveFormat.version) (a newer Strata wrote it?).")
        }
    }

    func meta(_ key: String) throws -> String? {
        try connection.scalar("SELECT value FROM archive_meta WHERE key = ?", [.text(key)])?.text
    }

    /// What `archive_meta` says, with the file's own hash and size.
    public func info() throws -> Info {
        func integer(_ key: String) throws -> Int64 { try meta(key).flatMap { Int64($0) } ?? 0 }
        let file = try ArchiveFile.sha256(of: path)
        let ids = try meta(ArchiveFormat.Key.snapshotIDs).flatMap { try? JSONValue.parse($0) }?.array?.compactMap(\.int) ?? []
        return Info(
            path: path, format: try meta(ArchiveFormat.Key.format) ?? "", formatVersion: ArchiveFormat.version,
            sourceDatabase: try meta(ArchiveFormat.Key.sourceDatabase) ?? "", exportedAt: try meta(ArchiveFormat.Key.exportedAt) ?? "",
            firstEventSeq: try integer(ArchiveFormat.Key.firstEventSeq), lastEventSeq: try integer(ArchiveFormat.Key.lastEventSeq),
            events: try integer(ArchiveFormat.Key.eventCount), headHash: try meta(ArchiveFormat.Key.headHash) ?? "",
            snapshotsWithData: ids, snapshots: try integer(ArchiveFormat.Key.snapshotCount),
            chunks: try integer(ArchiveFormat.Key.chunkCount),
            scripts: try connection.scalar("SELECT count(*) FROM strata_scripts")?.integer ?? 0,
            sha256: file.hash, bytes: file.bytes)
    }

    /// Runs every check; problems are collected, not thrown.
    public func inspect() throws -> Report {
        var report = Report(info: try info())
        try connection.transaction(.deferred) {
            try checkEvents(&report)
            try checkScripts(&report)
            try checkSnapshots(&report)
        }
        return report
    }

    private func checkEvents(_ report: inout Report) throws {
        let info = report.info
        var expectedSeq: Int64 = 1
        var previousHash = EventHash.genesis
        var firstProblem: String?
        try EventLog(connection: connection).forEach { event in
            report.eventsChecked += 1
            guard firstProblem == nil else { return }
            if event.seq != expectedSeq {
                firstProblem = "Event seq \(expectedSeq) is missing from the archive (the next stored is \(event.seq))."
            } else if event.prevHash != previousHash {
                firstProblem = "Event \(event.seq) in the archive does not follow event \(event.seq - 1) (prev_hash mismatch)."
            } else if EventHash.hash(of: event) != event.hash {
                firstProblem = "Event \(event.seq) (\(event.kind)) in the archive was altered: its content does not match its hash."
            }
            expectedSeq = event.seq + 1
            previousHash = event.hash
        }
        if let firstProblem { report.problems.append(firstProblem) }
        let stored = Int64(report.eventsChecked)
        if stored != info.events || (stored > 0 && (info.firstEventSeq != 1 || info.lastEventSeq != expectedSeq - 1)) {
            report.problems.append("archive_meta records events \(info.firstEventSeq)...\(info.lastEventSeq) (\(info.events)), but the archive holds \(stored) event(s) up to seq \(expectedSeq - 1).")
        }
        if stored > 0, previousHash != info.headHash {
            report.problems.append("archive_meta records head hash \(info.headHash), but the archive's last event has hash \(previousHash).")
        }
    }

    private func checkScripts(_ report: inout Report) throws {
        let scripts = ScriptArchive(connection: connection)
        for address in try connection.query("SELECT sha256 FROM strata_scripts ORDER BY sha256", [], { $0.string(0) }) {
            report.scriptsChecked += 1
            do {
                _ = try scripts.text(at: address)
            } catch let error as StrataError {
                report.problems.append(error.message)
            }
        }
    }

    private func checkSnapshots(_ report: inout Report) throws {
        let withData = try catalog.all().filter { $0.prunedAt == nil }
        for snapshot in withData {
            report.snapshotsChecked += 1
            do {
                try catalog.verify(snapshot)
                report.chunksChecked += snapshot.tables.reduce(0) { $0 + ($1.existed ? $1.chunks : 0) }
            } catch let error as StrataError {
                report.problems.append(error.message)
            }
        }
        let listed = report.info.snapshotsWithData
        if listed != withData.map(\.id) {
            report.problems.append("archive_meta lists snapshots \(listed) with data, but the archive holds data for \(withData.map(\.id)).")
        }
    }
}
