import Foundation
import Strata

/// `show REV`'s audit part: when, by whom and how long it ran, the checksum, whether the file
/// now differs from the text that ran (with a unified diff), and the snapshots taken for it.
struct ShowAudit: Encodable {
    struct Run: Encodable {
        var seq: Int64
        var at: String
        var direction: String
        var user: String?
        var host: String?
        var pid: Int64?
        var tool: String?
        var durationMs: Double?
        var checksum: String?
    }

    struct Snapshot: Encodable {
        var id: Int64
        var takenAt: String
        var reason: String
        var tables: [String]
        var rows: Int64
        var rawBytes: Int64
        var storedBytes: Int64
        var pruned: Bool
    }

    var applied: Bool
    var lastApplied: Run?
    var recordedChecksum: String?
    /// `nil` when nothing was recorded or the script is Swift code.
    var fileDiffers: Bool?
    /// The unified diff from the text that ran to the file, when they differ.
    var diff: String?
    var runs: [Run]
    var failures: Int
    var snapshots: [Snapshot]

    /// `nil` when no database is configured or the file does not exist yet.
    static func load(_ script: MigrationScript, options: GlobalOptions) throws -> ShowAudit? {
        guard let path = try options.databasePathIfConfigured(), FileManager.default.fileExists(atPath: path) else { return nil }
        let store = try SQLiteStore(path: path, readOnly: true)
        let audit = try RevisionAudit.load(script.id, in: store.connection)
        let graph = try options.loadMigrations().graph
        let applied = (try? graph.appliedRevisions(heads: try store.heads()))?.contains(script.id) ?? false
        let recorded = audit.recordedChecksum
        var differs: Bool?
        if let recorded, let current = script.checksum { differs = recorded != current }
        var diff: String?
        if differs == true, let stored = audit.storedScript, let source = script.source {
            diff = UnifiedDiff.make(old: stored, new: source, oldLabel: "ran (seq \(audit.lastApplied?.seq ?? 0), \(audit.lastApplied?.at ?? "?"))",
                                    newLabel: script.file ?? script.id)
        }
        return ShowAudit(
            applied: applied, lastApplied: audit.lastApplied.map(Run.init), recordedChecksum: recorded,
            fileDiffers: differs, diff: diff, runs: audit.runs.map(Run.init), failures: audit.failures.count,
            snapshots: audit.snapshots.map { snapshot in
                Snapshot(id: snapshot.id, takenAt: snapshot.takenAt, reason: snapshot.reason,
                         tables: snapshot.tables.map(\.name), rows: snapshot.rows, rawBytes: snapshot.rawBytes,
                         storedBytes: snapshot.storedBytes, pruned: snapshot.prunedAt != nil)
            })
    }

    var text: String {
        var lines: [String] = []
        if let run = lastApplied {
            lines.append("Applied: \(run.at) by \(run.user ?? "?")@\(run.host ?? "?") (pid \(run.pid.map(String.init) ?? "?"), \(run.tool ?? "strata")) in \(Self.duration(run.durationMs))\(applied ? "" : " (reverted since)")")
        } else {
            lines.append(applied ? "Applied: yes (stamped; it never ran here)" : "Applied: no")
        }
        if let recordedChecksum { lines.append("Ran with checksum: \(recordedChecksum)") }
        switch fileDiffers {
        case true?: lines.append("File: EDITED since it ran (the checksums differ)")
        case false?: lines.append("File: unchanged since it ran")
        case nil: break
        }
        if !runs.isEmpty || failures > 0 {
            let applies = runs.filter { $0.direction == "upgrade" }.count
            lines.append("Runs: \(applies) applied, \(runs.count - applies) reverted, \(failures) failed")
        }
        if snapshots.isEmpty {
            lines.append("Snapshots: none")
        } else {
            lines.append("Snapshots:")
            for snapshot in snapshots {
                lines.append("  #\(snapshot.id)  \(snapshot.takenAt)  \(snapshot.reason)  \(snapshot.tables.joined(separator: ", "))  \(snapshot.rows) rows, \(Self.bytes(snapshot.rawBytes)) raw, \(Self.bytes(snapshot.storedBytes)) stored\(snapshot.pruned ? " (pruned)" : "")")
            }
        }
        if let diff { lines += ["", diff] }
        return lines.joined(separator: "\n")
    }

    static func duration(_ ms: Double?) -> String {
        guard let ms else { return "? ms" }
        return ms < 10 ? String(format: "%.1f ms", ms) : (ms < 10_000 ? "\(Int(ms.rounded())) ms" : String(format: "%.1f s", ms / 1000))
    }

    static func bytes(_ count: Int64) -> String {
        count < 1024 ? "\(count) B" : count < 1 << 20 ? String(format: "%.1f KiB", Double(count) / 1024) : String(format: "%.1f MiB", Double(count) / 1048576)
    }
}

extension ShowAudit.Run {
    init(_ run: LoggedRun) {
        self.init(seq: run.seq, at: run.at, direction: run.direction, user: run.actor.user, host: run.actor.host,
                  pid: run.actor.pid, tool: run.actor.tool, durationMs: run.durationMs, checksum: run.checksum)
    }
}
