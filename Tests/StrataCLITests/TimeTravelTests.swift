import Foundation
import Testing

/// Looking back in time without touching the live database: `restore --into` and
/// `snapshots show`, judged by the sqlite3 shell (and Python's csv module for CSV).
@Suite struct TimeTravelTests {
    /// `packet` loses `import_time` in bbbb0002; `log` is never touched by a migration.
    func project(_ journal: String) throws -> Project {
        let project = try Project(journal: journal)
        project.script("aaaa0001", up: #"""
            CREATE TABLE packet (id INTEGER PRIMARY KEY, payload BLOB, import_time TEXT, "nöte; --" TEXT);
            CREATE INDEX idx_packet_time ON packet (import_time DESC);
            CREATE TABLE log (id INTEGER PRIMARY KEY, line TEXT);
            """#)
        project.script("bbbb0002", revises: ["aaaa0001"], up: """
            DROP INDEX idx_packet_time;
            ALTER TABLE packet DROP COLUMN import_time;
            """)
        #expect(try project.strata("upgrade", "aaaa0001").status == 0)
        let insert = try Run.sqlite3(project.database, #"""
            INSERT INTO packet VALUES (1, x'00ff', '2025-01-01 00:00:00', 'a''b, "c"' || char(10) || 'd'),
                                      (2, x'', '2025-01-02 00:00:00', NULL),
                                      (3, NULL, NULL, ''),
                                      (4, x'0000', '2025-01-03', char(0) || 'x');
            INSERT INTO log (line) VALUES ('boot');
            """#)
        #expect(insert.status == 0, "\(insert)")
        return project
    }

    func dump(_ database: String, _ table: String) throws -> String {
        try Run.sqlite3(database, ".dump '\(table)'").stdout
    }

    @Test(arguments: ["wal", "delete"])
    func restoreIntoASideFileWhileTheWriterKeepsWriting(journal: String) throws {
        let project = try project(journal)
        let packetBefore = try dump(project.database, "packet")
        #expect(try project.strata("upgrade").status == 0)
        let liveVersions = try project.versions()

        // A writer process inserting into the live database the whole time.
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        writer.arguments = ["python3", "-c", """
            import sqlite3, time
            db = sqlite3.connect(\(String(reflecting: project.database)), timeout=10, isolation_level=None)
            end = time.time() + 2.5
            n = 0
            while time.time() < end:
                db.execute("INSERT INTO log (line) VALUES (?)", ("tick %d" % n,))
                n += 1
                time.sleep(0.002)
            print(n)
            """]
        let out = Pipe()
        writer.standardOutput = out
        try writer.run()
        Thread.sleep(forTimeInterval: 0.3)
        let side = project.root + "/side.db"
        let result = try project.strata("restore", "aaaa0001", "--into", side)
        writer.waitUntilExit()
        let inserted = Int(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(result.status == 0, "\(result)")
        #expect(writer.terminationStatus == 0)

        // The live database kept every new row and its revision.
        #expect(try Run.sqlite3(project.database, "SELECT count(*) FROM log;").stdout == "\(inserted + 1)\n")
        #expect(try project.versions() == liveVersions)
        // The side file is at aaaa0001 with packet exactly as it was, and a prefix of the log.
        #expect(try dump(side, "packet") == packetBefore)
        #expect(try Run.sqlite3(side, "SELECT version_num FROM strata_version;").stdout == "aaaa0001\n")
        let sideLog = Int(try Run.sqlite3(side, "SELECT count(*) FROM log;").stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        #expect(sideLog >= 1 && sideLog <= inserted + 1)
        #expect(try Run.sqlite3(side, "PRAGMA integrity_check;").stdout == "ok\n")
        let current = try Run.strata(["current", "--database", side], in: project.root)
        #expect(current.stdout.hasPrefix("aaaa0001"), "\(current)")
    }

    @Test func theSideFileEqualsAnInPlaceRestore() throws {
        let project = try project("wal")
        #expect(try project.strata("upgrade").status == 0)
        let side = project.root + "/side.db"
        #expect(try project.strata("restore", "aaaa0001", "--into", side).status == 0)
        #expect(try project.strata("restore", "aaaa0001", "--yes").status == 0)
        #expect(try dump(side, "packet") == dump(project.database, "packet"))
        #expect(try dump(side, "log") == dump(project.database, "log"))
        // An existing file is refused, and left alone.
        let again = try project.strata("restore", "aaaa0001", "--into", side)
        #expect(again.status == 64, "\(again)")
        #expect(again.stderr.contains("already exists") && again.stderr.contains("--overwrite"))
        #expect(try project.strata("restore", "bbbb0002", "--into", side, "--overwrite").status != 0)  // not below
        #expect(FileManager.default.fileExists(atPath: side), "a refused target must not delete the file first")
    }

    /// `--into` the live file itself (by any spelling, or a link to it) would replace the
    /// database being read: refused before anything is touched.
    @Test func theLiveFileIsNeverTheSideFile() throws {
        let project = try project("delete")
        #expect(try project.strata("upgrade").status == 0)
        let before = try Run.sqlite3(project.database, ".dump").stdout
        let link = project.root + "/link.db"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: project.database)
        for into in [project.database, project.root + "/./" + (project.database as NSString).lastPathComponent, link] {
            let result = try project.strata("restore", "aaaa0001", "--into", into, "--overwrite")
            #expect(result.status == 64, "\(result)")
            #expect(result.stderr.contains("is the live database itself"), "\(result)")
            #expect(try Run.sqlite3(project.database, ".dump").stdout == before)
        }
        let empty = try project.strata("restore", "aaaa0001", "--into", "")
        #expect(empty.status == 64 && empty.stderr.contains("empty path"), "\(empty)")
    }

    /// The snapshot taken before bbbb0002 holds packet as it was.
    func snapshotID(_ project: Project) throws -> String {
        try Run.sqlite3(project.database, "SELECT id FROM strata_snapshots WHERE revision = 'bbbb0002';")
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func showAsSQLLoadsIntoTheShellAsTheRowsWere() throws {
        let project = try project("delete")
        let packetBefore = try dump(project.database, "packet")
        #expect(try project.strata("upgrade").status == 0)
        let shown = try project.strata("snapshots", "show", try snapshotID(project), "--table", "packet")
        #expect(shown.status == 0, "\(shown)")
        let loaded = project.root + "/loaded.db"
        let load = try Run.sqlite3(loaded, shown.stdout, arguments: ["-bail"])
        #expect(load.status == 0, "\(load)")
        // Loaded with explicit rowids and the same CREATE text: the same dump.
        #expect(try dump(loaded, "packet") == packetBefore)
    }

    /// Text that is not valid UTF-8 loads back byte for byte from the SQL output.
    @Test func showAsSQLKeepsTextThatIsNotUTF8() throws {
        let project = try Project(journal: "delete")
        project.script("aaaa0001", up: "CREATE TABLE s (b TEXT); INSERT INTO s VALUES (CAST(X'80FF41' AS TEXT)), ('ok');")
        project.script("bbbb0002", revises: ["aaaa0001"], up: "DELETE FROM s;")
        #expect(try project.strata("upgrade").status == 0)
        let id = try Run.sqlite3(project.database, "SELECT id FROM strata_snapshots WHERE revision = 'bbbb0002';")
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let shown = try project.strata("snapshots", "show", id)
        #expect(shown.stdout.contains("CAST(X'80ff41' AS TEXT)"), "\(shown)")
        let loaded = project.root + "/loaded.db"
        #expect(try Run.sqlite3(loaded, shown.stdout, arguments: ["-bail"]).status == 0)
        #expect(try Run.sqlite3(loaded, "SELECT hex(b), typeof(b) FROM s ORDER BY rowid;").stdout == "80FF41|text\n6F6B|text\n")
    }

    @Test func showAsCSVParsesBackToTheRows() throws {
        let project = try project("delete")
        #expect(try project.strata("upgrade").status == 0)
        let shown = try project.strata("snapshots", "show", try snapshotID(project), "--table", "packet", "--format", "csv")
        #expect(shown.status == 0, "\(shown)")
        let parsed = try Run.process("/usr/bin/env", ["python3", "-c", """
            import csv, io, sys, json
            rows = list(csv.reader(io.StringIO(sys.stdin.read(), newline='')))
            print(json.dumps(rows))
            """], in: project.root, stdin: shown.stdout)
        let rows = try JSONSerialization.jsonObject(with: Data(parsed.stdout.utf8)) as? [[String]]
        #expect(rows?.first == ["id", "payload", "import_time", "nöte; --"])
        #expect(rows?[1] == ["1", "00ff", "2025-01-01 00:00:00", "a'b, \"c\"\nd"])
        #expect(rows?[2] == ["2", "", "2025-01-02 00:00:00", ""])
        #expect(rows?.count == 5)
        #expect(shown.stdout.contains("\r\n"))
    }

    @Test func showAsJSONLinesWithLimit() throws {
        let project = try project("delete")
        #expect(try project.strata("upgrade").status == 0)
        let shown = try project.strata("snapshots", "show", try snapshotID(project), "--format", "json", "--limit", "2")
        #expect(shown.status == 0, "\(shown)")
        let lines = shown.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        #expect(first?["payload"] as? String == "00ff")
        #expect(first?["import_time"] as? String == "2025-01-01 00:00:00")
        #expect(first?["id"] as? Int == 1)
    }

    @Test func showRefusesWhatItCannotShow() throws {
        let project = try project("delete")
        #expect(try project.strata("upgrade").status == 0)
        var result = try project.strata("snapshots", "show", "999")
        #expect(result.status == 64 && result.stderr.contains("no snapshot 999"), "\(result)")
        result = try project.strata("snapshots", "show", try snapshotID(project), "--table", "nope")
        #expect(result.status == 64 && result.stderr.contains("packet"), "\(result)")
    }
}
