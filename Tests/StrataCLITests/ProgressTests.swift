import Foundation
import Testing

/// Long snapshots draw a progress bar on a terminal (a real pseudo-terminal from script(1))
/// and print nothing of the kind when stderr is not a terminal.
@Suite struct ProgressTests {
    func bigProject() throws -> Project {
        let project = try Project(journal: "wal")
        project.script("aaaa0001", up: "CREATE TABLE big (id INTEGER PRIMARY KEY, p BLOB);")
        project.script("bbbb0002", revises: ["aaaa0001"], up: "UPDATE big SET p = NULL WHERE id = 1;")
        _ = try project.strata("upgrade", "aaaa0001")
        _ = try Run.sqlite3(project.database, """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400000)
            INSERT INTO big SELECT i, randomblob(150) FROM n;
            """)
        return project
    }

    @Test func aTerminalGetsAProgressBar() throws {
        let project = try bigProject()
        let command = "\(Run.strataBinary) upgrade --database \(project.database)"
        let result = try Run.process("/usr/bin/script", ["-qec", command, "/dev/null"], in: project.root)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("snapshot big: 400000 rows"), "\(result)")
        #expect(result.stdout.contains("[####################]"))
        #expect(result.stdout.contains("/s"))
    }

    @Test func noTerminalNoProgressBar() throws {
        let project = try bigProject()
        let result = try project.strata("upgrade")
        #expect(result.status == 0, "\(result)")
        #expect(!result.stderr.contains("snapshot big"), "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
    }
}
