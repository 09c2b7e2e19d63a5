import Foundation
import Testing

/// SPEC §7: two writers booting at once apply each migration exactly once, the loser waits or
/// exits cleanly, a live writer's lock makes the other give up with a sentence naming it, and a
/// dead writer's lock is taken over and recorded.
@Suite struct ConcurrentWritersTests {
    static let modes = ["delete", "wal"]
    static let revisions = ["aaaa0001", "bbbb0002", "cccc0003", "dddd0004"]

    /// Four revisions; the second does enough work (~0.1 s) that the two runs overlap.
    static func raceProject(_ journal: String) throws -> Project {
        let project = try Project(journal: journal)
        project.script("aaaa0001", up: "CREATE TABLE device (id INTEGER PRIMARY KEY, name TEXT);", down: "DROP TABLE device;")
        project.script("bbbb0002", revises: ["aaaa0001"], up: """
            CREATE TABLE reading (id INTEGER PRIMARY KEY, device_id INTEGER, value REAL);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150000)
            INSERT INTO reading (device_id, value) SELECT i % 17, i * 0.5 FROM n;
            """, down: "DROP TABLE reading;")
        project.script("cccc0003", revises: ["bbbb0002"], up: "CREATE INDEX reading_by_device ON reading (device_id);",
                       down: "DROP INDEX reading_by_device;")
        project.script("dddd0004", revises: ["cccc0003"], up: "INSERT INTO device (name) VALUES ('gateway');",
                       down: "DELETE FROM device;")
        return project
    }

    @Test(arguments: modes, 0..<8)
    func twoUpgradesStartedTogetherOnAFreshFile(journal: String, round: Int) throws {
        let project = try Self.raceProject(journal)
        // Both spawned before waiting on either.
        let first = try project.spawnStrata("upgrade")
        let second = try project.spawnStrata("upgrade")
        let results = [first.wait(), second.wait()]
        for result in results { #expect(result.status == 0, "round \(round): \(result)") }

        let events = try project.events()
        let applied = events.filter { $0.kind == "migration_applied" }
        #expect(applied.compactMap(\.revision) == Self.revisions, "each revision applied exactly once: \(events.map(\.kind))")
        #expect(try project.applicationsSinceLastRevert() == Dictionary(uniqueKeysWithValues: Self.revisions.map { ($0, 1) }))
        #expect(events.filter { $0.kind == "upgrade_started" }.count == 1)
        #expect(!events.contains { $0.kind == "recovered" }, "nobody died, so nothing is recovered")

        // The winner wrote every event; the loser wrote none: it found nothing left to do,
        // either at once or after waiting for the lock.
        let writers = Set(events.compactMap(\.actorPid))
        #expect(writers.count == 1, "\(writers)")
        let winner = writers.first == Int(first.pid) ? 0 : 1
        #expect(results[winner].stdout.contains("Upgraded to dddd0004"), "\(results[winner])")
        #expect(results[1 - winner].stdout.contains("Nothing to do"), "\(results[1 - winner])")

        #expect(try project.versions() == ["dddd0004"])
        #expect(try project.scalar("SELECT count(*) FROM reading;") == "150000")
        #expect(try project.scalar("SELECT count(*) FROM strata_lock;") == "0")
        #expect(try project.integrity() == "ok")
        let verify = try project.strata("verify")
        #expect(verify.status == 0, "\(verify)")
    }

    @Test(arguments: modes)
    func aLiveHoldersLockTimesOutAndADeadOnesIsTakenOver(journal: String) throws {
        let project = try Self.raceProject(journal)
        var result = try project.strata("upgrade", "aaaa0001")
        try #require(result.status == 0, "\(result)")
        // The host exactly as the binary names it, taken from the event it just wrote.
        let host = try project.scalar("SELECT json_extract(actor, '$.host') FROM strata_events LIMIT 1;")

        // A live process on this host holds the lock (its lease would last for hours).
        let holder = try Spawned("/bin/sleep", ["30"], in: project.root)
        let insert = try Run.sqlite3(project.database, """
            INSERT INTO strata_lock (id, host, pid, user, operation, acquired_at, lease_expires_ms)
            VALUES (1, '\(host)', \(holder.pid), 'ops', 'upgrade', '2026-01-01T00:00:00.000Z',
                    CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + 36000000);
            """)
        try #require(insert.status == 0, "\(insert)")
        let before = try project.fullDump()

        result = try project.strata("upgrade", "--lock-timeout", "1")
        #expect(result.status == 2, "\(result)")
        let sentence = result.firstErrorLine
        #expect(sentence.contains("ops@\(host) pid \(holder.pid)"), "\(result)")
        #expect(sentence.contains("upgrade since 2026-01-01T00:00:00.000Z"), "\(result)")
        #expect(sentence.contains("Nothing was changed"), "\(result)")
        #expect(try project.fullDump() == before, "a writer that timed out changed the database")

        // The holder dies without releasing: the next writer takes the lock over and says so.
        holder.killHard()
        result = try project.strata("upgrade", "--lock-timeout", "1")
        #expect(result.status == 0, "\(result)")
        let events = try project.events()
        let recovered = events.filter { $0.kind == "recovered" }
        try #require(recovered.count == 1, "\(events.map(\.kind))")
        let owner = recovered[0].detail("previous_owner") as? [String: Any]
        #expect(owner?["pid"] as? Int == Int(holder.pid))
        #expect(owner?["user"] as? String == "ops")
        #expect(owner?["host"] as? String == host)
        #expect((recovered[0].detail("reason") as? String ?? "").contains("pid \(holder.pid)) is gone"))
        // It was idle when the holder died, so no operation was interrupted.
        #expect(recovered[0].detail("interrupted") is NSNull)
        #expect(recovered[0].status == "idle")
        #expect(try project.versions() == ["dddd0004"])
        #expect(try project.applicationsSinceLastRevert() == Dictionary(uniqueKeysWithValues: Self.revisions.map { ($0, 1) }))
        #expect(try project.scalar("SELECT count(*) FROM strata_lock;") == "0")
        let verify = try project.strata("verify")
        #expect(verify.status == 0, "\(verify)")
    }
}
