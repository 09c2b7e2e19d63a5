import Testing
@testable import Strata

/// Hand-picked pairs of schemas for the cases rebuilds get wrong: views and triggers that name
/// the rebuilt table, child tables' foreign keys, self-references, DESC and partial indexes,
/// and type changes that convert the data.
@Suite struct RebuildTests {
    @Test func aTableReferencedByAViewIsRebuiltAndTheViewStillWorks() throws {
        let a = """
            CREATE TABLE packet (id INTEGER PRIMARY KEY, portnum TEXT, payload BLOB);
            CREATE VIEW recent_packets AS SELECT id, portnum FROM packet WHERE id > 1;
            CREATE VIEW recent_count AS SELECT count(*) AS n FROM recent_packets;
            """
        let b = """
            CREATE TABLE packet (id INTEGER PRIMARY KEY, portnum INTEGER NOT NULL DEFAULT 0, payload BLOB);
            CREATE VIEW recent_packets AS SELECT id, portnum FROM packet WHERE id > 1;
            CREATE VIEW recent_count AS SELECT count(*) AS n FROM recent_packets;
            """
        let migration = try AutogenerateHarness.roundTrip(a, b, rows: "INSERT INTO packet VALUES (1, '3', x'00'), (2, '4', NULL), (3, NULL, NULL);")
        #expect(migration.upgrade.sql.contains("DROP VIEW \"recent_packets\""))
        #expect(migration.upgrade.sql.contains("DROP VIEW \"recent_count\""), "a view on the view goes too")
        #expect(migration.upgrade.sql.contains("\"strata_new_packet\""))
    }

    @Test func childTablesKeepTheirRowsAndForeignKeysWhenTheParentIsRebuilt() throws {
        let parent = "CREATE TABLE packet (id INTEGER PRIMARY KEY, channel VARCHAR, rx_snr TEXT);"
        let children = """
            CREATE TABLE packet_seen (packet_id BIGINT NOT NULL REFERENCES packet (id) ON DELETE CASCADE, node_id BIGINT NOT NULL, PRIMARY KEY (packet_id, node_id));
            CREATE TABLE traceroute (id INTEGER PRIMARY KEY, packet_id BIGINT REFERENCES packet (id));
            CREATE INDEX idx_seen_node ON packet_seen (node_id DESC);
            """
        let rows = """
            INSERT INTO packet VALUES (1, 'a', '1.5'), (2, 'b', '2');
            INSERT INTO packet_seen VALUES (1, 10), (1, 11), (2, 12);
            INSERT INTO traceroute VALUES (1, 1), (2, 2);
            """
        let b = "CREATE TABLE packet (id INTEGER PRIMARY KEY, channel VARCHAR NOT NULL DEFAULT 'x', rx_snr REAL);"
        let database = try AutogenerateHarness.database(parent + children, rows: rows)
        let migration = GeneratedMigration(from: try DatabaseSchema(connection: database),
                                           to: try .load(sql: b + children, origin: "B"), data: database)
        #expect(!migration.upgrade.sql.contains("RENAME TO \"packet_old"), "never the rename-first variant")
        try AutogenerateHarness.apply(migration.upgrade.sql, to: database)
        #expect(try AutogenerateHarness.count(database, "packet_seen") == 3, "no cascade-delete")
        #expect(try AutogenerateHarness.count(database, "traceroute") == 2)
        let parents = try database.query("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list('packet_seen')") { $0.string(0) }
        #expect(parents == ["packet"], "the child still references packet, not a temporary copy")
        #expect(try database.scalar("SELECT typeof(rx_snr) FROM packet WHERE id = 1") == .text("real"))
        // Foreign keys are on again and enforced against the rebuilt parent.
        #expect(database.foreignKeysEnabled)
        #expect(throws: (any Error).self) { try database.execute("INSERT INTO traceroute VALUES (3, 99)") }
        try database.execute("DELETE FROM traceroute WHERE id = 2; DELETE FROM packet WHERE id = 2")
        #expect(try AutogenerateHarness.count(database, "packet_seen") == 2, "ON DELETE CASCADE still works")
        try AutogenerateHarness.roundTrip(parent + children, b + children, rows: rows)
    }

    @Test func aSelfReferencingForeignKeySurvivesTheRebuild() throws {
        let a = "CREATE TABLE node (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES node (id), name TEXT);"
        let b = "CREATE TABLE node (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES node (id) ON DELETE SET NULL, name TEXT COLLATE NOCASE);"
        let rows = "INSERT INTO node VALUES (1, NULL, 'root'), (2, 1, 'child'), (3, 2, 'grandchild');"
        try AutogenerateHarness.roundTrip(a, b, rows: rows)
        let database = try AutogenerateHarness.database(a, rows: rows)
        let migration = GeneratedMigration(from: try DatabaseSchema(connection: database), to: try .load(sql: b, origin: "B"))
        try AutogenerateHarness.apply(migration.upgrade.sql, to: database)
        #expect(try database.query("SELECT \"table\", on_delete FROM pragma_foreign_key_list('node')") { "\($0.string(0)) \($0.string(1))" } == ["node SET NULL"])
        try database.execute("DELETE FROM node WHERE id = 1")
        #expect(try database.scalar("SELECT parent_id FROM node WHERE id = 2") == .null)
    }

    @Test func descAndPartialIndexesAreComparedAndRecreated() throws {
        let a = """
            CREATE TABLE packet (id INTEGER PRIMARY KEY, from_node_id BIGINT, import_time_us BIGINT);
            CREATE INDEX idx_packet_import_time_us ON packet (import_time_us);
            CREATE INDEX idx_packet_from ON packet (from_node_id) WHERE from_node_id IS NOT NULL;
            """
        let b = """
            CREATE TABLE packet (id INTEGER PRIMARY KEY, from_node_id BIGINT, import_time_us BIGINT);
            CREATE INDEX idx_packet_import_time_us ON packet (import_time_us DESC);
            CREATE INDEX idx_packet_from ON packet (from_node_id, import_time_us DESC) WHERE from_node_id > 0;
            CREATE UNIQUE INDEX idx_packet_expr ON packet (lower(from_node_id), import_time_us) WHERE import_time_us IS NOT NULL;
            """
        let migration = try AutogenerateHarness.roundTrip(a, b, rows: "INSERT INTO packet VALUES (1, 5, 100), (2, NULL, 200);")
        let kinds = migration.upgrade.diff.changes.map { change -> String in
            switch change {
            case .changeIndex(_, let new): "change \(new.name)"
            case .addIndex(let new): "add \(new.name)"
            default: "other"
            }
        }
        #expect(kinds.sorted() == ["add idx_packet_expr", "change idx_packet_from", "change idx_packet_import_time_us"])
        #expect(!migration.upgrade.sql.contains("strata_new_"), "index changes need no rebuild")
        // Spelling does not count: the same index written differently is no change.
        let respelled = try DatabaseSchema.load(sql: """
            CREATE TABLE "PACKET" ("ID" integer primary key, from_node_id bigint, import_time_us BIGINT);
            create index IDX_PACKET_IMPORT_TIME_US on packet ("import_time_us"   desc);
            CREATE INDEX idx_packet_from ON packet (from_node_id, import_time_us DESC) WHERE (from_node_id>0) = (1);
            CREATE UNIQUE INDEX idx_packet_expr ON packet (LOWER( from_node_id ), import_time_us ASC) WHERE import_time_us IS NOT NULL;
            """, origin: "respelled")
        let changes = SchemaDiff(from: try .load(sql: b, origin: "B"), to: respelled).descriptions
        #expect(changes == ["Index \"idx_packet_from\" differs: it is on packet (from_node_id, import_time_us DESC) WHERE from_node_id > 0, the desired schema has on PACKET (from_node_id, import_time_us DESC) WHERE ( from_node_id > 0 ) = ( 1 )."])
    }

    @Test func aTypeChangeConvertsTheData() throws {
        let a = "CREATE TABLE reading (id INTEGER PRIMARY KEY, value TEXT, at TEXT, label INTEGER);"
        let b = "CREATE TABLE reading (id INTEGER PRIMARY KEY, value INTEGER, at REAL, label TEXT) STRICT;"
        let database = try AutogenerateHarness.database(a, rows: "INSERT INTO reading VALUES (1, '42', '1.5', 7), (2, 'n/a', '2', NULL);")
        let migration = GeneratedMigration(from: try DatabaseSchema(connection: database), to: try .load(sql: b, origin: "B"), data: database)
        #expect(migration.upgrade.sql.contains("CAST(\"value\" AS INTEGER)"))
        try AutogenerateHarness.apply(migration.upgrade.sql, to: database)
        let rows = try database.query("SELECT value, typeof(value), at, typeof(at), label, typeof(label) FROM reading ORDER BY id") { row in
            (0..<6).map { row.value($0) }
        }
        #expect(rows[0] == [.integer(42), "integer", .real(1.5), "real", "7", "text"])
        #expect(rows[1] == [.integer(0), "integer", .real(2), "real", .null, "null"], "CAST turns non-numbers into 0: the lint says so")
        let narrowing = migration.upgrade.warnings.filter { $0.kind == .typeNarrowing }.map(\.column)
        #expect(narrowing == ["value", "at"])
        #expect(migration.upgrade.warnings.contains { $0.message.contains("(2 non-NULL values)") })
    }

    /// A rebuild keeps the AUTOINCREMENT counter: ids of rows deleted before are not reused.
    @Test func aRebuildKeepsTheAutoincrementCounter() throws {
        let a = "CREATE TABLE o (id INTEGER PRIMARY KEY AUTOINCREMENT, item TEXT);"
        let b = "CREATE TABLE o (id INTEGER PRIMARY KEY AUTOINCREMENT, item TEXT NOT NULL DEFAULT '');"
        let database = try AutogenerateHarness.database(a, rows: "INSERT INTO o (item) VALUES ('a'), ('b'), ('c'), ('d'); DELETE FROM o WHERE id > 2;")
        let migration = GeneratedMigration(from: try DatabaseSchema(connection: database), to: try .load(sql: b, origin: "B"), data: database)
        #expect(migration.upgrade.sql.contains("ALTER TABLE \"strata_new_o\" RENAME TO \"o\""), "\(migration.upgrade.sql)")
        try AutogenerateHarness.apply(migration.upgrade.sql, to: database)
        #expect(try database.query("SELECT name, seq FROM sqlite_sequence") { [$0.value(0), $0.value(1)] } == [["o", .integer(4)]])
        try database.execute("INSERT INTO o (item) VALUES ('e')")
        #expect(try database.scalar("SELECT max(id) FROM o") == .integer(5))
    }

    /// A table without an INTEGER PRIMARY KEY keeps its rowids through a rebuild (other
    /// tables may hold them); with such a key, the key column carries them.
    @Test func aRebuildKeepsRowids() throws {
        let a = "CREATE TABLE tag (name TEXT, weight INTEGER);"
        let b = "CREATE TABLE tag (name TEXT NOT NULL DEFAULT '', weight REAL);"
        let database = try AutogenerateHarness.database(a, rows: "INSERT INTO tag (rowid, name, weight) VALUES (3, 'x', 1), (10, 'y', 2), (11, NULL, 3);")
        let migration = GeneratedMigration(from: try DatabaseSchema(connection: database), to: try .load(sql: b, origin: "B"), data: database)
        #expect(migration.upgrade.sql.contains("INSERT INTO \"strata_new_tag\" (rowid, "), "\(migration.upgrade.sql)")
        try AutogenerateHarness.apply(migration.upgrade.sql, to: database)
        #expect(try database.query("SELECT rowid, name FROM tag ORDER BY rowid") { [$0.value(0), $0.value(1)] }
                    == [[.integer(3), "x"], [.integer(10), "y"], [.integer(11), ""]])
    }

    /// INTEGER PRIMARY KEY DESC is no rowid alias (SQLite's quirk), and a column may be named
    /// rowid: the rowids are carried all the same.
    @Test(arguments: [
        ("CREATE TABLE tag (id INTEGER PRIMARY KEY DESC, name TEXT);", "CREATE TABLE tag (id INTEGER PRIMARY KEY DESC, name TEXT NOT NULL DEFAULT '');"),
        ("CREATE TABLE tag (rowid TEXT, name TEXT);", "CREATE TABLE tag (rowid TEXT, name TEXT NOT NULL DEFAULT '');"),
    ])
    func rowidsAreKeptWhateverTheKey(a: String, b: String) throws {
        let database = try AutogenerateHarness.database(a, rows: "INSERT INTO tag (_rowid_, name) VALUES (30, 'x'), (100, 'y');")
        let migration = GeneratedMigration(from: try DatabaseSchema(connection: database), to: try .load(sql: b, origin: "B"), data: database)
        try AutogenerateHarness.apply(migration.upgrade.sql, to: database)
        #expect(try database.query("SELECT _rowid_, name FROM tag ORDER BY _rowid_") { [$0.value(0), $0.value(1)] }
                    == [[.integer(30), "x"], [.integer(100), "y"]], "\(migration.upgrade.sql)")
    }

    @Test func triggersOnTheTableAndOnOthersThatNameItComeBack() throws {
        let common = """
            CREATE TABLE log (id INTEGER PRIMARY KEY, what TEXT);
            CREATE TRIGGER trg_log_packet AFTER INSERT ON log BEGIN UPDATE packet SET n = n + 1 WHERE id = 1; END;
            CREATE INDEX idx_log_what ON log (what);
            """
        let a = "CREATE TABLE packet (id INTEGER PRIMARY KEY, n INTEGER DEFAULT 0);"
            + "CREATE TRIGGER trg_packet AFTER DELETE ON packet BEGIN INSERT INTO log (what) VALUES ('deleted; really'); END;" + common
        let b = "CREATE TABLE packet (id INTEGER PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0, extra TEXT);"
            + "CREATE TRIGGER trg_packet AFTER DELETE ON packet BEGIN INSERT INTO log (what) VALUES ('deleted; really'); END;" + common
        let migration = try AutogenerateHarness.roundTrip(a, b, rows: "INSERT INTO packet VALUES (1, 0), (2, NULL);")
        #expect(migration.upgrade.sql.contains("DROP TRIGGER \"trg_log_packet\""))
        #expect(!migration.upgrade.sql.contains("DROP INDEX \"idx_log_what\""), "an unrelated table's index is left alone")
    }

    @Test func simpleChangesUseAlterTableNotARebuild() throws {
        let a = """
            CREATE TABLE node (id VARCHAR NOT NULL PRIMARY KEY, node_id BIGINT UNIQUE, long_name VARCHAR, last_update DATETIME);
            CREATE INDEX idx_node_update ON node (last_update);
            """
        let b = """
            CREATE TABLE node (id VARCHAR NOT NULL PRIMARY KEY, node_id BIGINT UNIQUE, long_name VARCHAR,
                last_seen_us BIGINT, role VARCHAR NOT NULL DEFAULT 'client', owner_id VARCHAR REFERENCES node (id));
            """
        let migration = try AutogenerateHarness.roundTrip(a, b, rows: "INSERT INTO node VALUES ('!a', 1, 'A', '2025-01-01');")
        #expect(!migration.upgrade.sql.contains("strata_new_"), "\(migration.upgrade.sql)")
        #expect(migration.upgrade.sql.contains("ALTER TABLE \"node\" DROP COLUMN \"last_update\";"))
        #expect(migration.upgrade.sql.contains("ALTER TABLE \"node\" ADD COLUMN role VARCHAR NOT NULL DEFAULT 'client';"))
        #expect(migration.upgrade.sql.range(of: "DROP INDEX \"idx_node_update\"")!.lowerBound < migration.upgrade.sql.range(of: "DROP COLUMN")!.lowerBound)
        #expect(migration.upgrade.notes.count == 1, "a column went and others came: maybe a rename")
        #expect(migration.upgrade.warnings.map(\.kind) == [.dropColumn])
        #expect(migration.downgrade.warnings.map(\.kind) == [.dropColumn, .dropColumn, .dropColumn])
    }

    @Test func newTablesDroppedTablesAndGeneratedColumns() throws {
        let a = """
            CREATE TABLE old_stats (id INTEGER PRIMARY KEY, v INTEGER);
            CREATE TABLE shape (id INTEGER PRIMARY KEY, w REAL, h REAL, CHECK (w >= 0));
            """
        let b = """
            CREATE TABLE stats (id INTEGER PRIMARY KEY, v INTEGER);
            CREATE TABLE shape (id INTEGER PRIMARY KEY, w REAL, h REAL, area REAL GENERATED ALWAYS AS (w * h) STORED,
                                perimeter REAL AS (2 * (w + h)) VIRTUAL, CHECK (w >= 0 AND h >= 0));
            CREATE VIEW big_shapes AS SELECT id FROM shape WHERE area > 10;
            """
        let migration = try AutogenerateHarness.roundTrip(a, b, rows: "INSERT INTO old_stats VALUES (1, 2); INSERT INTO shape VALUES (1, 2, 3), (2, 5, 5);")
        #expect(migration.upgrade.warnings.map(\.kind).contains(.dropTable))
        #expect(migration.upgrade.warnings.contains { $0.message == "Drops table \"old_stats\" (1 rows)." })
        #expect(migration.upgrade.notes.contains { $0.contains("RENAME TO") })
        #expect(migration.downgrade.warnings.contains { $0.kind == .constraintDropped && $0.message.contains("CHECK") })
    }
}
