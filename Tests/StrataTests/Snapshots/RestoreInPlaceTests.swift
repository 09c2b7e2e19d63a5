import Foundation
import Testing
@testable import Strata

/// What the restore's faster paths must not change: the foreign-key count equals the
/// pragma's, tables set aside leave the schema text and statistics as a DROP would, and rows
/// inserted many per statement come back exactly.
@Suite struct RestoreInPlaceTests {
    // MARK: Foreign keys

    /// Parents and children covering what decides a foreign-key lookup: rowid parents,
    /// collations on either side, affinities that differ, composite and implicit keys, NULLs,
    /// a missing parent table, STRICT's ANY.
    static let foreignKeySchema = """
        CREATE TABLE pi (id INTEGER PRIMARY KEY);
        CREATE TABLE pt (k TEXT UNIQUE);
        CREATE TABLE pn (k TEXT COLLATE NOCASE UNIQUE);
        CREATE TABLE pc (a INTEGER, b TEXT, PRIMARY KEY (a, b));
        CREATE TABLE pb (k BLOB UNIQUE);
        CREATE TABLE pnum (k NUMERIC UNIQUE);
        CREATE TABLE pany (k ANY UNIQUE) STRICT;
        CREATE TABLE pbig (k BIGINT UNIQUE);
        CREATE TABLE c_rowid (x INTEGER REFERENCES pi (id));
        CREATE TABLE c_text (x TEXT REFERENCES pt (k));
        CREATE TABLE c_nocase_child (x TEXT COLLATE NOCASE REFERENCES pt (k));
        CREATE INDEX c_nocase_child_x ON c_nocase_child (x);
        CREATE TABLE c_nocase_parent (x TEXT REFERENCES pn (k));
        CREATE TABLE c_int_to_text (x INTEGER REFERENCES pt (k));
        CREATE TABLE c_text_to_rowid (x TEXT REFERENCES pi (id));
        CREATE TABLE c_composite (a INTEGER, b TEXT, FOREIGN KEY (a, b) REFERENCES pc);
        CREATE TABLE c_blob (x REFERENCES pb (k));
        CREATE TABLE c_numeric (x NUMERIC REFERENCES pnum (k));
        CREATE TABLE c_any (x ANY REFERENCES pany (k)) STRICT;
        CREATE TABLE c_missing (x INTEGER REFERENCES nowhere (id));
        CREATE TABLE c_two (x INTEGER REFERENCES pi (id), y TEXT REFERENCES pt (k));
        CREATE TABLE c_big (x BIGINT REFERENCES pbig (k));
        INSERT INTO pi VALUES (1), (2), (5);
        INSERT INTO pt VALUES ('a'), ('05'), ('b');
        INSERT INTO pn VALUES ('a');
        INSERT INTO pc VALUES (1, 'x'), (2, 'y');
        INSERT INTO pb VALUES (1), ('t'), (x'00');
        INSERT INTO pnum VALUES (1), ('t');
        INSERT INTO pany VALUES (1), ('1');
        INSERT INTO pbig VALUES (1), ('x'), (3);
        """

    /// Rows each child gets: some that find their parent, some that do not, some that only
    /// an inexact check (collation, affinity, distinct-merging) would think do.
    static let foreignKeyRows = """
        INSERT INTO c_rowid VALUES (1), (1), (2), (NULL), (3), (1.5), ('abc'), ('5'), (2.0);
        INSERT INTO c_text VALUES ('a'), ('A'), (NULL), ('05'), ('5'), ('b');
        INSERT INTO c_nocase_child VALUES ('a'), ('A'), ('b'), ('B');
        INSERT INTO c_nocase_parent VALUES ('a'), ('A'), ('c');
        INSERT INTO c_int_to_text VALUES (5), ('05'), ('a');
        INSERT INTO c_text_to_rowid VALUES ('1'), ('5'), ('x'), (2);
        INSERT INTO c_composite VALUES (1, 'x'), (1, 'y'), (NULL, 'x'), (2, NULL), (2, 'y'), ('1', 'x');
        INSERT INTO c_blob VALUES (1), (1.0), ('t'), ('T'), (x'00'), (x'0000'), ('1');
        INSERT INTO c_numeric VALUES (1), ('1'), ('1.0'), (1.0), ('t'), ('T');
        INSERT INTO c_any VALUES (1), ('1'), (1.0), (2);
        INSERT INTO c_missing VALUES (1), (NULL);
        INSERT INTO c_two VALUES (1, 'a'), (9, 'a'), (1, 'zz');
        INSERT INTO c_big VALUES (1), ('x'), (2), (3);
        """

    static let children = ["c_rowid", "c_text", "c_nocase_child", "c_nocase_parent", "c_int_to_text", "c_text_to_rowid",
                           "c_composite", "c_blob", "c_numeric", "c_any", "c_missing", "c_two", "c_big"]

    func pragmaViolations(_ connection: Connection, _ table: String) throws -> [Int64] {
        try connection.query("PRAGMA main.foreign_key_check(\(quoteIdentifier(table)))") { $0.int64(1) }
    }

    @Test func theForeignKeyCountIsThePragmasWithAndWithoutViolations() throws {
        let directory = TemporaryDirectory("fk")
        let connection = try Connection(path: directory.file("fk.db"))
        try connection.forEachStatement(in: Self.foreignKeySchema + Self.foreignKeyRows) { statement, _ in try statement.run() }
        for child in Self.children {
            let expected = try pragmaViolations(connection, child).count
            #expect(expected > 0, "\(child): the rows include a violation")
            let counted = try RestoredForeignKeys.violationCount(in: connection, tables: [child])
            #expect(counted == expected, "\(child)")
            #expect(try !RestoredForeignKeys.hasNoViolations(child, connection: connection), "\(child)")
        }
        // Without the violating rows, both say none; the proof alone says so where it judges.
        for child in Self.children {
            for rowid in try pragmaViolations(connection, child) {
                try connection.execute("DELETE FROM \(quoteIdentifier(child)) WHERE rowid = ?", [.integer(rowid)])
            }
            #expect(try RestoredForeignKeys.violationCount(in: connection, tables: [child]) == 0, "\(child)")
        }
        for child in ["c_rowid", "c_text", "c_nocase_child", "c_nocase_parent", "c_composite", "c_blob", "c_numeric", "c_two", "c_big"] {
            #expect(try RestoredForeignKeys.hasNoViolations(child, connection: connection), "\(child)")
        }
    }

    /// A restore that replaces or drops a parent counts, in the tables it did not rewrite, the
    /// rows whose parent row went: those the pragma flags after and did not flag before.
    /// Where the comparison of old and new keys cannot judge as the pragma would, the child is
    /// left to be counted whole.
    enum ParentAfter: String, CaseIterable, CustomTestStringConvertible {
        case allButTheFirstRow, everyRow, dropped
        var testDescription: String { rawValue }
    }

    @Test(arguments: ["pi", "pt", "pn", "pc", "pb", "pnum", "pany", "pbig"], ParentAfter.allCases)
    func rowsLeftWithoutAParentAreThoseWhoseParentRowWent(parent: String, after: ParentAfter) throws {
        let dropped = after == .dropped
        let directory = TemporaryDirectory("orphans")
        let connection = try Connection(path: directory.file("fk.db"))
        try connection.forEachStatement(in: Self.foreignKeySchema + Self.foreignKeyRows) { statement, _ in try statement.run() }
        // The pragma reports a row once per foreign key it breaks: (rowid, foreign key id).
        func violations(_ child: String) throws -> Set<String> {
            Set(try connection.query("PRAGMA main.foreign_key_check(\(quoteIdentifier(child)))") { "\($0.int64(1)) \($0.int64(3))" })
        }
        let before = try Dictionary(uniqueKeysWithValues: Self.children.map { ($0, try violations($0)) })
        let definition = try #require(try connection.scalar("SELECT sql FROM sqlite_master WHERE name = ?", [.text(parent)])?.text)
        var aside = TablesSetAside(connection: connection)
        try aside.setAside(parent)
        let old = try #require(aside.tables.first?.aside)
        if !dropped {
            try connection.execute(definition)
            let kept = after == .everyRow ? "" : " WHERE rowid > (SELECT min(rowid) FROM \(old))"
            try connection.execute("INSERT INTO \(parent) SELECT * FROM \(old)" + kept)
        }
        let counted = try RestoredForeignKeys.orphanedRows(in: connection, replaced: aside.tables, rewritten: dropped ? [] : [parent])
        var expected = 0
        var referencing = 0
        for child in Self.children {
            let keys = try connection.query("SELECT 1 FROM pragma_foreign_key_list(?) WHERE \"table\" = ?",
                                            [.text(child), .text(parent)], { _ in 1 })
            guard !keys.isEmpty else { continue }
            referencing += 1
            if counted.wholeTables.contains(child) { continue }
            expected += try violations(child).subtracting(before[child]!).count
        }
        #expect(referencing > 0)
        #expect(counted.rows == expected, "\(counted)")
        if after == .everyRow { #expect(counted.rows == 0) }
        // Judged exactly wherever the key is one column with the same affinity and collation.
        let judged: Set<String> = ["pi", "pt", "pb", "pnum", "pbig"]
        #expect(judged.contains(parent) ? counted.wholeTables.subtracting(["c_nocase_child", "c_int_to_text", "c_text_to_rowid", "c_blob"]).isEmpty
                                        : !counted.wholeTables.isEmpty, "\(counted.wholeTables)")
    }

    /// Through a whole restore: rows an application added after the migration lose their
    /// parent and are counted; a row that never had one is not; the event records the count.
    @Test(arguments: JournalMode.allCases)
    func aRestoreCountsTheRowsItLeftWithoutAParent(journal: JournalMode) throws {
        let fixture = try WriterFixture(journal: journal)
        fixture.script("r1", up: """
            CREATE TABLE p (id BIGINT NOT NULL PRIMARY KEY, v TEXT);
            CREATE TABLE c (pid BIGINT REFERENCES p (id));
            INSERT INTO p VALUES (1, 'a'), (2, 'b');
            """)
        fixture.script("r2", revises: "r1", up: "UPDATE p SET v = upper(v);")
        try fixture.migrator().upgrade()
        try Connection(path: fixture.database).execute("""
            INSERT INTO p VALUES (3, 'c'); INSERT INTO c VALUES (1), (3), (3), (99), (NULL);
            """)
        let store = try SQLiteStore(path: fixture.database)
        let report = try Restorer(store: store, migrations: try fixture.migrations()).restore(toRevision: "r1")
        #expect(report.foreignKeyViolations == 2, "the two rows of c that pointed at p's row 3")
        #expect(try pragmaViolations(store.connection, "c").count == 3, "the pragma lists 99 too")
        let event = try #require(try EventLog(connection: store.connection).last())
        #expect(event.kind == .restoreCompleted && event.detail["foreign_key_violations"] == .int(2))
    }

    @Test func aForeignKeyWithoutAParentIndexFailsAsThePragmaDoes() throws {
        let directory = TemporaryDirectory("fk")
        let connection = try Connection(path: directory.file("fk.db"))
        try connection.forEachStatement(in: """
            CREATE TABLE p (k TEXT);
            CREATE TABLE c (x TEXT REFERENCES p (k));
            INSERT INTO c VALUES ('a');
            """) { statement, _ in try statement.run() }
        #expect(throws: (any Error).self) { try pragmaViolations(connection, "c") }
        #expect(throws: (any Error).self) { try RestoredForeignKeys.violationCount(in: connection, tables: ["c"]) }
    }

    // MARK: Tables set aside

    func schemaRows(_ database: String) throws -> [String] {
        let connection = try Connection(path: database, mode: .readOnly)
        return try connection.query("""
            SELECT type || '|' || name || '|' || tbl_name || '|' || ifnull(sql, '') FROM sqlite_master
            WHERE tbl_name NOT LIKE 'strata\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_stat%' ESCAPE '\\' ORDER BY type, name
            """) { $0.string(0) }
    }

    func rows(_ database: String, _ table: String) throws -> [[SQLiteValue]] {
        let connection = try Connection(path: database, mode: .readOnly)
        let count = try connection.query("SELECT count(*) FROM pragma_table_info(?)", [.text(table)]) { $0.int(0) }[0]
        return try connection.query("SELECT rowid, * FROM \(quoteIdentifier(table)) ORDER BY rowid") { row in
            (0...count).map { row.value($0) }
        }
    }

    @Test(arguments: JournalMode.allCases)
    func aRestoredTableKeepsItsTextAndItsNeighboursText(journal: JournalMode) throws {
        let fixture = try WriterFixture(journal: journal)
        fixture.script("r1", up: """
            CREATE TABLE "Pa ""ck"" ét" (id BIGINT NOT NULL PRIMARY KEY, v TEXT UNIQUE, n INTEGER CHECK ("Pa ""ck"" ét".n >= 0));
            CREATE INDEX "Pa ""ck"" ét_v" ON "Pa ""ck"" ét" (v DESC);
            CREATE TABLE seen (p BIGINT REFERENCES "Pa ""ck"" ét" (id), q REFERENCES [Pa "ck" ét]);
            CREATE TABLE counter (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);
            CREATE TABLE plain (id BIGINT NOT NULL PRIMARY KEY, v TEXT);
            CREATE INDEX plain_v ON plain (v);
            CREATE TABLE plain_seen (p BIGINT REFERENCES plain (id) ON DELETE CASCADE);
            CREATE VIEW both AS SELECT * FROM plain JOIN plain_seen ON plain.id = plain_seen.p;
            CREATE TRIGGER plain_ins AFTER INSERT ON plain BEGIN INSERT INTO counter (v) VALUES (NEW.v); END;
            """)
        fixture.script("r2", revises: "r1", up: """
            INSERT INTO "Pa ""ck"" ét" VALUES (1, 'a', 1), (2, 'b', 2);
            INSERT INTO seen VALUES (1, 1), (2, 2);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)
            INSERT INTO plain SELECT i * 3, 'v' || (i % 7) FROM n;
            INSERT INTO plain_seen VALUES (3), (6);
            """)
        fixture.script("r3", revises: "r2", up: """
            UPDATE "Pa ""ck"" ét" SET v = 'z', n = 9 WHERE id = 1;
            INSERT INTO "Pa ""ck"" ét" VALUES (7, 'q', 0);
            UPDATE plain SET v = upper(v) WHERE id % 2 = 0;
            DELETE FROM plain WHERE id > 1200;
            INSERT INTO plain VALUES (100000, 'new');
            """)
        try fixture.migrator().upgrade(to: "r2")
        let schema = try schemaRows(fixture.database)
        let table = try rows(fixture.database, "Pa \"ck\" ét"), plain = try rows(fixture.database, "plain")
        let counter = try rows(fixture.database, "counter")
        try fixture.migrator().upgrade(to: "r3")
        // Rows whose parent is missing (a migration would refuse them), and statistics.
        try Connection(path: fixture.database).execute("INSERT INTO seen VALUES (3, NULL); INSERT INTO plain_seen VALUES (4); ANALYZE;")

        let store = try SQLiteStore(path: fixture.database)
        let statistics = try store.connection.query("SELECT DISTINCT tbl FROM sqlite_stat1 ORDER BY tbl") { $0.string(0) }
        let settings = try ["secure_delete", "threads", "legacy_alter_table", "foreign_keys", "ignore_check_constraints"].map {
            try store.connection.scalar("PRAGMA \($0)")
        }
        let report = try Restorer(store: store, migrations: try fixture.migrations()).restore(toRevision: "r2")
        #expect(Set(report.plan.restoredTables).isSuperset(of: ["Pa \"ck\" ét", "plain", "counter"]))
        #expect(report.foreignKeyViolations == 0, "seen (3) and plain_seen (4) had no parent before either: not the restore's doing")
        let after = try schemaRows(fixture.database)
        #expect(after == schema, "\(Set(after).symmetricDifference(schema))")
        #expect(try rows(fixture.database, "Pa \"ck\" ét") == table)
        #expect(try rows(fixture.database, "plain") == plain)
        #expect(try rows(fixture.database, "counter") == counter, "the trigger was not there while rows came back")
        // As `DROP TABLE` would have: no statistics left for the restored tables, the
        // autoincrement counter kept, nothing left over, the connection's settings as before.
        let connection = store.connection
        #expect(try connection.query("SELECT DISTINCT tbl FROM sqlite_stat1 ORDER BY tbl") { $0.string(0) }
                    == statistics.filter { !report.plan.restoredTables.contains($0) })
        #expect(statistics.contains("plain") && statistics.contains("seen"))
        #expect(try connection.query("SELECT name FROM sqlite_master WHERE name LIKE 'strata_restore%'") { $0.string(0) }.isEmpty)
        #expect(try ["secure_delete", "threads", "legacy_alter_table", "foreign_keys", "ignore_check_constraints"].map { try connection.scalar("PRAGMA \($0)") }
                    == settings)
        #expect(try connection.scalar("PRAGMA integrity_check")?.text == "ok")
    }

    @Test func aTableWhoseNameChangedCaseIsReplacedNotDropped() throws {
        let fixture = try WriterFixture(journal: .delete)
        fixture.script("r1", up: "CREATE TABLE packet (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO packet VALUES (1, 'a');")
        fixture.script("r2", revises: "r1", up: "DROP TABLE packet; CREATE TABLE Packet (id INTEGER PRIMARY KEY, v TEXT, w TEXT);")
        try fixture.migrator().upgrade(to: "r1")
        let schema = try schemaRows(fixture.database)
        try fixture.migrator().upgrade(to: "r2")
        #expect(try schemaRows(fixture.database) != schema)
        let store = try SQLiteStore(path: fixture.database)
        try Restorer(store: store, migrations: try fixture.migrations()).restore(toRevision: "r1")
        #expect(try schemaRows(fixture.database) == schema)
        #expect(try rows(fixture.database, "packet") == [[.integer(1), .integer(1), .text("a")]])
    }

    @Test func aWideTableComesBackRowForRowAcrossBatches() throws {
        let fixture = try WriterFixture(journal: .delete)
        let columns = (0..<150).map { "c\($0)" }
        fixture.script("r1", up: "CREATE TABLE wide (\(columns.map { "\($0) ANY" }.joined(separator: ", ")));")
        let values = (0..<150).map { i -> String in
            switch i % 5 {
            case 0: "n * \(i)"
            case 1: "'t' || n || char(0) || '\(i)'"
            case 2: "CASE WHEN n % 3 = 0 THEN NULL ELSE n * 0.5 END"
            case 3: "CASE WHEN n % 4 = 0 THEN x'' ELSE randomblob(n % 9) END"
            default: "-n"
            }
        }
        // 1 003 rows: not a multiple of the rows per batch (6 for 150 columns).
        fixture.script("r2", revises: "r1", up: """
            WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 1003)
            INSERT INTO wide SELECT \(values.joined(separator: ", ")) FROM s;
            """)
        fixture.script("r3", revises: "r2", up: "DELETE FROM wide WHERE rowid % 2 = 0;")
        try fixture.migrator().upgrade(to: "r2")
        let before = try rows(fixture.database, "wide")
        try fixture.migrator().upgrade(to: "r3")
        let store = try SQLiteStore(path: fixture.database)
        let report = try Restorer(store: store, migrations: try fixture.migrations()).restore(toRevision: "r2")
        #expect(report.rows == 1003)
        #expect(try rows(fixture.database, "wide") == before)
    }

    // MARK: AUTOINCREMENT

    /// The counters in `sqlite_sequence`, by table.
    func counters(_ database: String) throws -> [String: Int64] {
        let connection = try Connection(path: database, mode: .readOnly)
        return Dictionary(uniqueKeysWithValues: try connection.query("SELECT name, seq FROM sqlite_sequence") { ($0.string(0), $0.int64(1)) })
    }

    /// Rows the restore removed had ids an AUTOINCREMENT table must never hand out again.
    @Test(arguments: JournalMode.allCases)
    func anAutoincrementCounterDoesNotGoBack(journal: JournalMode) throws {
        let fixture = try WriterFixture(journal: journal)
        fixture.script("r1", up: """
            CREATE TABLE kept (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);
            INSERT INTO kept (v) VALUES ('a'), ('b'), ('c');
            CREATE TABLE emptied (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);
            CREATE TABLE plain (id INTEGER PRIMARY KEY, v TEXT);
            """)
        fixture.script("r2", revises: "r1", up: """
            INSERT INTO kept (v) VALUES ('d'), ('e');
            DELETE FROM kept WHERE v = 'e';
            INSERT INTO emptied (v) VALUES ('x'), ('y');
            DROP TABLE plain;
            CREATE TABLE plain (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);
            INSERT INTO plain (v) VALUES ('p');
            """)
        try fixture.migrator().upgrade(to: "r1")
        let kept = try rows(fixture.database, "kept")
        try fixture.migrator().upgrade(to: "r2")
        #expect(try counters(fixture.database) == ["kept": 5, "emptied": 2, "plain": 1])

        let store = try SQLiteStore(path: fixture.database)
        try Restorer(store: store, migrations: try fixture.migrations()).restore(toRevision: "r1")
        #expect(try rows(fixture.database, "kept") == kept)
        // The restored rows end at 3, the counter stays at 5 (with rows and without any);
        // `plain` is not AUTOINCREMENT at r1, so it has no counter to keep.
        #expect(try counters(fixture.database) == ["kept": 5, "emptied": 2])
        try store.connection.execute("INSERT INTO kept (v) VALUES ('f'); INSERT INTO emptied (v) VALUES ('z')")
        #expect(try store.connection.scalar("SELECT id FROM kept WHERE v = 'f'") == .integer(6))
        #expect(try store.connection.scalar("SELECT id FROM emptied WHERE v = 'z'") == .integer(3))
        #expect(try store.connection.scalar("PRAGMA integrity_check")?.text == "ok")
    }

    // MARK: Tables no migration made

    /// A table the application made itself (not a migration) is not Strata's to drop: it is
    /// kept with its rows, indexes and triggers; a table a later migration made is dropped.
    @Test(arguments: JournalMode.allCases)
    func aTableNoMigrationMadeIsKept(journal: JournalMode) throws {
        let fixture = try WriterFixture(journal: journal)
        fixture.script("r1", up: "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'a');")
        fixture.script("r2", revises: "r1", up: "UPDATE t SET v = 'b'; CREATE TABLE later (x);")
        try fixture.migrator().upgrade()
        try Connection(path: fixture.database).execute("""
            CREATE TABLE sessions (sid TEXT PRIMARY KEY, t_id INTEGER);
            INSERT INTO sessions VALUES ('s1', 1);
            CREATE INDEX sessions_by_t ON sessions (t_id);
            CREATE TRIGGER sessions_touch AFTER INSERT ON sessions BEGIN SELECT 1; END;
            """)
        let store = try SQLiteStore(path: fixture.database)
        let restorer = Restorer(store: store, migrations: try fixture.migrations())
        let plan = try restorer.plan(toRevision: "r1")
        #expect(plan.restoredTables == ["t"] && plan.droppedTables == ["later"] && plan.keptTables == ["sessions"])
        try restorer.restore(toRevision: "r1")
        #expect(try rows(fixture.database, "sessions") == [[.integer(1), .text("s1"), .integer(1)]])
        let objects = try store.connection.query("SELECT name FROM sqlite_master WHERE tbl_name IN ('sessions', 'later') ORDER BY name") { $0.string(0) }
        #expect(objects == ["sessions", "sessions_by_t", "sessions_touch", "sqlite_autoindex_sessions_1"])
        #expect(try rows(fixture.database, "t") == [[.integer(1), .integer(1), .text("a")]])
    }

    /// A row that breaks a CHECK (written while checks were ignored) goes back as it was:
    /// otherwise that snapshot could never be restored.
    @Test func rowsThatBreakACheckComeBackAsTheyWere() throws {
        let fixture = try WriterFixture(journal: .delete)
        fixture.script("r1", up: "CREATE TABLE t (v TEXT CHECK (length(v) < 3));")
        fixture.script("r2", revises: "r1", up: "DELETE FROM t;")
        try fixture.migrator().upgrade(to: "r1")
        try Connection(path: fixture.database).execute("PRAGMA ignore_check_constraints = ON; INSERT INTO t VALUES ('ok'), ('long');")
        try fixture.migrator().upgrade()
        let store = try SQLiteStore(path: fixture.database)
        try Restorer(store: store, migrations: try fixture.migrations()).restore(toRevision: "r1")
        #expect(try rows(fixture.database, "t") == [[.integer(1), .text("ok")], [.integer(2), .text("long")]])
        #expect(try store.connection.scalar("PRAGMA ignore_check_constraints")?.integer == 0)
    }

    // MARK: Branches

    /// c1 (another branch) changed t after the snapshot a restore to b1 would take t from, and
    /// c1 stays applied: refused, nothing changed. Going below c1 as well is fine.
    @Test func aRestoreThatWouldUndoAnotherBranchsChangeIsRefused() throws {
        let fixture = try WriterFixture(journal: .delete)
        fixture.script("a1", up: "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 't1');")
        fixture.script("b1", revises: "a1", up: "INSERT INTO t VALUES (2, 'b1');")
        fixture.script("b2", revises: "b1", up: "INSERT INTO t VALUES (3, 'b2');")
        fixture.script("c1", revises: "a1", up: "ALTER TABLE t ADD COLUMN extra TEXT DEFAULT 'c1';")
        try fixture.migrator().upgrade(to: "b2")
        try fixture.migrator().upgrade(to: "c1")
        let store = try SQLiteStore(path: fixture.database)
        let restorer = Restorer(store: store, migrations: try fixture.migrations())
        let before = try rows(fixture.database, "t")
        let error = try #require(throws: StrataError.self) { try restorer.restore(toRevision: "b1") }
        #expect(error.message.contains("revision c1 changed it after that snapshot and stays applied"), "\(error.message)")
        #expect(try rows(fixture.database, "t") == before)
        #expect(try store.heads() == ["b2", "c1"])
        try restorer.restore(toRevision: "a1")
        #expect(try rows(fixture.database, "t") == [[.integer(1), .integer(1), .text("t1")]])
    }

    // MARK: Renames

    /// SQLite rewrites other tables' REFERENCES to follow a renamed table or column, and a
    /// renamed table appears under a new name: a restore past the rename puts the referencing
    /// tables' definitions back and drops the new name, so the schema is the target's again.
    @Test(arguments: [
        "ALTER TABLE p RENAME TO parent;",
        "ALTER TABLE main.p RENAME TO \"the parent\"; INSERT INTO \"the parent\" (id, code) VALUES (2, 'B');",
        "ALTER TABLE p RENAME COLUMN code TO pcode;",
        "ALTER TABLE p RENAME code TO pcode; INSERT INTO p (id, pcode) VALUES (2, 'B');",
    ])
    func aRestorePastARenameGivesBackTheSchema(rename: String) throws {
        let fixture = try WriterFixture(journal: .delete)
        fixture.script("r1", up: """
            CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT UNIQUE);
            CREATE TABLE c (pid INTEGER REFERENCES p (id), pcode TEXT REFERENCES p (code));
            INSERT INTO p VALUES (1, 'A'); INSERT INTO c VALUES (1, 'A');
            """)
        fixture.script("r2", revises: "r1", up: rename)
        try fixture.migrator().upgrade(to: "r1")
        let schema = try schemaRows(fixture.database)
        let (parents, children) = (try rows(fixture.database, "p"), try rows(fixture.database, "c"))
        try fixture.migrator().upgrade()
        #expect(try schemaRows(fixture.database) != schema)

        let store = try SQLiteStore(path: fixture.database)
        let report = try Restorer(store: store, migrations: try fixture.migrations()).restore(toRevision: "r1")
        let after = try schemaRows(fixture.database)
        #expect(after == schema, "\(Set(after).symmetricDifference(schema))")
        #expect(try rows(fixture.database, "p") == parents)
        #expect(try rows(fixture.database, "c") == children)
        #expect(report.foreignKeyViolations == 0)
        #expect(try store.connection.query("PRAGMA foreign_key_check") { $0.string(0) }.isEmpty)
        #expect(try store.connection.scalar("PRAGMA integrity_check")?.text == "ok")
    }

    /// With `--backup all` (and in `transaction: false` scripts, which always snapshot every
    /// table) a table the migration creates is recorded as created, so a restore drops it; and
    /// such a snapshot, which holds every table, does not count as the migration changing them.
    @Test(arguments: [false, true])
    func aSnapshotOfEveryTableStillKnowsWhatTheMigrationCreated(transactional: Bool) throws {
        let fixture = try WriterFixture(journal: .delete)
        fixture.script("a1", up: "CREATE TABLE t (id INTEGER PRIMARY KEY); CREATE TABLE u (id INTEGER PRIMARY KEY);")
        fixture.script("b1", revises: "a1", up: "INSERT INTO t VALUES (1);")
        fixture.script("b2", revises: "b1", up: "INSERT INTO t VALUES (2);")
        let header = transactional ? "" : "-- transaction: false\n"
        try ("-- revision: c1\n-- revises: a1\n\(header)\n-- +upgrade\nINSERT INTO u VALUES (1);\nCREATE TABLE later (x);\nALTER TABLE u RENAME TO u2;\n")
            .write(toFile: fixture.migrationsPath + "/c1.sql", atomically: true, encoding: .utf8)
        try fixture.migrator().upgrade(to: "b2")
        try fixture.migrator(MigratorOptions(backup: .all)).upgrade(to: "c1")
        let store = try SQLiteStore(path: fixture.database)
        let restorer = Restorer(store: store, migrations: try fixture.migrations())
        // c1 did not touch t: b1 can be restored although c1's snapshot holds t.
        try restorer.restore(toRevision: "b1")
        #expect(try rows(fixture.database, "t") == [[.integer(1), .integer(1)]])
        // Below c1: what it created (later, and u2 by renaming u) goes, u comes back.
        let plan = try restorer.plan(toRevision: "a1")
        #expect(plan.keptTables.isEmpty && plan.droppedTables == ["later", "u2"], "\(plan.droppedTables) \(plan.keptTables)")
        try restorer.restore(toRevision: "a1")
        #expect(try store.connection.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'strata%' ORDER BY name") { $0.string(0) } == ["t", "u"])
    }
}
