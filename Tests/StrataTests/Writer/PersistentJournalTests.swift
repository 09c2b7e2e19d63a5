import Foundation
import Testing
@testable import Strata

/// While a writer holds the lock, a rollback-journal file keeps its `-journal` file between
/// commits (`PERSIST`, header zeroed); releasing the lock deletes it. WAL files are left alone.
@Suite struct PersistentJournalTests {
    private func setUp(_ journal: JournalMode) throws -> (WriterFixture, SQLiteStore, MigrationSet) {
        let fixture = try WriterFixture(journal: journal)
        fixture.script("aaaa0001", up: "CREATE TABLE a (x);")
        fixture.script("bbbb0002", revises: "aaaa0001", up: "INSERT INTO a VALUES (1);")
        let store = try SQLiteStore(path: fixture.database)
        try store.prepareSchema()
        return (fixture, store, try fixture.migrations())
    }

    private func runAll(_ store: SQLiteStore, _ migrations: MigrationSet) throws {
        for step in try migrations.graph.upgradePlan(current: [], target: "heads") {
            _ = try store.run(step, of: migrations.plannedScript(step.revision), backup: .touched) { _ in
                [NewEvent(.migrationApplied, revision: step.revision, status: .migrating, heads: step.headsAfter)]
            }
        }
    }

    @Test func aRollbackJournalIsKeptWhileLockedAndDeletedOnRelease() throws {
        let (fixture, store, migrations) = try setUp(.delete)
        let journal = fixture.database + "-journal"
        _ = try store.acquireLock(operation: "test", timeout: .seconds(5))
        #expect(try store.connection.journalMode() == "persist")
        try runAll(store, migrations)

        // Kept between commits, with a zeroed header: nothing for anyone to roll back.
        let header = try #require(FileManager.default.contents(atPath: journal))
        #expect(header.count >= 28)
        #expect(header.prefix(28).allSatisfy { $0 == 0 })
        let other = try Connection(path: fixture.database, mode: .readOnly)
        #expect(try other.scalar("SELECT count(*) FROM a")?.integer == 1)
        #expect(try other.scalar("PRAGMA integrity_check")?.text == "ok")

        try store.releaseLock()
        #expect(try store.connection.journalMode() == "delete")
        #expect(!FileManager.default.fileExists(atPath: journal))
        #expect(try store.heads() == ["bbbb0002"])
    }

    /// `KeptJournalVFS` opens the kept journal without `O_CREAT`; when a connection in DELETE
    /// mode committed in between and deleted it, the next commit creates it again.
    @Test func aJournalDeletedByAnotherConnectionIsCreatedAgain() throws {
        let (fixture, store, migrations) = try setUp(.delete)
        let journal = fixture.database + "-journal"
        _ = try store.acquireLock(operation: "test", timeout: .seconds(5))
        let steps = try migrations.graph.upgradePlan(current: [], target: "heads")
        func run(_ step: MigrationStep) throws {
            _ = try store.run(step, of: migrations.plannedScript(step.revision), backup: .touched) { _ in
                [NewEvent(.migrationApplied, revision: step.revision, status: .migrating, heads: step.headsAfter)]
            }
        }
        try run(steps[0])
        #expect(FileManager.default.fileExists(atPath: journal))

        let other = try Connection(path: fixture.database, mode: .readWrite)
        #expect(try other.journalMode() == "delete")
        try other.execute("INSERT INTO a VALUES (0)")
        #expect(!FileManager.default.fileExists(atPath: journal))

        try run(steps[1])
        let header = try #require(FileManager.default.contents(atPath: journal))
        #expect(header.count >= 28 && header.prefix(28).allSatisfy { $0 == 0 })
        #expect(try other.scalar("SELECT count(*) FROM a")?.integer == 2)
        #expect(try other.scalar("PRAGMA integrity_check")?.text == "ok")
        try store.releaseLock()
        #expect(!FileManager.default.fileExists(atPath: journal))
    }

    @Test func aWALFileStaysInWAL() throws {
        let (fixture, store, migrations) = try setUp(.wal)
        _ = try store.acquireLock(operation: "test", timeout: .seconds(5))
        #expect(try store.connection.journalMode() == "wal")
        try runAll(store, migrations)
        try store.releaseLock()
        #expect(try store.connection.journalMode() == "wal")
        #expect(!FileManager.default.fileExists(atPath: fixture.database + "-journal"))
    }

    /// A store dropped while it holds the lock no longer has the VFS count its journal as
    /// kept; the journal stays with a zeroed header, as after a crash.
    @Test func aStoreDroppedWhileLockedForgetsItsJournal() throws {
        let (fixture, _, migrations) = try setUp(.delete)
        let journal = fixture.database + "-journal"
        do {
            let store = try SQLiteStore(path: fixture.database)
            _ = try store.acquireLock(operation: "test", timeout: .seconds(5))
            try runAll(store, migrations)
            #expect(KeptJournalVFS.isKept(journal))
        }
        #expect(!KeptJournalVFS.isKept(journal))
        let header = try #require(FileManager.default.contents(atPath: journal))
        #expect(header.prefix(28).allSatisfy { $0 == 0 })
        #expect(try Connection(path: fixture.database, mode: .readOnly).scalar("PRAGMA integrity_check")?.text == "ok")
    }

    /// A whole upgrade through the migrator, as `strata upgrade` runs it.
    @Test func anUpgradeLeavesNoJournalFile() throws {
        let (fixture, _, _) = try setUp(.delete)
        _ = try fixture.migrator().upgrade(to: "heads")
        #expect(!FileManager.default.fileExists(atPath: fixture.database + "-journal"))
        #expect(try Connection(path: fixture.database).journalMode() == "delete")
    }
}
