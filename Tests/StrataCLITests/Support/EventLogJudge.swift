import Foundation
import Testing

/// One row of `strata_events` as the sqlite3 shell reads it (`-json` mode), so the tests judge
/// the log without the library's own reader.
struct LoggedEvent: Sendable {
    var seq: Int
    var at: String
    var kind: String
    var revision: String?
    var status: String
    var heads: String
    var actor: String
    var detail: String
    var prevHash: String
    var hash: String

    /// The detail object's member `key` (strings, numbers, objects), or nil.
    func detail(_ key: String) -> Any? { Self.object(detail)[key] }

    /// The writer's pid recorded in `actor`.
    var actorPid: Int? { Self.object(actor)["pid"] as? Int }

    static func object(_ json: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:]
    }
}

extension LoggedEvent {
    /// The whole log of `database`, read by the sqlite3 shell.
    static func all(in database: String) throws -> [LoggedEvent] {
        let result = try Run.sqlite3(database, """
            SELECT seq, at, kind, revision, status, heads, actor, detail, prev_hash, hash
            FROM strata_events ORDER BY seq;
            """, arguments: ["-json"])
        let text = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return [] }
        let rows = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] ?? []
        return rows.map { row in
            LoggedEvent(seq: row["seq"] as? Int ?? -1, at: row["at"] as? String ?? "", kind: row["kind"] as? String ?? "",
                        revision: row["revision"] as? String, status: row["status"] as? String ?? "",
                        heads: row["heads"] as? String ?? "", actor: row["actor"] as? String ?? "",
                        detail: row["detail"] as? String ?? "", prevHash: row["prev_hash"] as? String ?? "",
                        hash: row["hash"] as? String ?? "")
        }
    }
}

extension Project {
    /// The whole log, read by the sqlite3 shell.
    func events() throws -> [LoggedEvent] { try LoggedEvent.all(in: database) }

    /// For each revision, how many `migration_applied` events follow its newest
    /// `migration_reverted`: 1 for an applied revision, 0 for a reverted one, never more.
    func applicationsSinceLastRevert() throws -> [String: Int] {
        let rows = try Run.sqlite3(database, """
            SELECT a.revision, count(*) FROM strata_events a
            WHERE a.kind = 'migration_applied'
              AND a.seq > coalesce((SELECT max(r.seq) FROM strata_events r
                                    WHERE r.kind = 'migration_reverted' AND r.revision = a.revision), 0)
            GROUP BY a.revision ORDER BY a.revision;
            """).stdout.split(separator: "\n")
        var counts: [String: Int] = [:]
        for row in rows {
            let parts = row.split(separator: "|")
            if parts.count == 2 { counts[String(parts[0])] = Int(parts[1]) }
        }
        return counts
    }

    /// One value from the sqlite3 shell, trimmed.
    func scalar(_ sql: String) throws -> String {
        try Run.sqlite3(database, sql).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `PRAGMA integrity_check`, by the sqlite3 shell.
    func integrity() throws -> String { try scalar("PRAGMA integrity_check;") }

    /// Starts `strata ARGUMENTS --database DB` without waiting for it.
    func spawnStrata(_ arguments: String...) throws -> Spawned {
        try Spawned(Run.strataBinary, arguments + ["--database", database], in: root)
    }
}

/// A child process started without waiting, its output going to files (no pipe to fill up).
final class Spawned {
    let process = Process()
    private let scratch: URL

    init(_ executable: String, _ arguments: [String], in directory: String) throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("spawn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = Run.childEnvironment()
        for name in ["out", "err"] {
            _ = FileManager.default.createFile(atPath: scratch.appendingPathComponent(name).path, contents: nil)
        }
        process.standardOutput = try FileHandle(forWritingTo: scratch.appendingPathComponent("out"))
        process.standardError = try FileHandle(forWritingTo: scratch.appendingPathComponent("err"))
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: scratch)
    }

    var pid: Int32 { process.processIdentifier }

    /// SIGKILL, then reap: the child gets no chance to clean up, as after a power cut of one process.
    func killHard() {
        kill(pid, SIGKILL)
        process.waitUntilExit()
    }

    /// Waits for the exit and collects the output. A child killed by a signal reports 128 + signal.
    func wait() -> ProcessResult {
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return ProcessResult(status: status,
                             stdout: (try? String(contentsOf: scratch.appendingPathComponent("out"), encoding: .utf8)) ?? "",
                             stderr: (try? String(contentsOf: scratch.appendingPathComponent("err"), encoding: .utf8)) ?? "")
    }
}

/// The first line of a process's stderr.
extension ProcessResult {
    var firstErrorLine: String { stderr.split(separator: "\n").first.map(String.init) ?? "" }
}
