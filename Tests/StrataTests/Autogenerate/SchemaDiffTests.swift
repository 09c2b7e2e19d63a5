import Foundation
import Testing
@testable import Strata

/// The diff as values: what `check --schema` reports and an app can assert on, on the example
/// app's real scripts.
@Suite struct SchemaDiffTests {
    static let migrations = ScriptTestSupport.repositoryRoot().appendingPathComponent("Migrations").path

    /// MeshView's real drift: a rebuild lost the DESC of two indexes, and an index its models
    /// declare was never created.
    @Test func meshViewDriftShowsUp() throws {
        let database = try Connection(path: ":memory:")
        let set = try MigrationSet.load(directory: Self.migrations)
        for step in try set.graph.upgradePlan(current: [], target: "heads") {
            try database.execute(set.script(step.revision)!.upgrade.sql!)
        }
        let models = try DatabaseSchema(connection: database)
        #expect(SchemaDiff(from: models, to: try .replaying(set)).isEmpty, "the replay is the scripts' schema")
        try database.execute("""
            DROP INDEX idx_packet_import_time_us; CREATE INDEX idx_packet_import_time_us ON packet (import_time_us);
            DROP INDEX idx_packet_seen_import_time_us; CREATE INDEX idx_packet_seen_import_time_us ON packet_seen (import_time_us);
            """)
        var desired = models
        desired.indexes.append(try DatabaseSchema.load(sql: """
            CREATE TABLE packet_seen (packet_id BIGINT);
            CREATE INDEX idx_packet_seen_packet_id ON packet_seen (packet_id);
            """, origin: "models").indexes[0])
        let diff = SchemaDiff(from: try DatabaseSchema(connection: database), to: desired)
        #expect(diff.descriptions == [
            "Index \"idx_packet_import_time_us\" differs: it is on packet (import_time_us), the desired schema has on packet (import_time_us DESC).",
            "Index \"idx_packet_seen_import_time_us\" differs: it is on packet_seen (import_time_us), the desired schema has on packet_seen (import_time_us DESC).",
            "Index \"idx_packet_seen_packet_id\" on \"packet_seen\" is missing: CREATE INDEX idx_packet_seen_packet_id ON packet_seen (packet_id).",
        ])
    }

    @Test func strataTablesAndSpellingAreNotDifferences() throws {
        let a = try DatabaseSchema.load(sql: """
            CREATE TABLE strata_version (version_num TEXT);
            CREATE TABLE node (id VARCHAR NOT NULL PRIMARY KEY, name TEXT DEFAULT 'x' COLLATE NOCASE, CHECK (length(id) > 0));
            CREATE VIEW named AS SELECT id FROM node WHERE name IS NOT NULL;
            """, origin: "a")
        let b = try DatabaseSchema.load(sql: """
            create table "NODE" (
                "id"   varchar not null primary key,
                name   text default 'x' collate nocase,
                check (LENGTH(id)>0)
            );
            CREATE VIEW named AS SELECT "id" FROM node WHERE name IS NOT NULL;
            """, origin: "b")
        #expect(a.table("strata_version") == nil)
        #expect(SchemaDiff(from: a, to: b).isEmpty, "\(SchemaDiff(from: a, to: b).descriptions)")
    }

    @Test func columnDetailsAreDetected() throws {
        let a = try DatabaseSchema.load(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER DEFAULT 1, c REAL, g AS (b * 2));", origin: "a")
        let b = try DatabaseSchema.load(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT COLLATE NOCASE, b INTEGER NOT NULL DEFAULT 2, c REAL CHECK (c > 0), g AS (b * 3) STORED);", origin: "b")
        #expect(SchemaDiff(from: a, to: b).descriptions == [
            "Table \"t\": column \"a\" collation binary → nocase; column \"b\" NOT NULL added, default 1 → 2; column \"g\" generated AS (b * 2) virtual → AS (b * 3) stored; CHECK (c > 0) added.",
        ])
    }

    @Test func theScriptParsesBackWithWarningsAsComments() throws {
        let current = try DatabaseSchema.load(sql: "CREATE TABLE node (id INTEGER PRIMARY KEY, legacy TEXT, n TEXT);", origin: "a")
        let desired = try DatabaseSchema.load(sql: "CREATE TABLE node (id INTEGER PRIMARY KEY, n INTEGER);", origin: "b")
        let migration = GeneratedMigration(from: current, to: desired)
        let text = migration.script(revision: "abc123def456", revises: ["c88468b7ab0b"], message: "Narrow n", source: "'schema.sql'",
                                    created: Date(timeIntervalSince1970: 0))
        let script = try ScriptParser.parse(text, file: "abc123def456_narrow_n.sql")
        #expect(script.node.revises == ["c88468b7ab0b"])
        #expect(script.upgrade.sql?.contains("-- WARNING (drop-column): Drops column \"node\".\"legacy\".") == true)
        #expect(script.upgrade.sql?.contains("-- WARNING (type-narrowing)") == true)
        #expect(script.upgrade.sql?.contains(GeneratedMigration.recoveryNote) == true)
        #expect(script.downgrade?.sql?.contains("CREATE TABLE \"strata_new_node\" (id INTEGER PRIMARY KEY, legacy TEXT, n TEXT);") == true)
        let empty = GeneratedMigration(from: current, to: current)
        #expect(empty.isEmpty)
        #expect(try ScriptParser.parse(empty.script(revision: "e1", revises: [], message: "none", source: "x"), file: "e1.sql").upgrade.sql?.contains("No differences") == true)
    }
}

@Suite struct SQLTokenizerTests {
    @Test func tokensFollowSQLitesQuotingRules() {
        let tokens = SQLTokenizer.tokens("CREATE INDEX xy ON \"x\"\"q\" ([a b], `c`, x'00ff', 'it''s' || 1.5e-3) -- done; really\n/* ; */ WHERE x>=2")
        #expect(tokens.map(\.text) == ["CREATE", "INDEX", "xy", "ON", "\"x\"\"q\"", "(", "[a b]", ",", "`c`", ",", "x'00ff'", ",", "'it''s'", "||", "1.5e-3", ")", "WHERE", "x", ">=", "2"])
        #expect(tokens[4].identifier == "x\"q")
        #expect(tokens[10].kind == .string)
        #expect(SQLTokenizer.normalized("SELECT \"Name\" FROM  T") == SQLTokenizer.normalized("select name from t"))
    }
}
