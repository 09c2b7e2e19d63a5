import Foundation
import Testing

/// `strata wait` and `strata log --follow` in their own processes while another process writes.
@Suite struct ReaderTests {
    /// Scripts a → b → c, where each migration does enough work that the reader sees the writer
    /// mid-upgrade (status migrating) rather than only the end.
    private func threeSlowScripts(_ project: Project, failingLast: Bool = false) {
        let work = "CREATE TABLE %@ AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 200000) SELECT x FROM n;"
        project.script("aaaa0001", up: String(format: work, "a"))
        project.script("bbbb0002", revises: ["aaaa0001"], up: String(format: work, "b"))
        project.script("cccc0003", revises: ["bbbb0002"],
                       up: failingLast ? "CREATE TABLE c (x);\nINSERT INTO nowhere VALUES (1);" : String(format: work, "c"))
    }

    private func report(_ result: ProcessResult) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
    }

    @Test(arguments: ["wal", "delete"])
    func aWaitingReaderReturnsAfterTheWritersFinalCommitAndNeverBefore(journal: String) throws {
        let project = try Project(journal: journal)
        threeSlowScripts(project)
        let reader = try project.spawnStrata("wait", "--timeout", "120", "--format", "json")
        let writer = try project.strata("upgrade")
        #expect(writer.status == 0, "\(writer)")
        let result = reader.wait()
        #expect(result.status == 0, "\(result)")
        // What the reader saw when it returned: the final heads, idle, and the log's last event
        // at least the writer's upgrade_completed (committed with the last migration).
        let seen = report(result)
        let completed = try project.events().last { $0.kind == "upgrade_completed" }
        #expect(seen["heads"] as? [String] == ["cccc0003"] && seen["status"] as? String == "idle")
        #expect((seen["last_seq"] as? Int).map { $0 >= completed?.seq ?? .max } == true, "\(result)")
        #expect(try project.versions() == ["cccc0003"])
    }

    @Test func aWriterThatFailsMakesTheWaitingReaderExit1NamingTheRevision() throws {
        let project = try Project(journal: "wal")
        threeSlowScripts(project, failingLast: true)
        let reader = try project.spawnStrata("wait", "--timeout", "120")
        let writer = try project.strata("upgrade")
        #expect(writer.status == 1, "\(writer)")
        let result = reader.wait()
        #expect(result.status == 1, "\(result)")
        #expect(result.firstErrorLine.contains("cccc0003") && result.firstErrorLine.contains("nowhere"), "\(result)")
        #expect(try project.versions() == ["bbbb0002"])
    }

    @Test func aReaderStartedBeforeTheFileExistsWaitsForIt() throws {
        let project = try Project()
        threeSlowScripts(project)
        let later = project.root + "/later.db"
        let reader = try Spawned(Run.strataBinary, ["wait", "--timeout", "120", "--database", later], in: project.root)
        let writer = try Run.strata(["upgrade", "--database", later], in: project.root)
        #expect(writer.status == 0, "\(writer)")
        let result = reader.wait()
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("cccc0003"))
    }

    @Test func aDatabaseAheadOfTheReaderFailsNamingTheNewerRevisionUnlessAllowed() throws {
        let project = try Project()
        threeSlowScripts(project)
        #expect(try project.strata("upgrade").status == 0)
        // The reader ships an older copy of the scripts: a and b only.
        let older = project.root + "/OlderMigrations"
        try FileManager.default.createDirectory(atPath: older, withIntermediateDirectories: true)
        for name in ["aaaa0001_test.sql", "bbbb0002_test.sql"] {
            try FileManager.default.copyItem(atPath: project.migrations + "/" + name, toPath: older + "/" + name)
        }
        let refused = try project.strata("wait", "--migrations", older, "--timeout", "60")
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.firstErrorLine.contains("ahead") && refused.firstErrorLine.contains("cccc0003"), "\(refused)")
        let allowed = try project.strata("wait", "--migrations", older, "--allow-ahead", "--timeout", "60")
        #expect(allowed.status == 0, "\(allowed)")
        // An explicit older head is ahead too.
        #expect(try project.strata("wait", "--head", "bbbb0002", "--timeout", "60").status == 1)
    }

    @Test func aDatabaseCarryingAnUnknownRevisionFailsNamingIt() throws {
        let project = try Project()
        threeSlowScripts(project)
        #expect(try project.strata("upgrade").status == 0)
        _ = try Run.sqlite3(project.database, "UPDATE strata_version SET version_num = 'zzzz9999';")
        let result = try project.strata("wait", "--timeout", "60")
        #expect(result.status == 1, "\(result)")
        #expect(result.firstErrorLine.contains("zzzz9999"), "\(result)")
    }

    @Test func aWaitThatRunsOutOfTimeExits2SayingWhereTheDatabaseIs() throws {
        let project = try Project()
        threeSlowScripts(project)
        #expect(try project.strata("upgrade", "aaaa0001").status == 0)
        let result = try project.strata("wait", "--timeout", "0.2")
        #expect(result.status == 2, "\(result)")
        #expect(result.firstErrorLine.contains("Timed out") && result.firstErrorLine.contains("aaaa0001"), "\(result)")
    }

    @Test func logListsFiltersAndPrintsTheSpecShape() throws {
        let project = try Project()
        threeSlowScripts(project)
        #expect(try project.strata("upgrade").status == 0)
        let table = try project.strata("log", "--kind", "migration_applied")
        #expect(table.status == 0, "\(table)")
        let rows = table.stdout.split(separator: "\n")
        #expect(rows.count == 4 && rows[0].hasPrefix("SEQ") && rows[3].contains("cccc0003"), "\(table)")
        let json = try project.strata("log", "--revision", "bbbb0002", "--limit", "1", "--format", "json")
        let events = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(events.count == 1, "\(json)")
        // SPEC §4's fields; others may be added.
        let keys = Set(events.first?.keys.map { $0 } ?? [])
        #expect(keys.isSuperset(of: ["seq", "at", "kind", "revision", "status", "heads", "detail"]), "\(keys)")
        #expect(events.first?["revision"] as? String == "bbbb0002" && events.first?["heads"] as? [String] == ["bbbb0002"])
        #expect(events.first?["detail"] is [String: Any])
    }

    @Test func logFollowPrintsEventsAppendedByAnotherProcess() throws {
        let project = try Project(journal: "wal")
        threeSlowScripts(project)
        let output = project.root + "/follow.jsonl"
        let follower = try Follower(["log", "--follow", "--format", "json", "--database", project.database],
                                    in: project.root, output: output)
        #expect(try project.strata("upgrade").status == 0)
        let lines = follower.lines(until: { $0.contains("\"upgrade_completed\"") })
        let kinds = lines.compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["kind"] as? String
        }
        #expect(kinds.first == "upgrade_started" && kinds.last == "upgrade_completed", "\(lines)")
        #expect(kinds.filter { $0 == "migration_applied" }.count == 3)
    }
}

/// A long-running `strata` whose stdout goes to a file the test reads while it runs.
private final class Follower {
    let process = Process()
    let output: String

    init(_ arguments: [String], in directory: String, output: String) throws {
        self.output = output
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        process.executableURL = URL(fileURLWithPath: Run.strataBinary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// The lines printed so far, once one satisfies `done` (or after a minute, for the failure
    /// message). Not a timing check: the limit only keeps a broken build from hanging the run.
    func lines(until done: (String) -> Bool) -> [String] {
        let giveUp = Date().addingTimeInterval(60)
        while true {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            let lines = text.split(separator: "\n").map(String.init)
            if lines.contains(where: done) || Date() > giveUp { return lines }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGINT)
            process.waitUntilExit()
        }
    }
}
