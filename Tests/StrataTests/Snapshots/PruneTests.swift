import Foundation
import Testing
@testable import Strata

/// Retention at the library level: what `prune` deletes, what it keeps, what it records.
@Suite struct PruneTests {
    /// Four migrations, each taking a snapshot of `t` (the first records it as not existing).
    func fourSnapshots(_ journal: JournalMode) throws -> WriterFixture {
        let fixture = try WriterFixture(journal: journal)
        fixture.script("r1", up: "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);")
        fixture.script("r2", revises: "r1", up: "INSERT INTO t (v) VALUES ('a'), ('b'), ('c');")
        fixture.script("r3", revises: "r2", up: "UPDATE t SET v = upper(v);")
        fixture.script("r4", revises: "r3", up: "DELETE FROM t WHERE id = 1;")
        try fixture.migrator().upgrade(to: "heads")
        return fixture
    }

    func chunkCounts(_ fixture: WriterFixture) throws -> [Int64: Int64] {
        let connection = try Connection(path: fixture.database, mode: .readOnly)
        var counts: [Int64: Int64] = [:]
        for (id, count) in try connection.query("""
            SELECT s.id, (SELECT count(*) FROM strata_snapshot_chunks c WHERE c.snapshot_id = s.id) FROM strata_snapshots s
            """, [], { ($0.int64(0), $0.int64(1)) }) { counts[id] = count }
        return counts
    }

    @Test(arguments: JournalMode.allCases)
    func keepsTheNewestAndRecordsOneEvent(journal: JournalMode) throws {
        let fixture = try fourSnapshots(journal)
        let store = try SQLiteStore(path: fixture.database)
        let before = try fixture.events().count
        let counts = try chunkCounts(fixture)
        #expect(counts[3] == 1 && counts[4] == 1)
        let catalog = SnapshotCatalog(connection: store.connection)
        let expectedRows = try catalog.all().prefix(2).reduce(0) { $0 + $1.rows }

        let report = try SnapshotPruner(store: store).prune(keep: 2)
        #expect(report.snapshots == [1, 2])
        #expect(report.chunks == counts[1]! + counts[2]!)
        #expect(report.rows == expectedRows)
        #expect(try chunkCounts(fixture) == [1: 0, 2: 0, 3: 1, 4: 1])

        let snapshots = try catalog.all()
        #expect(snapshots.map(\.id) == [1, 2, 3, 4], "snapshot rows stay")
        #expect(snapshots.map { $0.prunedAt != nil } == [true, true, false, false])
        #expect(snapshots[1].tables.map(\.name) == ["t"], "table metadata stays")

        let events = try fixture.events()
        #expect(events.count == before + 1)
        let event = try #require(events.last)
        #expect(event.kind == .snapshotPruned)
        #expect(event.detail["snapshots"] == [1, 2])
        #expect(event.detail["keep"] == .int(2))
        #expect(event.detail["chunks"] == .int(report.chunks))
        #expect(event.detail["rows"] == .int(report.rows))
        #expect(event.detail["stored_bytes"] == .int(report.storedBytes))
        #expect(event.status == .idle && event.heads == ["r4"])

        // Verify skips pruned snapshots instead of reporting them.
        let verified = try Verifier(store: store, migrations: try fixture.migrations()).verify()
        #expect(verified.ok, "\(verified.problems)")
        #expect(verified.snapshotsChecked == 2)
    }

    @Test func pruningNothingWritesNothing() throws {
        let fixture = try fourSnapshots(.delete)
        let store = try SQLiteStore(path: fixture.database)
        let pruner = try SnapshotPruner(store: store)
        try pruner.prune(keep: 1)
        let events = try fixture.events().count
        let counter = try fileChangeCounter(fixture.database)
        #expect(try pruner.prune(keep: 1).snapshots.isEmpty, "already pruned")
        #expect(try pruner.prune(keep: 10).snapshots.isEmpty, "more kept than exist")
        #expect(try fixture.events().count == events)
        // Nothing wrote to the file, not even the writer lock (rollback journal: every commit
        // bumps the header's change counter).
        #expect(try fileChangeCounter(fixture.database) == counter)
        #expect(throws: StrataError.self) { try pruner.prune(keep: -1) }
    }

    @Test func keepZeroPrunesEverySnapshotAndRestoreSaysToImport() throws {
        let fixture = try fourSnapshots(.wal)
        let store = try SQLiteStore(path: fixture.database)
        #expect(try SnapshotPruner(store: store).prune(keep: 0).snapshots == [1, 2, 3, 4])
        let restorer = Restorer(store: store, migrations: try fixture.migrations())
        let error = try #require(throws: StrataError.self) { try restorer.restore(toRevision: "r2") }
        #expect(error.message.contains("was pruned"))
        #expect(error.message.contains("strata archive import"))
    }

    /// Bytes 24...27 of the database header: "incremented whenever the database file is changed".
    func fileChangeCounter(_ path: String) throws -> [UInt8] {
        let handle = try #require(FileHandle(forReadingAtPath: path))
        defer { try? handle.close() }
        return Array(handle.readData(ofLength: 28).suffix(4))
    }
}
