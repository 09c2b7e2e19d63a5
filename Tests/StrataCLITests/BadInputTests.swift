import Foundation
import Testing

/// Bad input gets one clear sentence (file, revision, statement, database state) on stderr's
/// first line, a non-zero exit, and changes nothing — judged by the sqlite3 shell's `.dump`.
@Suite struct BadInputTests {
    /// A project at revision aaaa1111 (table t1 with a row), and its dump.
    func appliedProject() throws -> (Project, String) {
        let project = try Project(journal: "wal")
        project.script("aaaa1111", up: "CREATE TABLE t1 (id INTEGER PRIMARY KEY); INSERT INTO t1 VALUES (1);",
                       down: "DROP TABLE t1;")
        let result = try project.strata("upgrade")
        #expect(result.status == 0, "\(result)")
        return (project, try project.dump())
    }

    func firstLine(_ result: ProcessResult) -> String {
        result.stderr.split(separator: "\n").first.map(String.init) ?? ""
    }

    /// Runs `upgrade` and checks: failed with `status`, the first stderr line has every
    /// fragment, and the database dump is unchanged.
    func expectRefused(_ project: Project, dump: String, _ arguments: [String] = ["upgrade"],
                       status: Int32 = 1, mentions fragments: [String]) throws {
        let result = try Run.strata(arguments + ["--database", project.database], in: project.root)
        #expect(result.status == status, "\(result)")
        let line = firstLine(result)
        for fragment in fragments {
            #expect(line.contains(fragment), "'\(fragment)' missing from: \(line)")
        }
        #expect(try project.dump() == dump)
    }

    @Test func malformedHeader() throws {
        let (project, dump) = try appliedProject()
        project.raw("bbbb2222_bad.sql", "-- revision: bbbb2222\n-- revises aaaa1111\n\n-- +upgrade\nCREATE TABLE t2 (x);\n")
        try expectRefused(project, dump: dump, mentions: ["bbbb2222_bad.sql", "line 2"])
    }

    @Test func unknownHeaderKey() throws {
        let (project, dump) = try appliedProject()
        project.raw("bbbb2222_bad.sql", "-- revision: bbbb2222\n-- revises: aaaa1111\n-- revison: x\n\n-- +upgrade\nCREATE TABLE t2 (x);\n")
        try expectRefused(project, dump: dump, mentions: ["bbbb2222_bad.sql", "line 3", "revison"])
    }

    @Test func missingUpgradeSection() throws {
        let (project, dump) = try appliedProject()
        project.raw("bbbb2222_bad.sql", "-- revision: bbbb2222\n-- revises: aaaa1111\n")
        try expectRefused(project, dump: dump, mentions: ["bbbb2222_bad.sql", "-- +upgrade"])
    }

    @Test func duplicateRevisionID() throws {
        let (project, dump) = try appliedProject()
        project.raw("zzzz_copy.sql", "-- revision: aaaa1111\n\n-- +upgrade\nCREATE TABLE t9 (x);\n")
        try expectRefused(project, dump: dump, mentions: ["aaaa1111", "zzzz_copy.sql", "aaaa1111_test.sql"])
    }

    @Test func missingParent() throws {
        let (project, dump) = try appliedProject()
        project.script("bbbb2222", revises: ["ffff9999"], up: "CREATE TABLE t2 (x);")
        try expectRefused(project, dump: dump, mentions: ["ffff9999", "bbbb2222_test.sql"])
    }

    @Test func cycle() throws {
        let (project, dump) = try appliedProject()
        project.script("bbbb2222", revises: ["cccc3333"], up: "")
        project.script("cccc3333", revises: ["bbbb2222"], up: "")
        try expectRefused(project, dump: dump, mentions: ["cycle", "bbbb2222", "cccc3333"])
    }

    @Test func unknownTarget() throws {
        let (project, dump) = try appliedProject()
        try expectRefused(project, dump: dump, ["upgrade", "zzzz9999"], status: 64, mentions: ["zzzz9999"])
    }

    @Test func ambiguousPrefix() throws {
        let (project, dump) = try appliedProject()
        project.script("bbbb2222", revises: ["aaaa1111"], up: "CREATE TABLE t2 (x);")
        project.script("bbbb2223", revises: ["aaaa1111"], up: "CREATE TABLE t3 (x);")
        try expectRefused(project, dump: dump, ["upgrade", "bbbb"], status: 64, mentions: ["bbbb2222", "bbbb2223"])
    }

    @Test func sqlSyntaxError() throws {
        let (project, dump) = try appliedProject()
        project.script("bbbb2222", revises: ["aaaa1111"], up: "CREATE TABLE t2 (x);\nCREAT TABLE t3 (y);")
        try expectRefused(project, dump: dump, mentions: [
            "Revision bbbb2222 failed", "syntax error", "statement 2 of 2", "bbbb2222_test.sql",
            "The database is still at aaaa1111",
        ])
    }

    /// Strata commits each migration with its events; a script's own COMMIT or ROLLBACK would
    /// commit or undo part of it apart from them (and once crashed the process).
    @Test(arguments: ["COMMIT", "ROLLBACK", "END TRANSACTION", "BEGIN"])
    func transactionStatementInATransactionalScript(statement: String) throws {
        let (project, dump) = try appliedProject()
        project.script("bbbb2222", revises: ["aaaa1111"],
                       up: "INSERT INTO t1 VALUES (2);\n\(statement);\nINSERT INTO t1 VALUES (3);")
        let named = statement == "END TRANSACTION" ? "COMMIT" : statement
        try expectRefused(project, dump: dump, mentions: [
            "Revision bbbb2222 failed", "\(named) cannot run inside the migration's transaction", "'transaction: false'",
            "statement 2 of 3", "bbbb2222_test.sql", "The database is still at aaaa1111",
        ])
        #expect(try project.strata("verify").status == 0)
    }

    /// Strata's own tables are read-only to migrations: changing them would leave Strata
    /// unable to work (or, for the chunks, without its backups).
    @Test(arguments: [
        "DROP TABLE strata_lock", "DELETE FROM strata_snapshot_chunks", "DROP TRIGGER strata_events_no_update",
        "ALTER TABLE strata_meta ADD COLUMN y", "INSERT INTO strata_version VALUES ('zzzz')",
        "UPDATE strata_scripts SET size = 0",
    ])
    func aScriptThatChangesStrataTables(statement: String) throws {
        let (project, dump) = try appliedProject()
        project.script("bbbb2222", revises: ["aaaa1111"], up: "SELECT count(*) FROM strata_events;\n\(statement);")
        try expectRefused(project, dump: dump, mentions: [
            "Revision bbbb2222 failed", "would change Strata's own table", "statement 2 of 2", "The database is still at aaaa1111",
        ])
        let schema = "SELECT type, name, sql FROM sqlite_master ORDER BY name;"
        #expect(try Run.sqlite3(project.database, schema).stdout.contains("strata_events_no_update"))
        #expect(try project.strata("verify").status == 0)
        #expect(try project.strata("current").status == 0)
    }

    /// With `transaction: false` a script may group statements itself, but one that leaves its
    /// transaction open has what ran since its BEGIN rolled back; what ran before stays.
    @Test func transactionFalseScriptThatLeavesItsTransactionOpen() throws {
        let (project, _) = try appliedProject()
        project.script("bbbb2222", revises: ["aaaa1111"], transaction: false,
                       up: "INSERT INTO t1 VALUES (2);\nBEGIN;\nINSERT INTO t1 VALUES (3);")
        let result = try project.strata("upgrade")
        #expect(result.status == 1, "\(result)")
        let line = firstLine(result)
        for fragment in ["Revision bbbb2222 failed", "BEGIN without COMMIT", "rolled back what ran since that BEGIN",
                         "bbbb2222_test.sql", "statements before that BEGIN stay applied", "still at aaaa1111"] {
            #expect(line.contains(fragment), "'\(fragment)' missing from: \(line)")
        }
        #expect(try Run.sqlite3(project.database, "SELECT group_concat(id) FROM t1;").stdout == "1,2\n")
        #expect(try project.versions() == ["aaaa1111"])
        #expect(try project.strata("verify").status == 0)
    }

    /// Values at the edges of what the options hold: refused with a sentence, not a crash (a
    /// trap exits 132) and not silently read as something else (an empty target was `base`).
    @Test func outOfRangeValuesAreUsageErrors() throws {
        let (project, dump) = try appliedProject()
        try expectRefused(project, dump: dump, ["downgrade", ""], status: 64, mentions: ["The target is empty"])
        try expectRefused(project, dump: dump, ["stamp", ""], status: 64, mentions: ["The target is empty"])
        try expectRefused(project, dump: dump, ["downgrade", "-9223372036854775808"], status: 64, mentions: ["only 1 exist"])
        try expectRefused(project, dump: dump, ["log", "--since", "99999999w"], status: 64, mentions: ["outside the years 0001 to 9999"])
        try expectRefused(project, dump: dump, ["log", "--until", "0000-01-01"], status: 64, mentions: ["outside the years"])
        for timeout in ["inf", "nan", "-1", "1e300"] {
            let expected = timeout == "1e300" ? 0 : 64  // a huge wait is as good as forever
            let result = try Run.strata(["upgrade", "--lock-timeout=\(timeout)", "--database", project.database], in: project.root)
            #expect(result.status == Int32(expected), "\(timeout): \(result)")
            if expected == 64 { #expect(firstLine(result).contains("--lock-timeout must be a number of seconds"), "\(result)") }
        }
        #expect(try project.dump() == dump)
        for database in ["", ":memory:", "sqlite:///:memory:"] {
            let result = try Run.strata(["upgrade", "--database", database], in: project.root)
            #expect(result.status == 64, "\(database): \(result)")
            #expect(firstLine(result).contains(database.isEmpty ? "empty path" : "in-memory"), "\(result)")
        }
    }

    @Test func databaseFileThatIsNotSQLite() throws {
        let project = try Project()
        project.script("aaaa1111", up: "CREATE TABLE t1 (x);")
        let junk = String(repeating: "this is not a database. ", count: 200)
        try junk.write(toFile: project.database, atomically: true, encoding: .utf8)
        let result = try project.strata("upgrade")
        #expect(result.status == 1, "\(result)")
        #expect(firstLine(result).contains("is not an SQLite database"))
        #expect(firstLine(result).contains(project.database))
        #expect(try String(contentsOfFile: project.database, encoding: .utf8) == junk)
    }

    @Test func readOnlyDatabaseFile() throws {
        let (project, dump) = try appliedProject()
        project.script("bbbb2222", revises: ["aaaa1111"], up: "CREATE TABLE t2 (x);")
        // Root ignores file modes, so the check runs as an unprivileged user when we are root.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: project.root)
        for file in [project.database, project.database + "-wal", project.database + "-shm"]
            where FileManager.default.fileExists(atPath: file) {
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: file)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: project.root)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: project.root) }
        let asUser = getuid() == 0 ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []
        let arguments = asUser + [Run.strataBinary, "upgrade", "--database", project.database]
        let result = try Run.process(arguments[0], Array(arguments.dropFirst()), in: project.root)
        #expect(result.status == 1, "\(result)")
        #expect(firstLine(result).contains("read-only") || firstLine(result).contains("readonly"), "\(result)")
        #expect(firstLine(result).contains(project.database))
        #expect(try project.dump() == dump)
    }

    @Test func missingMigrationsFolder() throws {
        let project = try Project()
        let result = try project.strata("upgrade", "--migrations", "NoSuchFolder")
        #expect(result.status == 1, "\(result)")
        #expect(firstLine(result).contains("NoSuchFolder"))
        #expect(firstLine(result).contains("does not exist"))
    }

    /// The database is at a revision no script defines (its file was removed, or this is
    /// another project's folder). (Editing strata_version by hand is a tampered projection
    /// instead: TamperTests.)
    @Test func unknownRevisionInTheDatabase() throws {
        let (project, _) = try appliedProject()
        let script = project.script("dead0000beef", revises: ["aaaa1111"], up: "CREATE TABLE t2 (x);")
        #expect(try project.strata("upgrade").status == 0)
        try FileManager.default.removeItem(atPath: script)
        try expectRefused(project, dump: try project.dump(), mentions: ["dead0000beef"])
    }

    @Test func usageErrorsExit64() throws {
        let project = try Project()
        let result = try project.strata("upgrade", "--no-such-flag")
        #expect(result.status == 64, "\(result)")
        let noDatabase = try Run.strata(["current"], in: project.root)
        #expect(noDatabase.status == 64, "\(noDatabase)")
        #expect(firstLine(noDatabase).contains("No database given"))
    }
}
