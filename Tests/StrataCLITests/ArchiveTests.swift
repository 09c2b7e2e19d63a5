import Foundation
import Strata
import Testing

/// Retention and archive files, end to end: the built binary on real files, the sqlite3 shell
/// as the judge of what the database and the archive hold.
@Suite struct ArchiveTests {
    /// A base revision with data, then a migration that rebuilds a table and drops a column.
    func project() throws -> Project {
        let project = try Project(journal: "wal")
        project.script("aaaa0001", up: """
            CREATE TABLE node (id TEXT PRIMARY KEY, long_name TEXT, firmware TEXT);
            CREATE TABLE packet (id INTEGER PRIMARY KEY, payload BLOB, import_time TEXT);
            CREATE INDEX idx_packet_time ON packet (import_time);
            """)
        project.script("bbbb0002", revises: ["aaaa0001"], up: """
            ALTER TABLE node DROP COLUMN firmware;
            DROP INDEX idx_packet_time;
            ALTER TABLE packet DROP COLUMN import_time;
            """, down: nil)
        var result = try project.strata("upgrade", "aaaa0001")
        #expect(result.status == 0, "\(result)")
        result = try Run.sqlite3(project.database, """
            INSERT INTO node VALUES ('!a', 'Alpha; -- one', 'v2.1'), ('!b', NULL, '');
            INSERT INTO packet VALUES (1, x'00ff00', '2025-01-01 00:00:00'), (2, x'', NULL), (3, NULL, 'x');
            """)
        #expect(result.status == 0, "\(result)")
        return project
    }

    func eventCount(_ project: Project) throws -> Int { try project.events().count }

    @Test func exportInspectPruneImportRestore() throws {
        let project = try project()
        let before = try project.objectDump()
        var result = try project.strata("upgrade")
        #expect(result.status == 0, "\(result)")

        let archive = project.root + "/backup.strata-archive"
        result = try project.strata("archive", "export", "backup.strata-archive")
        #expect(result.status == 0, "\(result)")
        let mode = try FileManager.default.attributesOfItem(atPath: archive)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: project.root).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)

        // The event names the file and its hash.
        let exported = try #require(try project.events().last)
        #expect(exported.kind == "archive_exported")
        #expect(exported.detail("path") as? String == archive)
        let bytes = try #require(FileManager.default.contents(atPath: archive))
        #expect(exported.detail("sha256") as? String == SHA256Hex.of([UInt8](bytes)))

        // The sqlite3 shell reads it.
        let meta = try Run.sqlite3(archive, "SELECT key || '=' || value FROM archive_meta WHERE key IN ('format', 'format_version', 'source_database') ORDER BY key;")
        #expect(meta.stdout == "format=strata-archive\nformat_version=1\nsource_database=\(project.database)\n")
        #expect(try Run.sqlite3(archive, "SELECT count(*) FROM strata_events;").stdout == "\(exported.seq - 1)\n")

        result = try project.strata("archive", "inspect", "backup.strata-archive")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("strata-archive version 1"))
        #expect(result.stdout.contains("OK: hash chain of \(exported.seq - 1) event(s)"))

        // Prune everything: the events stay, the chunks go, restore refuses and says why.
        result = try project.strata("prune", "--keep", "-1")
        #expect(result.status == 64, "\(result)")
        result = try project.strata("prune", "--keep", "0")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("VACUUM"))
        #expect(try project.scalar("SELECT count(*) FROM strata_snapshot_chunks;") == "0")
        #expect(try project.scalar("SELECT count(*) FROM strata_snapshots WHERE pruned_at IS NULL;") == "0")
        let pruned = try #require(try project.events().last)
        #expect(pruned.kind == "snapshot_pruned")
        #expect(pruned.detail("snapshots") as? [Int] == [1, 2])
        result = try project.strata("verify")
        #expect(result.status == 0, "pruned snapshots are skipped, not errors: \(result)")

        let upgraded = try project.objectDump()
        result = try project.strata("restore", "aaaa0001", "--yes")
        #expect(result.status != 0, "\(result)")
        #expect(result.firstErrorLine.contains("was pruned"))
        #expect(result.firstErrorLine.contains("strata archive import"))
        #expect(try project.objectDump() == upgraded)

        result = try project.strata("archive", "import", "backup.strata-archive")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("Imported the data of 2 snapshot(s)"))
        #expect(try project.events().last?.kind == "archive_imported")
        #expect(try project.scalar("SELECT count(*) FROM strata_snapshots WHERE pruned_at IS NULL;") == "2")
        result = try project.strata("verify")
        #expect(result.status == 0, "\(result)")
        // A second import has nothing to do and writes nothing.
        let events = try eventCount(project)
        result = try project.strata("archive", "import", "backup.strata-archive")
        #expect(result.status == 0 && result.stdout.contains("Nothing to import"), "\(result)")
        #expect(try eventCount(project) == events)

        result = try project.strata("restore", "aaaa0001", "--yes")
        #expect(result.status == 0, "\(result)")
        #expect(try project.objectDump() == before)
        #expect(try project.versions() == ["aaaa0001"])
    }

    /// The live file stores most snapshot schemas as changes from the one before; the archive
    /// holds each whole, as archive format v1 always did.
    /// An export killed before it could discard its temporary file leaves it behind; the next
    /// export of that name removes it (its process is gone), not a live export's.
    @Test func anAbandonedTemporaryFileIsRemovedByTheNextExport() throws {
        let project = try project()
        #expect(try project.strata("upgrade").status == 0)
        let dead = project.root + "/.backup.strata-archive.tmp-999999-1"
        let live = project.root + "/.backup.strata-archive.tmp-\(getpid())-2"
        for file in [dead, dead + "-journal", live] { try "x".write(toFile: file, atomically: false, encoding: .utf8) }
        let result = try project.strata("archive", "export", "backup.strata-archive")
        #expect(result.status == 0, "\(result)")
        #expect(!FileManager.default.fileExists(atPath: dead) && !FileManager.default.fileExists(atPath: dead + "-journal"))
        #expect(FileManager.default.fileExists(atPath: live))
    }

    @Test func anArchiveHoldsEverySnapshotSchemaWhole() throws {
        let project = try project()
        project.script("cccc0003", revises: ["bbbb0002"], up: "CREATE TABLE channel (name TEXT);")
        var result = try project.strata("upgrade")
        #expect(result.status == 0, "\(result)")
        #expect(try Run.sqlite3(project.database, "SELECT group_concat(id) FROM strata_snapshots WHERE schema LIKE '{%';").stdout == "3\n")
        result = try project.strata("archive", "export", "backup.strata-archive")
        #expect(result.status == 0, "\(result)")

        let archive = project.root + "/backup.strata-archive"
        #expect(try Run.sqlite3(archive, "SELECT count(*) FROM strata_snapshots WHERE schema LIKE '{%';").stdout == "0\n")
        let catalog = SnapshotCatalog(connection: try Connection(path: project.database, mode: .readOnly))
        let live = try catalog.all().map(catalog.schemaJSON(of:))
        let archived = try Connection(path: archive, mode: .readOnly).query("SELECT schema FROM strata_snapshots ORDER BY id") { $0.string(0) }
        #expect(archived == live)
        #expect(live.count == 3 && live[2].contains("\"packet\"") && !live[2].contains("channel"))
        result = try project.strata("archive", "inspect", "backup.strata-archive")
        #expect(result.status == 0, "\(result)")
    }

    @Test func restoreFromArchiveImportsThenRestores() throws {
        let project = try project()
        let before = try project.objectDump()
        var result = try project.strata("upgrade")
        #expect(result.status == 0, "\(result)")
        result = try project.strata("archive", "export", "a.strata-archive", "--prune")
        #expect(result.status == 0, "\(result)")
        let kinds = try project.events().suffix(2).map(\.kind)
        #expect(kinds == ["archive_exported", "snapshot_pruned"])
        #expect(try project.events().last?.detail("archive") as? String == project.root + "/a.strata-archive")
        #expect(try project.scalar("SELECT count(*) FROM strata_snapshot_chunks;") == "0")

        result = try project.strata("restore", "--from-archive", "a.strata-archive", "aaaa0001", "--yes")
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("Imported the data of 2 snapshot(s)"))
        #expect(try project.objectDump() == before)
    }

    @Test func unsafePathsAreRefused() throws {
        let project = try project()
        let events = try eventCount(project)
        let existing = project.root + "/existing.strata-archive"
        try "keep me".write(toFile: existing, atomically: true, encoding: .utf8)
        var result = try project.strata("archive", "export", "existing.strata-archive")
        #expect(result.status == 64, "\(result)")
        #expect(result.firstErrorLine.contains("already exists"))
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep me")

        // A link to a file that does not exist yet: writing through it would create the target.
        let target = project.root + "/elsewhere"
        try FileManager.default.createSymbolicLink(atPath: project.root + "/link.strata-archive", withDestinationPath: target)
        result = try project.strata("archive", "export", "link.strata-archive")
        #expect(result.status == 64, "\(result)")
        #expect(result.firstErrorLine.contains("symbolic link"))
        #expect(!FileManager.default.fileExists(atPath: target))

        result = try project.strata("archive", "export", "missing/folder/a.strata-archive")
        #expect(result.status == 1, "\(result)")
        #expect(result.firstErrorLine.contains("does not exist"))

        // Refused before the writer lock was taken: the log did not move.
        #expect(try eventCount(project) == events)
        #expect(try project.scalar("SELECT count(*) FROM strata_lock;") == "0")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: project.root).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test func aFlippedByteInTheArchiveIsCaught() throws {
        let project = try project()
        var result = try project.strata("upgrade")
        #expect(result.status == 0, "\(result)")
        result = try project.strata("archive", "export", "a.strata-archive", "--prune")
        #expect(result.status == 0, "\(result)")
        let archive = project.root + "/a.strata-archive"
        do {
            let connection = try Connection(path: archive, mode: .readWrite)
            let (rowid, data) = try #require(try connection.query(
                "SELECT rowid, data FROM strata_snapshot_chunks ORDER BY length(data) DESC LIMIT 1") { ($0.int64(0), $0.blob(1)) }.first)
            var flipped = data
            flipped[flipped.count / 2] ^= 0x01
            try connection.execute("UPDATE strata_snapshot_chunks SET data = ? WHERE rowid = ?", [.blob(flipped), .integer(rowid)])
        }
        result = try project.strata("archive", "inspect", "a.strata-archive")
        #expect(result.status == 3, "\(result)")
        #expect(result.firstErrorLine.contains("CRC-32") || result.firstErrorLine.contains("does not decompress"))

        let events = try eventCount(project)
        result = try project.strata("archive", "import", "a.strata-archive")
        #expect(result.status == 3, "\(result)")
        #expect(result.firstErrorLine.contains("Nothing was imported"))
        #expect(try eventCount(project) == events)
        #expect(try project.scalar("SELECT count(*) FROM strata_snapshot_chunks;") == "0")
    }

    @Test func anArchiveOfAnotherDatabaseIsRefused() throws {
        // Same scripts, same data: only the logs differ (times, pids), which is the point.
        let mine = try project(), other = try project()
        for project in [mine, other] {
            let result = try project.strata("upgrade")
            #expect(result.status == 0, "\(result)")
        }
        var result = try other.strata("archive", "export", "other.strata-archive")
        #expect(result.status == 0, "\(result)")
        result = try mine.strata("prune", "--keep", "0")
        #expect(result.status == 0, "\(result)")
        let events = try eventCount(mine)
        result = try Run.strata(["archive", "import", other.root + "/other.strata-archive", "--database", mine.database], in: mine.root)
        #expect(result.status == 1, "\(result)")
        #expect(result.firstErrorLine.contains("comes from a different database"))
        #expect(try eventCount(mine) == events)
        #expect(try mine.scalar("SELECT count(*) FROM strata_snapshot_chunks;") == "0")
    }

    @Test func notAnArchive() throws {
        let project = try project()
        var result = try project.strata("archive", "inspect", project.database)
        #expect(result.status == 1, "\(result)")
        #expect(result.firstErrorLine.contains("not a Strata archive"))
        try "plain text".write(toFile: project.root + "/text", atomically: true, encoding: .utf8)
        result = try project.strata("archive", "inspect", "text")
        #expect(result.status == 1, "\(result)")
        #expect(result.firstErrorLine.contains("not a Strata archive"))
    }
}

/// Archive file v1, pinned forever by `archive/archive-v1/` (made once by its make.sh, see its
/// README): every later Strata must inspect it clean, import it into the database it came
/// from, and restore the rows it holds.
@Suite struct GoldenArchiveTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("archive/archive-v1").path
    static var archive: String { folder + "/sample.strata-archive" }

    @Test func theGoldenArchiveInspectsClean() throws {
        let result = try Run.strata(["archive", "inspect", Self.archive, "--format", "json"], in: NSTemporaryDirectory())
        #expect(result.status == 0, "\(result)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let info = try #require(json["info"] as? [String: Any])
        #expect(info["format"] as? String == "strata-archive")
        #expect(info["format_version"] as? Int == 1)
        #expect(info["events"] as? Int == 8)
        #expect(info["snapshots_with_data"] as? [Int] == [1, 2])
        #expect(json["chunks_checked"] as? Int == 2)
        #expect(json["problems"] as? [String] == [])

        // The sqlite3 shell reads it, as Docs/formats.md says.
        let meta = try Run.sqlite3(Self.archive, """
            SELECT group_concat(key || '=' || value, ' ') FROM archive_meta
            WHERE key IN ('format', 'format_version', 'first_event_seq', 'last_event_seq', 'event_count', 'snapshot_ids', 'snapshot_count', 'chunk_count');
            """, arguments: ["-readonly"])
        #expect(meta.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            == "chunk_count=2 event_count=8 first_event_seq=1 format=strata-archive format_version=1 last_event_seq=8 snapshot_count=2 snapshot_ids=[1,2]")
        let head = try Run.sqlite3(Self.archive, "SELECT (SELECT value FROM archive_meta WHERE key = 'head_hash') = (SELECT hash FROM strata_events ORDER BY seq DESC LIMIT 1);",
                                   arguments: ["-readonly"])
        #expect(head.stdout == "1\n")
    }

    @Test func theGoldenArchiveImportsAndRestores() throws {
        let project = try Project(journal: "delete")
        try FileManager.default.removeItem(atPath: project.database)
        try FileManager.default.copyItem(atPath: Self.folder + "/pruned.db", toPath: project.database)
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.folder + "/Migrations") {
            try FileManager.default.copyItem(atPath: Self.folder + "/Migrations/" + name, toPath: project.migrations + "/" + name)
        }
        var result = try project.strata("restore", "5e1a0c9d7b01", "--yes")
        #expect(result.status == 1 && result.firstErrorLine.contains("was pruned"), "\(result)")

        result = try project.strata("archive", "import", Self.archive)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("Imported the data of 2 snapshot(s) (1, 2)"))
        result = try project.strata("verify")
        #expect(result.status == 0, "\(result)")
        result = try project.strata("restore", "5e1a0c9d7b01", "--yes")
        #expect(result.status == 0, "\(result)")
        let expected = try String(contentsOfFile: Self.folder + "/restored.dump", encoding: .utf8)
        #expect(try project.objectDump() == expected)
        #expect(try project.scalar("SELECT sql FROM sqlite_master WHERE name = 'idx_packet_import_time';")
            == "CREATE INDEX idx_packet_import_time ON packet (import_time DESC)")
        #expect(try project.versions() == ["5e1a0c9d7b01"])
    }
}
