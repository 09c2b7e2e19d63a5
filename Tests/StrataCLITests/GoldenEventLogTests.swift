import Foundation
import Testing

/// Event hash v1, pinned forever by `archive/event-log-v1/events.db` (made once by
/// `archive/event-log-v1/make.sh`, see there). Every later Strata must verify it, and the
/// hashes recomputed here from the canonical form in Docs/formats.md ("Event hash v1"), with
/// `sha256sum` rather than the library, must equal the stored ones.
@Suite struct GoldenEventLogTests {
    static let archive = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("archive/event-log-v1").path

    /// The history make.sh wrote, in order.
    static let kinds = [
        "upgrade_started", "migration_applied", "migration_applied", "upgrade_completed",
        "upgrade_started", "migration_applied", "upgrade_completed",
        "downgrade_started", "migration_reverted", "downgrade_completed",
        "upgrade_started", "migration_applied", "upgrade_completed",
        "upgrade_started", "migration_failed", "recovered",
        "upgrade_started", "migration_applied", "upgrade_completed",
        "stamped", "stamped",
    ]

    /// The worked example of Docs/formats.md: event 1.
    static let firstHash = "5bdbc2887ad2c107474b459cd1a84f15571edb7b3d009bf28cda20fbfb893a73"
    /// The chain's end: pins every event before it.
    static let lastHash = "a7a755ccf9c6b644227f4a7b74cd4d63d0ff3677b3ea814c9bdf10a6d984836c"

    /// A copy of the golden folder in a temporary directory: the archive is never opened for writing.
    final class Copy {
        let root = NSTemporaryDirectory() + "strata-golden-\(UUID().uuidString.prefix(8))"
        var database: String { root + "/events.db" }

        init() throws {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            for name in ["events.db", "Migrations"] {
                try FileManager.default.copyItem(atPath: GoldenEventLogTests.archive + "/" + name, toPath: root + "/" + name)
            }
        }

        deinit { try? FileManager.default.removeItem(atPath: root) }

        func strata(_ arguments: String...) throws -> ProcessResult {
            try Run.strata(arguments + ["--database", database], in: root)
        }
    }

    /// Event hash v1's canonical form: `strata-event-v1\n`, then seq, at, kind, revision, status,
    /// heads, actor, detail, prev_hash, each as `<UTF-8 byte length>:<bytes>\n`, null as `-\n`.
    static func canonicalForm(_ event: LoggedEvent) -> String {
        var text = "strata-event-v1\n"
        let fields: [String?] = [String(event.seq), event.at, event.kind, event.revision, event.status,
                                 event.heads, event.actor, event.detail, event.prevHash]
        for field in fields {
            guard let field else {
                text += "-\n"
                continue
            }
            text += "\(field.utf8.count):\(field)\n"
        }
        return text
    }

    /// SHA-256 by the coreutils tool, so the library's own hashing is not its own judge.
    static func sha256(_ text: String, in directory: String) throws -> String {
        let result = try Run.process("/usr/bin/env", ["sha256sum"], in: directory, stdin: text)
        return String(result.stdout.prefix(64))
    }

    @Test func theArchiveIsARollbackJournalFileWithNoSidecars() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.archive)
        #expect(files.contains("events.db"))
        #expect(!files.contains { $0.hasSuffix("-wal") || $0.hasSuffix("-shm") || $0.hasSuffix("-journal") }, "\(files)")
        let copy = try Copy()
        #expect(try Run.sqlite3(copy.database, "PRAGMA journal_mode;").stdout == "delete\n")
        #expect(try Run.sqlite3(copy.database, "SELECT value FROM strata_meta WHERE key = 'event_hash';").stdout == "v1\n")
    }

    @Test func verifyPassesAndCurrentReportsTheHead() throws {
        let copy = try Copy()
        let verify = try copy.strata("verify")
        #expect(verify.status == 0, "\(verify)")
        #expect(verify.stdout.contains("OK: \(Self.kinds.count) events"), "\(verify)")
        let current = try copy.strata("current", "--format", "json")
        #expect(current.status == 0, "\(current)")
        let json = try JSONSerialization.jsonObject(with: Data(current.stdout.utf8)) as? [String: Any]
        #expect(json?["heads"] as? [String] == ["c4e8a2d0f533"])
        #expect(json?["status"] as? String == "idle")
        let text = try copy.strata("current")
        #expect(text.stdout == "c4e8a2d0f533 (head)\n", "\(text)")
    }

    @Test func hashesRecomputedFromTheCanonicalFormEqualTheStoredOnes() throws {
        let copy = try Copy()
        let events = try LoggedEvent.all(in: copy.database)
        #expect(events.map(\.kind) == Self.kinds)
        var previous = String(repeating: "0", count: 64)
        for (index, event) in events.enumerated() {
            #expect(event.seq == index + 1)
            #expect(event.prevHash == previous, "event \(event.seq)")
            #expect(try Self.sha256(Self.canonicalForm(event), in: copy.root) == event.hash, "event \(event.seq)")
            previous = event.hash
        }
        #expect(events.first?.hash == Self.firstHash)
        #expect(events.last?.hash == Self.lastHash)

        // Fields that exercise the encoding: a null revision ("-"), a failure's detail and
        // the recovered event naming the dead writer.
        #expect(events[0].revision == nil && Self.canonicalForm(events[0]).contains("\n-\n"))
        let failed = events[14], recovered = events[15]
        #expect(failed.status == "failed" && failed.detail("statement") as? Int == 2)
        #expect((recovered.detail("previous_owner") as? [String: Any])?["user"] as? String == "ops")
        #expect(recovered.detail("interrupted") is NSNull, "the writer had failed, not stopped mid-operation")
    }

    @Test func theWorkedExampleInTheDocsIsTheGoldenFirstEvent() throws {
        let copy = try Copy()
        let first = try #require(try LoggedEvent.all(in: copy.database).first)
        let docs = try String(contentsOfFile: Self.archive + "/../../Docs/formats.md", encoding: .utf8)
        #expect(docs.contains(Self.firstHash))
        // The canonical form, as the docs print it (one field a line).
        #expect(docs.contains(Self.canonicalForm(first)), "Docs/formats.md's worked example is not event 1's canonical form")
    }
}
