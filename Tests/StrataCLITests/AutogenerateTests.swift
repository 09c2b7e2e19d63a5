import Foundation
import Testing

/// `strata revision --autogenerate --schema FILE` and `strata check --schema FILE`, run as a
/// user would on the example app's scripts, with the real engine applying what was written and
/// the sqlite3 shell as the judge.
@Suite struct AutogenerateTests {
    static let exampleMigrations = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Migrations").path

    /// A project holding a copy of the example Migrations/.
    func meshView() throws -> Project {
        let project = try Project()
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.exampleMigrations) where name.hasSuffix(".sql") {
            try FileManager.default.copyItem(atPath: Self.exampleMigrations + "/" + name, toPath: project.migrations + "/" + name)
        }
        return project
    }

    /// The user's schema in the database as CREATE statements, Strata's tables left out.
    func schemaText(_ project: Project) throws -> String {
        try Run.sqlite3(project.database, """
            SELECT sql || ';' FROM sqlite_master WHERE sql IS NOT NULL AND tbl_name NOT LIKE 'strata\\_%' ESCAPE '\\' ORDER BY rowid;
            """).stdout
    }

    func strataWithoutDatabase(_ project: Project, _ arguments: String...) throws -> ProcessResult {
        try Run.strata(arguments, in: project.root)
    }

    @Test func meshViewDriftFailsCheckAndAutogenerateFixesIt() throws {
        let project = try meshView()
        var result = try project.strata("upgrade")
        #expect(result.status == 0, "\(result)")
        // What the models declare: the head schema, plus an index that was never created.
        let models = try schemaText(project) + "CREATE INDEX idx_packet_seen_packet_id ON packet_seen (packet_id);\n"
        project.raw("../schema.sql", models)
        // A table rebuild done by hand long ago lost the DESC of two indexes.
        result = try Run.sqlite3(project.database, """
            DROP INDEX idx_packet_import_time_us; CREATE INDEX idx_packet_import_time_us ON packet (import_time_us);
            DROP INDEX idx_traceroute_import_time_us; CREATE INDEX idx_traceroute_import_time_us ON traceroute (import_time_us);
            """)
        #expect(result.status == 0, "\(result)")

        result = try project.strata("check", "--schema", "schema.sql")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.hasPrefix("strata: check failed: The schema differs from 'schema.sql' in 3 way(s)"), "\(result)")
        #expect(result.stderr.contains("Index \"idx_packet_import_time_us\" differs: it is on packet (import_time_us), the desired schema has on packet (import_time_us DESC)."))
        #expect(result.stderr.contains("Index \"idx_traceroute_import_time_us\" differs"))
        #expect(result.stderr.contains("Index \"idx_packet_seen_packet_id\" on \"packet_seen\" is missing"))
        let json = try project.strata("check", "--schema", "schema.sql", "--format", "json")
        #expect(json.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((report["drift"] as? [String])?.count == 3)

        result = try project.strata("revision", "--autogenerate", "--schema", "schema.sql", "-m", "Restore DESC indexes")
        #expect(result.status == 0, "\(result)")
        let script = try String(contentsOfFile: project.root + "/" + result.stdout.trimmingCharacters(in: .whitespacesAndNewlines), encoding: .utf8)
        #expect(script.contains("-- revises: 6c1e8f3d5a70"))
        #expect(script.contains("DROP INDEX \"idx_packet_import_time_us\";\nDROP INDEX \"idx_traceroute_import_time_us\";"))
        #expect(script.contains("CREATE INDEX idx_packet_import_time_us ON packet (import_time_us DESC);"))
        #expect(!script.contains("strata_new_"), "index changes need no table rebuild")

        result = try project.strata("upgrade")
        #expect(result.status == 0, "\(result)")
        result = try project.strata("check", "--schema", "schema.sql")
        #expect(result.status == 0, "\(result)")
        result = try project.strata("downgrade", "-1")
        #expect(result.status == 0, "\(result)")
        #expect(try project.strata("check", "--schema", "schema.sql").status == 1)
    }

    @Test func withoutADatabaseTheScriptsAreReplayedAndARebuildRunsThroughTheEngine() throws {
        let project = try meshView()
        var result = try project.strata("upgrade")
        #expect(result.status == 0, "\(result)")
        // Data in the parent and its child tables, including a cascade that must not fire.
        result = try Run.sqlite3(project.database, """
            INSERT INTO packet (id, portnum, from_node_id, channel) VALUES (1, 1, 10, 'LongFast'), (2, 3, 11, NULL);
            INSERT INTO packet_seen (packet_id, node_id, rx_time, rx_snr) VALUES (1, 10, 100, 5.5), (1, 11, 101, 2), (2, 10, 102, NULL);
            INSERT INTO traceroute (id, packet_id) VALUES (1, 2);
            """)
        #expect(result.status == 0, "\(result)")
        // The model changes packet.channel to NOT NULL with a default and portnum's type:
        // ALTER TABLE cannot do either, so packet is rebuilt under its children.
        var models = try schemaText(project)
        models = models.replacingOccurrences(of: "portnum INTEGER,", with: "portnum TEXT,")
            .replacingOccurrences(of: "channel VARCHAR\n, import_time_us", with: "channel VARCHAR NOT NULL DEFAULT 'LongFast'\n, import_time_us")
        #expect(models.contains("channel VARCHAR NOT NULL DEFAULT 'LongFast'"), "\(models)")
        project.raw("../schema.sql", models)

        result = try strataWithoutDatabase(project, "revision", "--autogenerate", "--schema", "schema.sql", "-m", "Channel required")
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("warning: Adds NOT NULL to \"packet\".\"channel\": NULLs become the default 'LongFast'."), "\(result)")
        let script = try String(contentsOfFile: project.root + "/" + result.stdout.trimmingCharacters(in: .whitespacesAndNewlines), encoding: .utf8)
        #expect(script.contains("against the scripts' heads replayed in memory"))
        #expect(script.contains("ALTER TABLE \"strata_new_packet\" RENAME TO \"packet\";"))
        #expect(script.contains("CREATE TRIGGER trg_packet_touch_node"), "the trigger on packet comes back")

        result = try project.strata("upgrade")
        #expect(result.status == 0, "\(result)")
        let judge = try Run.sqlite3(project.database, """
            PRAGMA foreign_keys = ON;
            PRAGMA foreign_key_check;
            SELECT count(*) FROM packet_seen;
            SELECT id, portnum, typeof(portnum), channel FROM packet ORDER BY id;
            SELECT "table" FROM pragma_foreign_key_list('packet_seen');
            SELECT name FROM sqlite_master WHERE tbl_name = 'packet' AND type IN ('index', 'trigger') ORDER BY name;
            """)
        #expect(judge.stdout == """
            3
            1|1|text|LongFast
            2|3|text|LongFast
            packet
            idx_packet_from_node_time_us
            idx_packet_import_time_us
            sqlite_autoindex_packet_1
            trg_packet_touch_node

            """, "\(judge)")
        #expect(try project.strata("check", "--schema", "schema.sql").status == 0)
        result = try project.strata("downgrade", "-1")
        #expect(result.status == 0, "\(result)")
        #expect(try Run.sqlite3(project.database, "SELECT count(*) FROM packet_seen; SELECT typeof(portnum) FROM packet WHERE id = 1;").stdout == "3\ninteger\n")
    }

    @Test func refusals() throws {
        let project = try meshView()
        project.raw("../schema.sql", "CREATE TABLE x (id INTEGER PRIMARY KEY);")
        var result = try strataWithoutDatabase(project, "revision", "--autogenerate", "-m", "x")
        #expect(result.status == 64, "\(result)")
        // A database behind the scripts: the revision would be written against the wrong schema.
        result = try project.strata("upgrade", "1717fa5c6545")
        #expect(result.status == 0, "\(result)")
        let before = try FileManager.default.contentsOfDirectory(atPath: project.migrations).sorted()
        result = try project.strata("revision", "--autogenerate", "--schema", "schema.sql", "-m", "x")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("not at the scripts' heads"), "\(result)")
        #expect(result.stderr.contains("Nothing was written."))
        result = try strataWithoutDatabase(project, "revision", "--autogenerate", "--schema", "missing.sql", "-m", "x")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("Cannot read the schema file 'missing.sql'"), "\(result)")
        project.raw("../broken.sql", "CREATE TABLE (;")
        result = try strataWithoutDatabase(project, "revision", "--autogenerate", "--schema", "broken.sql", "-m", "x")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("does not load into SQLite"), "\(result)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: project.migrations).sorted() == before)
    }
}
