import Foundation
import Testing

/// Snapshots and restore, end to end: the built binary on real files, the sqlite3 shell as the
/// judge of "every byte came back".
@Suite struct SnapshotRestoreTests {
    static let modes = ["delete", "wal"]

    /// A MeshView-shaped app: a base schema, then a migration that rebuilds `packet` without
    /// `import_time` (SQLite's 12-step rebuild) and drops a column of `node`.
    func meshProject(_ journal: String) throws -> Project {
        let project = try Project(journal: journal)
        project.script("aaaa0001", up: """
            CREATE TABLE node (id TEXT PRIMARY KEY, node_id INTEGER UNIQUE, long_name TEXT, firmware TEXT);
            CREATE TABLE packet (id INTEGER PRIMARY KEY, from_node_id INTEGER, payload BLOB, import_time TEXT);
            CREATE INDEX idx_packet_import_time ON packet (import_time DESC);
            CREATE TABLE packet_seen (packet_id INTEGER REFERENCES packet (id), node_id INTEGER, rx_time INTEGER);
            CREATE VIEW recent AS SELECT id, import_time FROM packet ORDER BY import_time DESC LIMIT 10;
            CREATE TRIGGER packet_seen_guard BEFORE INSERT ON packet_seen
            BEGIN SELECT RAISE(ABORT, 'no; packet') WHERE NOT EXISTS (SELECT 1 FROM packet WHERE id = NEW.packet_id); END;
            """, down: "DROP VIEW recent; DROP TABLE packet_seen; DROP TABLE packet; DROP TABLE node;")
        project.script("bbbb0002", revises: ["aaaa0001"], up: """
            DROP VIEW recent;
            DROP INDEX idx_packet_import_time;
            DROP TRIGGER packet_seen_guard;
            CREATE TABLE packet_new (id INTEGER PRIMARY KEY, from_node_id INTEGER, payload BLOB, import_time_us INTEGER);
            INSERT INTO packet_new (id, from_node_id, payload, import_time_us)
                SELECT id, from_node_id, payload, CAST(strftime('%s', import_time) AS INTEGER) * 1000000 FROM packet;
            DROP TABLE packet;
            ALTER TABLE packet_new RENAME TO packet;
            CREATE INDEX idx_packet_import_time_us ON packet (import_time_us DESC);
            CREATE TRIGGER packet_seen_guard BEFORE INSERT ON packet_seen
            BEGIN SELECT RAISE(ABORT, 'no; packet') WHERE NOT EXISTS (SELECT 1 FROM packet WHERE id = NEW.packet_id); END;
            ALTER TABLE node DROP COLUMN firmware;
            CREATE TABLE traceroute (id INTEGER PRIMARY KEY, route BLOB);
            """, down: nil)
        var result = try project.strata("upgrade", "aaaa0001")
        #expect(result.status == 0, "\(result)")
        result = try Run.sqlite3(project.database, """
            INSERT INTO node VALUES ('!a', 1, 'Alpha; -- one', 'v2.1'), ('!b', 2, NULL, '');
            INSERT INTO packet VALUES (1, 1, x'00ff00', '2025-01-01 00:00:00'), (2, 2, x'', '2025-01-02 12:00:00'),
                                      (3, NULL, NULL, NULL);
            INSERT INTO packet_seen VALUES (1, 1, 100), (1, 2, 101), (2, 1, 102);
            """)
        #expect(result.status == 0, "\(result)")
        return project
    }

    @Test(arguments: modes)
    func restoreBringsBackEveryByteAndCanBeUndone(journal: String) throws {
        let project = try meshProject(journal)
        let before = try project.objectDump()
        var result = try project.strata("upgrade")
        #expect(result.status == 0, "\(result)")
        let upgraded = try project.objectDump()
        #expect(upgraded != before)
        #expect(!upgraded.contains("import_time TEXT"))

        // The migration has no down script: downgrade cannot undo it, restore can (by id, or
        // relative: -1 must not be taken for an option).
        result = try project.strata("restore", journal == "wal" ? "-1" : "aaaa0001", "--yes")
        #expect(result.status == 0, "\(result)")
        #expect(try project.objectDump() == before)
        #expect(try project.versions() == ["aaaa0001"])
        #expect(try Run.sqlite3(project.database, "PRAGMA integrity_check;").stdout == "ok\n")
        result = try project.strata("verify")
        #expect(result.status == 0, "\(result)")

        // Undo the restore with the snapshot it printed.
        let undo = try project.strata("restore", "--snapshot", try undoSnapshot(project), "--yes")
        #expect(undo.status == 0, "\(undo)")
        #expect(try project.objectDump() == upgraded)
        #expect(try project.versions() == ["bbbb0002"])
    }

    /// The undo snapshot the newest restore recorded.
    private func undoSnapshot(_ project: Project) throws -> String {
        try Run.sqlite3(project.database, """
            SELECT json_extract(detail, '$.undo_snapshot') FROM strata_events WHERE kind = 'restore_completed' ORDER BY seq DESC LIMIT 1;
            """).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func onlyTheTablesAMigrationTouchesAreDumped() throws {
        let project = try Project(journal: "wal")
        project.script("aaaa0001", up: """
            CREATE TABLE big (id INTEGER PRIMARY KEY, payload BLOB);
            CREATE TABLE small (id INTEGER PRIMARY KEY, name TEXT);
            """)
        project.script("bbbb0002", revises: ["aaaa0001"], up: "UPDATE small SET name = upper(name);")
        _ = try project.strata("upgrade", "aaaa0001")
        _ = try Run.sqlite3(project.database, """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000)
            INSERT INTO big SELECT i, randomblob(64) FROM n;
            INSERT INTO small VALUES (1, 'a'), (2, 'b');
            """)
        let result = try project.strata("upgrade")
        #expect(result.status == 0, "\(result)")
        let listing = try project.strata("snapshots", "--format", "json")
        let snapshots = try #require(try JSONSerialization.jsonObject(with: Data(listing.stdout.utf8)) as? [[String: Any]])
        let last = try #require(snapshots.last)
        #expect(last["revision"] as? String == "bbbb0002")
        #expect(last["tables"] as? [String] == ["small"])
        #expect(last["rows"] as? Int == 2)
        #expect(last["event_seq"] is Int)
        #expect((last["raw_bytes"] as? Int ?? 0) > 0 && last["stored_bytes"] is Int)
    }

    /// Table names beyond ASCII are listed whole, columns lined up by characters.
    @Test func theListingKeepsNamesWithEmojiWhole() throws {
        let project = try Project(journal: "delete")
        project.script("aaaa0001", up: "CREATE TABLE \"📦 packets\" (id INTEGER PRIMARY KEY); INSERT INTO \"📦 packets\" VALUES (1);")
        project.script("bbbb0002", revises: ["aaaa0001"], up: "UPDATE \"📦 packets\" SET id = 2;")
        #expect(try project.strata("upgrade").status == 0)
        let listing = try project.strata("snapshots")
        #expect(listing.status == 0, "\(listing)")
        #expect(listing.stdout.contains("📦 packets") && !listing.stdout.contains("\u{FFFD}"), "\(listing)")
        let negative = try project.strata("snapshots", "show", "2", "--limit=-1")
        #expect(negative.status == 64 && negative.stderr.contains("--limit must be 0 or more"), "\(negative)")
    }

    @Test func hostileIdentifiersAndValuesRoundTrip() throws {
        let project = try Project(journal: "delete")
        project.script("aaaa0001", up: #"""
            CREATE TABLE "we""ird; -- tåble" ("ünï cødé" BLOB, "semi;colon" REAL, "it's" INTEGER, plain TEXT, doomed TEXT);
            CREATE INDEX "idx ""q""" ON "we""ird; -- tåble" ("it's" DESC);
            """#)
        project.script("bbbb0002", revises: ["aaaa0001"], up: #"""
            DROP INDEX "idx ""q""";
            ALTER TABLE "we""ird; -- tåble" DROP COLUMN doomed;
            DELETE FROM "we""ird; -- tåble" WHERE "it's" < 0;
            """#)
        _ = try project.strata("upgrade", "aaaa0001")
        let insert = try Run.sqlite3(project.database, #"""
            INSERT INTO "we""ird; -- tåble" VALUES
              (x'00ff0000', -0.0, -9223372036854775808, 'a''b;c -- d', 'x'),
              (x'', 1e308, 9223372036854775807, '', NULL),
              (NULL, 4.9406564584124654e-324, 0, 'naïve — ✓ 🎉', '🙂'),
              (zeroblob(3), 2.2250738585072014e-308, -1, char(0) || 'nul', ''),
              (x'7f', 0.1, 42, NULL, 'y');
            """#)
        #expect(insert.status == 0, "\(insert)")
        let before = try project.objectDump()
        let exact = "SELECT hex(\"ünï cødé\"), typeof(\"ünï cødé\"), quote(\"semi;colon\"), \"it's\", hex(plain) FROM \"we\"\"ird; -- tåble\" ORDER BY rowid;"
        let valuesBefore = try Run.sqlite3(project.database, exact).stdout
        var result = try project.strata("upgrade")
        #expect(result.status == 0, "\(result)")
        result = try project.strata("restore", "aaaa0001", "--yes")
        #expect(result.status == 0, "\(result)")
        #expect(try project.objectDump() == before)
        #expect(try Run.sqlite3(project.database, exact).stdout == valuesBefore)
        // The empty blob stays a blob, not NULL. (-0.0's sign bit is checked in RowCodecTests:
        // SQL has no way to show it.)
        let kinds = try Run.sqlite3(project.database, "SELECT typeof(\"ünï cødé\") FROM \"we\"\"ird; -- tåble\" ORDER BY rowid;")
        #expect(kinds.stdout == "blob\nblob\nnull\nblob\nblob\n", "\(kinds)")
    }

    @Test func aCorruptChunkIsCaughtByVerifyAndRefusedByRestore() throws {
        let project = try meshProject("wal")
        var result = try project.strata("upgrade")
        #expect(result.status == 0, "\(result)")
        // Flip one byte in the middle of a stored chunk.
        result = try Run.sqlite3(project.database, """
            UPDATE strata_snapshot_chunks SET data = substr(data, 1, 3) || x'5a' || substr(data, 5)
            WHERE rowid = (SELECT max(rowid) FROM strata_snapshot_chunks WHERE name = 'packet');
            """)
        #expect(result.status == 0, "\(result)")
        let dump = try project.objectDump()
        result = try project.strata("verify")
        #expect(result.status == 3, "\(result)")
        #expect(result.stderr.contains("table 'packet'") && result.stderr.contains("snapshot"), "\(result)")
        result = try project.strata("restore", "aaaa0001", "--yes")
        #expect(result.status == 3, "\(result)")
        #expect(result.stderr.contains("corrupt"), "\(result)")
        #expect(try project.objectDump() == dump)
        #expect(try project.versions() == ["bbbb0002"])
    }

    @Test func restoreNeedsYesWithoutATerminal() throws {
        let project = try meshProject("delete")
        let upgrade = try project.strata("upgrade")
        #expect(upgrade.status == 0, "\(upgrade)")
        let dump = try project.objectDump()
        let result = try project.strata("restore", "aaaa0001")
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("--yes"))
        #expect(try project.objectDump() == dump)
    }

    @Test func aRevisionWithoutASnapshotCannotBeRestoredPast() throws {
        let project = try meshProject("delete")
        var result = try project.strata("upgrade", "--backup", "none")
        #expect(result.status == 0, "\(result)")
        let dump = try project.objectDump()
        result = try project.strata("restore", "aaaa0001", "--yes")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("bbbb0002") && result.stderr.contains("no snapshot"), "\(result)")
        #expect(try project.objectDump() == dump)
    }

    @Test(arguments: modes)
    func killDuringARestoreLeavesTheDatabaseConsistent(journal: String) throws {
        let project = try meshProject(journal)
        _ = try Run.sqlite3(project.database, """
            WITH RECURSIVE n(i) AS (SELECT 10 UNION ALL SELECT i + 1 FROM n WHERE i < 300000)
            INSERT INTO packet SELECT i, i % 97, randomblob(40), '2025-03-01 00:00:00' FROM n;
            """)
        let before = try project.objectDump()
        var result = try project.strata("upgrade")
        #expect(result.status == 0, "\(result)")
        let upgraded = try project.objectDump()
        for delay in [0.05, 0.3, 0.8] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Run.strataBinary)
            process.arguments = ["restore", "aaaa0001", "--yes", "--database", project.database]
            process.currentDirectoryURL = URL(fileURLWithPath: project.root)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(try Run.sqlite3(project.database, "PRAGMA integrity_check;").stdout == "ok\n")
            let now = try project.objectDump()
            // Either wholly restored (the kill came late) or untouched.
            #expect(now == upgraded || now == before, "delay \(delay)")
            if now == before { break }
        }
        // The next run finishes the job (or finds nothing left to do).
        let heads = try project.versions()
        if heads != ["aaaa0001"] {
            result = try project.strata("restore", "aaaa0001", "--yes")
            #expect(result.status == 0, "\(result)")
        }
        #expect(try project.objectDump() == before)
        result = try project.strata("verify")
        #expect(result.status == 0, "\(result)")
    }
}
