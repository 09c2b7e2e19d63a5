import Foundation
import Testing
@testable import Strata

/// Snapshots store their schema as changes from the previous snapshot's (`SchemaDelta`), and
/// every reader gets the whole schema back, exactly as a fresh capture writes it.
@Suite struct SchemaDeltaTests {
    let directory = TemporaryDirectory("delta")

    /// Resolves `stored[id]` as `SnapshotCatalog` does, from texts held in memory.
    private func resolve(_ id: Int64, _ stored: [Int64: String]) throws -> String {
        func whole(_ id: Int64) throws -> SchemaDelta.Whole {
            try SchemaDelta.whole(try #require(stored[id]), snapshot: id, in: "test.db", base: whole)
        }
        return String(decoding: try whole(id).bytes, as: UTF8.self)
    }

    @Test func eachCaptureIsADeltaThatResolvesToTheWholeSchema() throws {
        let db = try Connection(path: directory.file("delta.db"))
        try db.execute("CREATE TABLE a (x); CREATE TABLE b (y UNIQUE); CREATE INDEX a_x ON a (x); CREATE VIEW v AS SELECT 1")
        let changes = [
            "", "ALTER TABLE a ADD COLUMN z TEXT", "DROP INDEX a_x", "CREATE TABLE c (q); CREATE INDEX a_x ON a (z)",
            "DROP VIEW v; CREATE VIEW v AS SELECT 2", "ALTER TABLE b RENAME TO b2", "", "DROP TABLE a", "DROP TABLE c; DROP TABLE b2",
            "CREATE TABLE \"qu\"\"oted é\" (\"\u{1F600}\" TEXT DEFAULT 'it''s')",
        ]
        var stored: [Int64: String] = [:]
        for (index, change) in changes.enumerated() {
            if !change.isEmpty { try db.execute(change) }
            let (text, chainLength) = try SchemaCapture.storedText(connection: db)
            let id = Int64(index + 1)
            stored[id] = text
            db.schemaFragments.snapshotID = id
            db.schemaFragments.chainLength = chainLength
            #expect(SchemaDelta.isDelta(text) == (id > 1), "\(id): \(text)")
            #expect(chainLength == index)
            #expect(try resolve(id, stored) == SchemaCapture(connection: db).json.text, "after \(change)")
        }
        // Nothing changed: one run of the whole base, no entry written out.
        #expect(stored[7].map { $0.hasPrefix("{\"base\":6,\"entries\":[[0,") && !$0.contains("[\"") } == true, "\(stored[7] ?? "")")
    }

    /// The element scan a delta's base is cut with: strings hold brackets, commas, quotes
    /// and backslashes; white space is not part of an element.
    @Test func aWholeSchemaIsCutIntoItsEntries() throws {
        let entries: [JSONValue] = [
            ["table", "a]b", "a,b", "CREATE TABLE \"a]b\" (x DEFAULT '[,]\\\"')"], ["index", "i", "t", .null], [],
        ]
        for text in [JSONValue.array(entries).text, " [ " + entries.map(\.text).joined(separator: " ,\n") + " ] "] {
            let bytes = Array(text.utf8)
            let ranges = try SchemaDelta.elements(of: bytes, snapshot: 1, in: "test.db")
            #expect(try ranges.map { try JSONValue.parse(String(decoding: bytes[$0], as: UTF8.self)) } == entries, "\(text)")
        }
        #expect(try SchemaDelta.elements(of: Array("[]".utf8), snapshot: 1, in: "test.db").isEmpty)
        let error = try #require(throws: StrataError.self) { try SchemaDelta.elements(of: Array("[1,]".utf8), snapshot: 7, in: "test.db") }
        #expect(error.message == "Snapshot 7's schema in 'test.db' is not a JSON array; nothing was changed.")
        for bad in ["", "{}", "[1,]", "[,1]", "[1", "[\"a]", "[1] x"] {
            #expect(throws: StrataError.self, "\(bad)") { try SchemaDelta.elements(of: Array(bad.utf8), snapshot: 1, in: "test.db") }
        }
    }

    @Test func aWholeSchemaIsStoredAgainAfterTheLongestChain() throws {
        let db = try Connection(path: directory.file("chain.db"))
        var kinds: [Bool] = []
        for index in 0...(SchemaDelta.maximumChain + 1) {
            try db.execute("CREATE TABLE t\(index) (x)")
            let (text, chainLength) = try SchemaCapture.storedText(connection: db)
            db.schemaFragments.snapshotID = Int64(index + 1)
            db.schemaFragments.chainLength = chainLength
            kinds.append(SchemaDelta.isDelta(text))
        }
        #expect(kinds == [false] + Array(repeating: true, count: SchemaDelta.maximumChain) + [false])
    }

    /// A snapshot whose transaction rolled back was never stored: no delta may refer to it.
    @Test func aRollbackForgetsTheBase() throws {
        let db = try Connection(path: directory.file("rollback.db"))
        try db.execute("CREATE TABLE a (x)")
        _ = try SchemaCapture.storedText(connection: db)
        db.schemaFragments.snapshotID = 1
        try db.execute("BEGIN; CREATE TABLE b (y)")
        _ = try SchemaCapture.storedText(connection: db)
        db.schemaFragments.snapshotID = 2
        try db.execute("ROLLBACK")
        #expect(db.schemaFragments.snapshotID == nil)
        #expect(!SchemaDelta.isDelta(try SchemaCapture.storedText(connection: db).text))
        // A failed statement inside a transaction that carries on keeps it.
        db.schemaFragments.snapshotID = 3
        try db.execute("BEGIN")
        #expect(throws: (any Error).self) { try db.execute("INSERT INTO missing VALUES (1)") }
        try db.execute("COMMIT")
        #expect(db.schemaFragments.snapshotID == 3)
    }

    /// A whole upgrade in one run: snapshots after the first are deltas (a whole one again
    /// after the longest chain), and each resolves to the schema a separate run saw before
    /// that migration.
    @Test func anUpgradeStoresDeltasThatRestoreAndListingReadWhole() throws {
        let count = SchemaDelta.maximumChain + 6
        func project() throws -> WriterFixture {
            let fixture = try WriterFixture(journal: .delete)
            fixture.script("r1", up: "CREATE TABLE t1 (x); INSERT INTO t1 VALUES (1);")
            for index in 2...count {
                let extra = index % 3 == 0 ? "CREATE INDEX i\(index) ON t\(index - 1) (x);" : "CREATE VIEW v\(index) AS SELECT \(index);"
                fixture.script("r\(index)", revises: "r\(index - 1)",
                               up: "CREATE TABLE t\(index) (x); INSERT INTO t\(index) VALUES (\(index)); \(extra) ALTER TABLE t1 ADD COLUMN c\(index);")
            }
            return fixture
        }
        let oneRun = try project()
        _ = try oneRun.migrator().upgrade(to: "heads")

        // The truth: before migration k, the schema after migrations 1..<k, each in a run of its own.
        let stepwise = try project()
        var before: [String] = [try SchemaCapture(connection: Connection(path: stepwise.database)).json.text]
        for index in 1..<count {
            _ = try stepwise.migrator().upgrade(to: "r\(index)")
            before.append(try SchemaCapture(connection: Connection(path: stepwise.database)).json.text)
        }

        let connection = try Connection(path: oneRun.database, mode: .readOnly)
        let stored = try connection.query("SELECT id, schema FROM strata_snapshots ORDER BY id") { ($0.int64(0), $0.string(1)) }
        #expect(stored.count == count)
        #expect(stored.map { SchemaDelta.isDelta($0.1) } == (1...count).map { ($0 - 1) % (SchemaDelta.maximumChain + 1) != 0 })
        let catalog = SnapshotCatalog(connection: connection)
        #expect(try catalog.all().map(catalog.schemaJSON(of:)) == before)
        for (id, _) in stored.reversed() {  // one at a time, each walking back to a whole schema
            let fresh = SnapshotCatalog(connection: connection)
            #expect(try fresh.schemaJSON(of: #require(try fresh.snapshot(id))) == before[Int(id) - 1])
        }

        // Restoring to a revision whose snapshot is a delta gives that schema back.
        let store = try SQLiteStore(path: oneRun.database)
        try Restorer(store: store, migrations: try oneRun.migrations()).restore(toRevision: "r20")
        let restored = try SchemaCapture(connection: store.connection)
        #expect(restored.differences(from: try SchemaCapture(json: before[20]), selfName: "restored", otherName: "r20") == [])
        #expect(try store.connection.scalar("PRAGMA integrity_check")?.text == "ok")
    }

    @Test func aDeltaWhoseBaseIsMissingIsAnIntegrityError() throws {
        let fixture = try WriterFixture(journal: .delete)
        fixture.script("r1", up: "CREATE TABLE a (x);")
        fixture.script("r2", revises: "r1", up: "CREATE TABLE b (x);")
        _ = try fixture.migrator().upgrade(to: "heads")
        let connection = try Connection(path: fixture.database)
        #expect(SchemaDelta.isDelta(try #require(try connection.scalar("SELECT schema FROM strata_snapshots WHERE id = 2")?.text)))
        try connection.execute("DELETE FROM strata_snapshots WHERE id = 1")
        let catalog = SnapshotCatalog(connection: connection)
        // Listing and reading a snapshot leave its schema alone (restore planning reads every
        // snapshot of its steps and needs one schema): only asking for it resolves it.
        #expect(try catalog.all().map(\.id) == [2])
        let snapshot = try #require(try catalog.snapshot(2))
        let error = try #require(throws: StrataError.self) { try catalog.schemaJSON(of: snapshot) }
        #expect(error.message == "Snapshot 2's schema is stored as changes from snapshot 1, which is missing from '\(fixture.database)'; nothing was changed.")
    }
}
