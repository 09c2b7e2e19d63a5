import Foundation
import Testing

/// SPEC §7 "a tampered log" and "edited applied scripts": tampering done with the sqlite3 shell
/// (as an operator could), judged through the real binary's exit codes and first stderr line.
@Suite struct TamperTests {
    /// One way to tamper with the log after a real upgrade of rev0001..rev0003. Seqs are looked
    /// up rather than hard-coded (other events, such as snapshots, may sit between the
    /// migrations): `{s2}` is rev0002's `migration_applied` seq, `{prev}` and `{next}` its
    /// neighbours, `{s3}` rev0003's, `{last}` the newest, `{script2}` rev0002's script address.
    struct Tamper: Sendable, CustomTestStringConvertible {
        var name: String
        var sql: String
        /// Found in the first stderr line, after the same substitutions as `sql`.
        var expected: String
        var testDescription: String { name }
    }

    static let tampers = [
        Tamper(name: "edited detail",
               sql: "UPDATE strata_events SET detail = replace(detail, '\"message\":\"m2\"', '\"message\":\"mX\"') WHERE seq = {s2};",
               expected: "Event {s2} (migration_applied) was altered"),
        Tamper(name: "deleted event", sql: "DELETE FROM strata_events WHERE seq = {s2};",
               expected: "Event seq {s2} is missing (the next stored is {next})"),
        Tamper(name: "reordered events", sql: """
            UPDATE strata_events SET seq = -1 WHERE seq = {s2};
            UPDATE strata_events SET seq = {s2} WHERE seq = {next};
            UPDATE strata_events SET seq = {next} WHERE seq = -1;
            """, expected: "Event {s2} does not follow event {prev}"),
        Tamper(name: "edited strata_version", sql: "UPDATE strata_version SET version_num = 'rev0002';",
               expected: "strata_version holds rev0002 but the log's newest event (seq {last}) says rev0003"),
        Tamper(name: "corrupted script blob", sql: """
            UPDATE strata_scripts SET content = substr(content, 1, 20) || x'00' || substr(content, 22)
            WHERE sha256 = '{script2}';
            """, expected: "Stored script {script2}"),
        Tamper(name: "swapped script blob", sql: """
            UPDATE strata_scripts SET (size, content) = (SELECT size, content FROM strata_scripts
                WHERE sha256 = (SELECT json_extract(detail, '$.script') FROM strata_events WHERE seq = {s3}))
            WHERE sha256 = '{script2}';
            """, expected: "Stored script {script2} does not match its SHA-256"),
        Tamper(name: "deleted script blob", sql: "DELETE FROM strata_scripts WHERE sha256 = '{script2}';",
               expected: "The log refers to script {script2}, which strata_scripts does not hold"),
    ]

    /// rev0001 -> rev0002 -> rev0003, each creating a table, upgraded by the real binary.
    static func upgradedProject(_ journal: String = "delete") throws -> Project {
        let project = try Project(journal: journal)
        var parent: [String] = []
        for n in 1...3 {
            project.script("rev000\(n)", revises: parent, up: "CREATE TABLE t\(n) (x);", down: "DROP TABLE t\(n);")
            parent = ["rev000\(n)"]
        }
        // Project.script writes "test <id>" messages; rev0002's is made distinctive for the edit.
        let path = project.migrations + "/rev0002_test.sql"
        try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "test rev0002", with: "m2")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let result = try project.strata("upgrade")
        try #require(result.status == 0, "\(result)")
        return project
    }

    /// The seq of `revision`'s `migration_applied` event, as SQL.
    static func appliedSeq(_ revision: String) -> String {
        "SELECT seq FROM strata_events WHERE kind = 'migration_applied' AND revision = '\(revision)'"
    }

    @Test(arguments: tampers)
    func tamperingMakesVerifyExit3NamingTheFirstProblem(tamper: Tamper) throws {
        let project = try Self.upgradedProject()
        var verify = try project.strata("verify")
        try #require(verify.status == 0, "\(verify)")
        let s2 = try Int(project.scalar(Self.appliedSeq("rev0002"))) ?? -1
        let values = [
            "{s2}": "\(s2)", "{prev}": "\(s2 - 1)", "{next}": "\(s2 + 1)",
            "{s3}": try project.scalar(Self.appliedSeq("rev0003")),
            "{last}": try project.scalar("SELECT max(seq) FROM strata_events;"),
            "{script2}": try project.scalar("SELECT json_extract(detail, '$.script') FROM strata_events WHERE seq = \(s2);"),
        ]
        func filled(_ text: String) -> String {
            values.reduce(text) { $0.replacingOccurrences(of: $1.key, with: $1.value) }
        }

        let edit = try Run.sqlite3(project.database, """
            DROP TRIGGER strata_events_no_update;
            DROP TRIGGER strata_events_no_delete;
            \(filled(tamper.sql))
            """, arguments: ["-bail"])
        try #require(edit.status == 0, "\(edit)")

        verify = try project.strata("verify")
        #expect(verify.status == 3, "\(verify)")
        let expected = filled(tamper.expected)
        #expect(verify.firstErrorLine.hasPrefix("strata: verify found"), "\(verify)")
        #expect(verify.firstErrorLine.contains(expected), "\(verify)")
    }

    /// A forger who edits an event and recomputes its hash (with the documented canonical
    /// form) still breaks the chain at the next event, which names the old hash.
    /// strata_version edited by hand: a writer would plan from it and run applied migrations
    /// again; it refuses (exit 3) until `strata replay` rebuilds it from the log.
    @Test func anEditedVersionTableIsRefusedUntilReplayed() throws {
        let project = try Self.upgradedProject()
        project.script("rev0004", revises: ["rev0003"], up: "CREATE TABLE t4 (x);")
        _ = try Run.sqlite3(project.database, "UPDATE strata_version SET version_num = 'rev0001';")
        let dump = try project.dump()
        let refused = try project.strata("upgrade")
        #expect(refused.status == 3, "\(refused)")
        #expect(refused.stderr.contains("strata_version in") && refused.stderr.contains("holds rev0001 but the log's newest event")
                && refused.stderr.contains("'strata replay' rebuilds it"), "\(refused)")
        #expect(try project.dump() == dump)
        #expect(try project.strata("replay").status == 0)
        #expect(try project.strata("upgrade").status == 0)
        #expect(try project.versions() == ["rev0004"])
        #expect(try Run.sqlite3(project.database, "SELECT count(*) FROM strata_events WHERE kind = 'migration_applied' AND revision = 'rev0002';").stdout == "1\n")
    }

    /// The newest event altered: a writer refuses before planning (the whole chain is
    /// `verify`'s job; the newest event costs one hash).
    @Test func aWriterRefusesAnAlteredNewestEvent() throws {
        let project = try Self.upgradedProject()
        project.script("rev0004", revises: ["rev0003"], up: "CREATE TABLE t4 (x);")
        _ = try Run.sqlite3(project.database, """
            DROP TRIGGER strata_events_no_update;
            UPDATE strata_events SET actor = replace(actor, 'root', 'mallory') WHERE seq = (SELECT max(seq) FROM strata_events);
            """)
        let dump = try project.dump()
        let refused = try project.strata("upgrade")
        #expect(refused.status == 3, "\(refused)")
        #expect(refused.stderr.contains("The log's newest event in") && refused.stderr.contains("was altered"), "\(refused)")
        #expect(try project.dump() == dump)
    }

    @Test func aReHashedEditIsCaughtAtTheNextEvent() throws {
        let project = try Self.upgradedProject()
        let s2 = try Int(project.scalar(Self.appliedSeq("rev0002"))) ?? -1
        var forged = try #require(try project.events().first { $0.seq == s2 })
        forged.detail = forged.detail.replacingOccurrences(of: "\"message\":\"m2\"", with: "\"message\":\"mX\"")
        let hash = try GoldenEventLogTests.sha256(GoldenEventLogTests.canonicalForm(forged), in: project.root)
        let edit = try Run.sqlite3(project.database, """
            DROP TRIGGER strata_events_no_update;
            UPDATE strata_events SET detail = '\(forged.detail)', hash = '\(hash)' WHERE seq = \(s2);
            """, arguments: ["-bail"])
        try #require(edit.status == 0, "\(edit)")
        let verify = try project.strata("verify")
        #expect(verify.status == 3, "\(verify)")
        #expect(verify.firstErrorLine.contains("Event \(s2 + 1) does not follow event \(s2)"), "\(verify)")
    }

    @Test func theAppendOnlyTriggersRefuseUpdateAndDelete() throws {
        let project = try Self.upgradedProject()
        let before = try project.events()
        for sql in ["UPDATE strata_events SET detail = '{}' WHERE seq = 2;", "DELETE FROM strata_events WHERE seq = 5;"] {
            let result = try Run.sqlite3(project.database, sql)
            #expect(result.status != 0, "\(sql): \(result)")
            #expect(result.stderr.contains("strata_events is append-only"), "\(result)")
        }
        #expect(try project.events().map(\.hash) == before.map(\.hash))
        #expect(try project.strata("verify").status == 0)
    }

    @Test func anEditedAppliedScriptIsReportedRefusedAndAcceptedOnlyOnPurpose() throws {
        let project = try Self.upgradedProject("wal")
        project.script("rev0004", revises: ["rev0003"], up: "CREATE TABLE t4 (x);", down: "DROP TABLE t4;")
        let path = project.migrations + "/rev0002_test.sql"
        let recorded = try project.scalar("SELECT json_extract(detail, '$.checksum') FROM strata_events WHERE seq = (\(Self.appliedSeq("rev0002")));")
        try (String(contentsOfFile: path, encoding: .utf8) + "-- a note added after the fact\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let eventsBefore = try project.events().count
        let dumpBefore = try project.dump()

        let check = try project.strata("check")
        #expect(check.status == 1, "\(check)")
        #expect(check.stderr.contains("Revision rev0002 was edited after it ran (Migrations/rev0002_test.sql)"), "\(check)")

        let verify = try project.strata("verify")
        #expect(verify.status == 3, "\(verify)")
        #expect(verify.firstErrorLine.contains("Revision rev0002 was edited after it ran (Migrations/rev0002_test.sql)"), "\(verify)")

        var upgrade = try project.strata("upgrade")
        #expect(upgrade.status != 0, "\(upgrade)")
        #expect(upgrade.firstErrorLine.contains("rev0002 (Migrations/rev0002_test.sql)"), "\(upgrade)")
        #expect(upgrade.firstErrorLine.contains("nothing was run"), "\(upgrade)")
        #expect(try project.dump() == dumpBefore)
        #expect(try project.events().count == eventsBefore)

        upgrade = try project.strata("upgrade", "--accept-edited")
        #expect(upgrade.status == 0, "\(upgrade)")
        let accepted = try project.events().filter { $0.kind == "checksum_accepted" }
        try #require(accepted.count == 1)
        #expect(accepted[0].revision == "rev0002")
        #expect(accepted[0].detail("previous_checksum") as? String == recorded)
        // The file is in canonical form, so its checksum is its plain SHA-256.
        let sum = try Run.process("/usr/bin/env", ["sha256sum", path], in: project.root).stdout.prefix(64)
        #expect(accepted[0].detail("checksum") as? String == String(sum))
        #expect(try project.versions() == ["rev0004"])
        #expect(try project.strata("check").status == 0)
        let after = try project.strata("verify")
        #expect(after.status == 0, "\(after)")
    }

    @Test(arguments: ["delete", "wal"])
    func aFailingMigrationIsLoggedAndTheFixedScriptApplies(journal: String) throws {
        let project = try Project(journal: journal)
        project.script("rev0001", up: "CREATE TABLE t1 (x);", down: "DROP TABLE t1;")
        project.script("rev0002", revises: ["rev0001"], up: """
            CREATE TABLE t2 (x);
            INSERT INTO nowhere VALUES (1);
            """, down: "DROP TABLE t2;")

        var result = try project.strata("upgrade")
        #expect(result.status == 1, "\(result)")
        let failed = try #require(try project.events().last)
        #expect(failed.kind == "migration_failed")
        #expect(failed.revision == "rev0002")
        #expect(failed.status == "failed")
        #expect(failed.detail("statement") as? Int == 2)
        #expect((failed.detail("sql") as? String ?? "").contains("INSERT INTO nowhere"), "\(failed.detail)")
        #expect((failed.detail("sqlite_error") as? String ?? "").contains("no such table: nowhere"), "\(failed.detail)")
        #expect(failed.detail("file") as? String == "Migrations/rev0002_test.sql")
        #expect(try project.tables() == ["t1"])

        var current = try project.strata("current", "--format", "json")
        var json = try JSONSerialization.jsonObject(with: Data(current.stdout.utf8)) as? [String: Any]
        #expect(json?["status"] as? String == "failed", "\(current)")
        #expect(json?["heads"] as? [String] == ["rev0001"])
        #expect(try project.strata("check").status == 1)

        project.script("rev0002", revises: ["rev0001"], up: "CREATE TABLE t2 (x);\nINSERT INTO t2 VALUES (1);",
                       down: "DROP TABLE t2;")
        result = try project.strata("upgrade")
        #expect(result.status == 0, "\(result)")
        current = try project.strata("current", "--format", "json")
        json = try JSONSerialization.jsonObject(with: Data(current.stdout.utf8)) as? [String: Any]
        #expect(json?["status"] as? String == "idle", "\(current)")
        #expect(json?["heads"] as? [String] == ["rev0002"])
        let events = try project.events()
        #expect(!events.contains { $0.kind == "recovered" }, "a failure releases the lock; nothing to recover")
        #expect(try project.applicationsSinceLastRevert() == ["rev0001": 1, "rev0002": 1])
        let verify = try project.strata("verify")
        #expect(verify.status == 0, "\(verify)")
    }
}
