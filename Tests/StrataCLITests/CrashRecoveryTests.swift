import Foundation
import Testing

/// SPEC §7: `kill -9` of a real writer process at several moments of a long upgrade. The next
/// boot finds every migration wholly applied or not at all, records a `recovered` event when the
/// dead writer held the lock, and leaves a log that verifies, with each revision applied once.
///
/// No assert depends on where a kill landed: each case observes the state the kill left and
/// checks the promise that holds for that state.
@Suite(.serialized) struct CrashRecoveryTests {
    /// Kill delays after the child starts. The upgrade's long part (a 600k-row insert, then an
    /// index over it) takes most of a second, so these land before the lock, inside each
    /// migration's transaction, between commits and after the end, depending on the machine.
    /// Serialized: cases running side by side would blur where the kills land.
    static let delays: [Double] = [0, 0.1, 0.2, 0.35, 0.5, 0.8]
    static let revisions = ["aaaa0001", "bbbb0002", "cccc0003", "dddd0004"]

    /// seed (pre-existing data) -> big (1M rows, slow) -> seed changed -> index on big (slow).
    static func crashProject(_ journal: String) throws -> Project {
        let project = try Project(journal: journal)
        project.script("aaaa0001", up: """
            CREATE TABLE seed (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
            INSERT INTO seed (name) VALUES ('alpha'), ('beta'), ('gamma ''quoted''');
            """, down: "DROP TABLE seed;")
        project.script("bbbb0002", revises: ["aaaa0001"], up: """
            CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT NOT NULL);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 600000)
            INSERT INTO big (id, v) SELECT i, 'x' || (i * 7919 % 1000003) FROM n;
            """, down: "DROP TABLE big;")
        project.script("cccc0003", revises: ["bbbb0002"], up: """
            UPDATE seed SET name = upper(name);
            INSERT INTO seed (name) VALUES ('delta');
            """, down: "DELETE FROM seed WHERE name = 'delta'; UPDATE seed SET name = lower(name);")
        project.script("dddd0004", revises: ["cccc0003"], up: "CREATE INDEX big_by_v ON big (v);",
                       down: "DROP INDEX big_by_v;")
        return project
    }

    /// The user-visible state, by the sqlite3 shell: seed's `.dump`, big summarised (a
    /// million-line dump would cost more than the test), the user schema and the version.
    static func fingerprint(_ project: Project) throws -> String {
        let tables = try project.scalar("SELECT group_concat(name) FROM sqlite_master WHERE name IN ('seed', 'big');")
        var text = try Run.sqlite3(project.database, """
            .dump seed
            SELECT type, name, sql FROM sqlite_master
            WHERE name NOT LIKE 'strata\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name;
            SELECT 'version', group_concat(version_num) FROM strata_version;
            """).stdout
        if tables.contains("big") {
            text += try project.scalar("SELECT count(*), sum(id), total(length(v)), max(v) FROM big;")
        }
        return text
    }

    /// What each revision leaves, from one uninterrupted run, upgraded step by step.
    static let reference: [String: String] = {
        do {
            let project = try crashProject("delete")
            var states: [String: String] = [:]
            for revision in revisions {
                let result = try project.strata("upgrade", revision)
                precondition(result.status == 0, "\(result)")
                states[revision] = try fingerprint(project)
            }
            return states
        } catch {
            fatalError("reference run failed: \(error)")
        }
    }()

    @Test(arguments: ["delete", "wal"], delays)
    func killNineDuringUpgrade(journal: String, delay: Double) throws {
        let project = try Self.crashProject(journal)
        var result = try project.strata("upgrade", "aaaa0001")
        try #require(result.status == 0, "\(result)")
        #expect(try Self.fingerprint(project) == Self.reference["aaaa0001"])

        let child = try project.spawnStrata("upgrade")
        Thread.sleep(forTimeInterval: delay)
        child.killHard()
        let killedPid = Int(child.pid)

        // What the kill left, before anyone recovers: a consistent revision, never half of one.
        #expect(try project.integrity() == "ok")
        let afterKill = try Self.fingerprint(project)
        let landedAt = Self.revisions.first { Self.reference[$0] == afterKill }
        #expect(landedAt != nil, "the killed run left a state between revisions:\n\(afterKill)")
        let lockRow = try project.scalar("SELECT pid || '|' || operation FROM strata_lock;")
        let eventsBefore = try project.events()
        if !lockRow.isEmpty {
            #expect(lockRow == "\(killedPid)|upgrade", "the lock names someone else: \(lockRow)")
        } else {
            // Without the lock nobody was mid-operation: the status is never left 'migrating'.
            #expect(eventsBefore.last.map { $0.status == "idle" } ?? true, "\(eventsBefore.last.map(\.kind) ?? "")")
        }

        // The next boot.
        result = try project.strata("upgrade")
        #expect(result.status == 0, "\(result)")
        let events = try project.events()
        let recovered = events.filter { $0.kind == "recovered" }
        if lockRow.isEmpty {
            #expect(recovered.isEmpty, "no lock was left, yet: \(recovered.map(\.detail))")
        } else {
            try #require(recovered.count == 1, "a dead writer's lock must be taken over once: \(events.map(\.kind))")
            let owner = recovered[0].detail("previous_owner") as? [String: Any]
            #expect(owner?["pid"] as? Int == killedPid)
            #expect(owner?["operation"] as? String == "upgrade")
            #expect((recovered[0].detail("reason") as? String ?? "").contains("pid \(killedPid)"))
            if let last = eventsBefore.last, last.status == "migrating" {
                // The detail names what was interrupted: the last event the dead writer logged.
                #expect(recovered[0].detail("interrupted") as? String == last.kind)
                #expect(recovered[0].detail("last_seq") as? Int == last.seq)
            }
            #expect(recovered[0].seq == (eventsBefore.last?.seq ?? 0) + 1, "recovery is the first thing the next writer logs")
        }

        #expect(try project.integrity() == "ok")
        #expect(try Self.fingerprint(project) == Self.reference["dddd0004"])
        #expect(try project.applicationsSinceLastRevert() == Dictionary(uniqueKeysWithValues: Self.revisions.map { ($0, 1) }))
        #expect(try project.scalar("SELECT count(*) FROM strata_lock;") == "0")
        #expect(events.last?.status == "idle")
        let verify = try project.strata("verify")
        #expect(verify.status == 0, "\(verify)")
        #expect(try project.scalar("PRAGMA journal_mode;") == journal)
        // The journal the dead writer kept between commits (PersistentJournal) is gone too.
        #expect(!FileManager.default.fileExists(atPath: project.database + "-journal"))
    }

    /// The same promise for a downgrade from the top to aaaa0001 (dropping the index, undoing
    /// seed's change, dropping the million-row table), killed at a few moments.
    @Test(arguments: ["delete", "wal"], [0.05, 0.3])
    func killNineDuringDowngrade(journal: String, delay: Double) throws {
        let project = try Self.crashProject(journal)
        var result = try project.strata("upgrade")
        try #require(result.status == 0, "\(result)")

        let child = try project.spawnStrata("downgrade", "aaaa0001")
        Thread.sleep(forTimeInterval: delay)
        child.killHard()
        let killedPid = Int(child.pid)

        #expect(try project.integrity() == "ok")
        let afterKill = try Self.fingerprint(project)
        let landedAt = Self.revisions.first { Self.reference[$0] == afterKill }
        #expect(landedAt != nil, "the killed run left a state between revisions:\n\(afterKill)")
        let lockRow = try project.scalar("SELECT pid || '|' || operation FROM strata_lock;")
        let lastBefore = try project.events().last

        result = try project.strata("downgrade", "aaaa0001")
        #expect(result.status == 0, "\(result)")
        let recovered = try project.events().filter { $0.kind == "recovered" }
        if lockRow.isEmpty {
            #expect(recovered.isEmpty)
            #expect(lastBefore?.status == "idle")
        } else {
            #expect(lockRow == "\(killedPid)|downgrade")
            try #require(recovered.count == 1)
            let owner = recovered[0].detail("previous_owner") as? [String: Any]
            #expect(owner?["pid"] as? Int == killedPid)
            #expect(owner?["operation"] as? String == "downgrade")
            if let lastBefore, lastBefore.status == "migrating" {
                #expect(recovered[0].detail("interrupted") as? String == lastBefore.kind)
            }
        }
        #expect(try project.integrity() == "ok")
        #expect(try Self.fingerprint(project) == Self.reference["aaaa0001"])
        // Every revision above aaaa0001 was reverted exactly as often as it was applied.
        #expect(try project.applicationsSinceLastRevert() == ["aaaa0001": 1])
        let verify = try project.strata("verify")
        #expect(verify.status == 0, "\(verify)")
    }
}
