import Foundation
import Testing

/// End-to-end: the built `strata` binary against real files in both journal modes, with the
/// sqlite3 shell as the judge of the schema.
@Suite struct UpgradeDowngradeTests {
    static let modes = ["delete", "wal"]

    /// a1 -> b2 -> c3 -> d4, each creating a table.
    func linearProject(_ journal: String) throws -> Project {
        let project = try Project(journal: journal)
        var parent: [String] = []
        for (id, table) in [("aaaa1111", "t1"), ("bbbb2222", "t2"), ("cccc3333", "t3"), ("dddd4444", "t4")] {
            project.script(id, revises: parent, up: "CREATE TABLE \(table) (id INTEGER PRIMARY KEY);",
                           down: "DROP TABLE \(table);")
            parent = [id]
        }
        return project
    }

    @Test(arguments: modes)
    func linearChainUpDownRelativeAndPartialIds(journal: String) throws {
        let project = try linearProject(journal)
        var result = try project.strata("upgrade", "bbbb")
        #expect(result.status == 0, "\(result)")
        #expect(try project.tables() == ["t1", "t2"])
        #expect(try project.versions() == ["bbbb2222"])

        result = try project.strata("upgrade", "+1")
        #expect(result.status == 0, "\(result)")
        #expect(try project.versions() == ["cccc3333"])

        result = try project.strata("upgrade")
        #expect(result.status == 0, "\(result)")
        #expect(try project.tables() == ["t1", "t2", "t3", "t4"])
        #expect(result.stdout.contains("Upgraded to dddd4444"))

        result = try project.strata("upgrade")
        #expect(result.status == 0 && result.stdout.contains("Nothing to do"), "\(result)")

        result = try project.strata("downgrade", "-1")
        #expect(result.status == 0, "\(result)")
        #expect(try project.versions() == ["cccc3333"])

        // After `--`, which ends the options, as in `strata downgrade -- -1`.
        result = try Run.strata(["downgrade", "--database", project.database, "--", "-1"], in: project.root)
        #expect(result.status == 0, "\(result)")
        #expect(try project.tables() == ["t1", "t2"])
        #expect(try project.versions() == ["bbbb2222"])

        result = try project.strata("downgrade", "base")
        #expect(result.status == 0, "\(result)")
        #expect(try project.tables() == [])
        #expect(try project.versions() == [])
        #expect(try Run.sqlite3(project.database, "PRAGMA integrity_check;").stdout == "ok\n")
        #expect(try Run.sqlite3(project.database, "PRAGMA journal_mode;").stdout == "\(journal)\n")
    }

    @Test func currentReportsHeadsAsJSON() throws {
        let project = try linearProject("wal")
        _ = try project.strata("upgrade", "cccc3333")
        let result = try project.strata("current", "--format", "json")
        #expect(result.status == 0, "\(result)")
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(json?["heads"] as? [String] == ["cccc3333"])
        #expect(json?["status"] as? String == "idle")
    }

    @Test(arguments: modes)
    func branchesWithLabelsMergeAndDowngradeBelowTheMerge(journal: String) throws {
        let project = try Project(journal: journal)
        project.script("base0001", up: "CREATE TABLE root (id INTEGER PRIMARY KEY);", down: "DROP TABLE root;")
        project.script("left0001", revises: ["base0001"], labels: ["left"], up: "CREATE TABLE l1 (x);", down: "DROP TABLE l1;")
        project.script("left0002", revises: ["left0001"], up: "CREATE TABLE l2 (x);", down: "DROP TABLE l2;")
        project.script("rite0001", revises: ["base0001"], labels: ["right"], up: "CREATE TABLE r1 (x);", down: "DROP TABLE r1;")

        // `head` is refused while there are two heads, naming them; nothing changes.
        var result = try project.strata("upgrade", "head")
        #expect(result.status != 0)
        #expect(result.stderr.contains("left0002") && result.stderr.contains("rite0001"), "\(result)")
        #expect(try project.tables() == [])

        result = try project.strata("upgrade", "left@head")
        #expect(result.status == 0, "\(result)")
        #expect(try project.tables() == ["l1", "l2", "root"])
        #expect(try project.versions() == ["left0002"])

        result = try project.strata("upgrade", "heads")
        #expect(result.status == 0, "\(result)")
        #expect(try project.versions() == ["left0002", "rite0001"])

        // Merge the two heads with the CLI, then upgrade through the merge point.
        result = try project.strata("merge", "-m", "join branches", "--rev-id", "merge001")
        #expect(result.status == 0, "\(result)")
        result = try project.strata("upgrade")
        #expect(result.status == 0, "\(result)")
        #expect(try project.versions() == ["merge001"])

        // Down to a revision below the merge reverts only its descendants (the merge), as in
        // Alembic: the sibling branch stays.
        result = try project.strata("downgrade", "left0002")
        #expect(result.status == 0, "\(result)")
        #expect(try project.versions() == ["left0002", "rite0001"])

        // Reverting the right branch keeps the shared base the left branch still needs.
        result = try project.strata("downgrade", "right@base")
        #expect(result.status == 0, "\(result)")
        #expect(try project.versions() == ["left0002"])
        #expect(try project.tables() == ["l1", "l2", "root"])
    }

    @Test(arguments: modes)
    func aFailingScriptLeavesNoTrace(journal: String) throws {
        let project = try linearProject(journal)
        _ = try project.strata("upgrade", "bbbb2222")
        let before = try project.dump()
        project.script("eeee5555", revises: ["dddd4444"], up: """
            CREATE TABLE t5 (id INTEGER PRIMARY KEY);
            INSERT INTO t5 VALUES (1);
            INSERT INTO t5 (missing_column) VALUES (2);
            CREATE TABLE t6 (x);
            """)
        let result = try project.strata("upgrade")
        #expect(result.status == 1, "\(result)")
        // c3 and d4 were applied (each is its own transaction); e5 left nothing behind.
        #expect(try project.versions() == ["dddd4444"])
        #expect(try project.tables() == ["t1", "t2", "t3", "t4"])
        let firstLine = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(firstLine.contains("Revision eeee5555 failed"), "\(result)")
        #expect(firstLine.contains("missing_column"))
        #expect(firstLine.contains("statement 3 of 4"))
        #expect(firstLine.contains("eeee5555_test.sql"))
        #expect(firstLine.contains("The database is still at dddd4444"))
        _ = before
    }

    @Test(arguments: modes)
    func aForeignKeyViolationFailsTheMigration(journal: String) throws {
        let project = try Project(journal: journal)
        project.script("aaaa0001", up: """
            CREATE TABLE packet (id INTEGER PRIMARY KEY);
            CREATE TABLE packet_seen (packet_id INTEGER NOT NULL REFERENCES packet (id));
            """, down: "DROP TABLE packet_seen; DROP TABLE packet;")
        project.script("bbbb0002", revises: ["aaaa0001"], up: "INSERT INTO packet_seen VALUES (42);")
        let result = try project.strata("upgrade")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("foreign key violation"), "\(result)")
        #expect(result.stderr.contains("packet_seen") && result.stderr.contains("bbbb0002"))
        #expect(try project.versions() == ["aaaa0001"])
        #expect(try Run.sqlite3(project.database, "SELECT count(*) FROM packet_seen;").stdout == "0\n")
    }

    @Test func offlineSQLChangesNothingAndRunsInTheShell() throws {
        let project = try linearProject("wal")
        let before = try project.dump()
        let result = try project.strata("upgrade", "--sql")
        #expect(result.status == 0, "\(result)")
        #expect(try project.dump() == before)
        #expect(result.stdout.contains("CREATE TABLE t4"))
        // The printed script is valid: the sqlite3 shell can run it on a fresh file.
        let scratch = project.root + "/offline.db"
        let shell = try Run.sqlite3(scratch, result.stdout, arguments: ["-bail"])
        #expect(shell.status == 0, "\(shell)")
        #expect(try Run.sqlite3(scratch, "SELECT version_num FROM strata_version;").stdout == "dddd4444\n")
    }

    @Test func stampRunsNothing() throws {
        let project = try linearProject("delete")
        var result = try project.strata("stamp", "cccc3333")
        #expect(result.status == 0, "\(result)")
        #expect(try project.tables() == [])
        #expect(try project.versions() == ["cccc3333"])
        result = try project.strata("upgrade")
        #expect(result.status == 0, "\(result)")
        #expect(try project.tables() == ["t4"])
        result = try project.strata("stamp", "base")
        #expect(result.status == 0, "\(result)")
        #expect(try project.versions() == [])
    }

    @Test func checkSaysNoUntilTheDatabaseIsAtTheHeads() throws {
        let project = try linearProject("wal")
        _ = try project.strata("upgrade", "aaaa1111")
        var result = try project.strata("check")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("3 migration(s) pending"))
        _ = try project.strata("upgrade")
        result = try project.strata("check")
        #expect(result.status == 0, "\(result)")
    }

    @Test func transactionFalseScriptsRunStatementByStatement() throws {
        let project = try linearProject("delete")
        project.script("eeee5555", revises: ["dddd4444"], transaction: false, up: "VACUUM;", down: "")
        let result = try project.strata("upgrade")
        #expect(result.status == 0, "\(result)")
        #expect(try project.versions() == ["eeee5555"])
        // The replay behind `verify` runs it as it ran: not inside a transaction.
        let verify = try project.strata("verify")
        #expect(verify.status == 0, "\(verify)")
    }

    /// `verify` replays the logged scripts; one that attaches another file is not run again
    /// (a check must not write to the user's files): drift goes unchecked, and says so.
    @Test func verifyDoesNotReplayIntoAttachedFiles() throws {
        let project = try linearProject("delete")
        let side = project.root + "/side.db"
        project.script("eeee5555", revises: ["dddd4444"], up: """
            ATTACH '\(side)' AS side;
            CREATE TABLE side.audit (note TEXT);
            INSERT INTO side.audit VALUES ('ran');
            """, down: "")
        #expect(try project.strata("upgrade").status == 0)
        let verify = try project.strata("verify")
        #expect(verify.status == 0, "\(verify)")
        #expect(verify.stdout.contains("Schema drift was not checked") && verify.stdout.contains("attaches another database"), "\(verify)")
        #expect(try Run.sqlite3(side, "SELECT count(*) FROM audit;").stdout == "1\n")
        let replay = try project.strata("replay", "--into", project.root + "/replayed.db")
        #expect(replay.status == 1 && replay.stderr.contains("attaches another database"), "\(replay)")
    }
}
