import Foundation
import Testing
@testable import Strata

/// The event sequence of each operation. Snapshots are off here (`backup: .none`) to keep the
/// sequences short; `snapshotTakenPrecedesTheMigrationItGuards` covers them.
@Suite struct MigratorEventTests {
    let noBackup = MigratorOptions(backup: .none)

    @Test(arguments: JournalMode.allCases)
    func anUpgradeRecordsStartedAppliedAndCompleted(journal: JournalMode) throws {
        let fixture = try WriterFixture(journal: journal)
        fixture.script("aaaa0001", up: "CREATE TABLE a (x);", down: "DROP TABLE a;")
        fixture.script("bbbb0002", revises: "aaaa0001", up: "CREATE TABLE b (x); INSERT INTO b VALUES (1);", down: "DROP TABLE b;")
        let report = try fixture.migrator(noBackup).upgrade()
        #expect(report.steps.map(\.step.revision) == ["aaaa0001", "bbbb0002"])

        let events = try fixture.events()
        #expect(events.map(\.kind) == [.upgradeStarted, .migrationApplied, .migrationApplied, .upgradeCompleted])
        #expect(events.map(\.seq) == [1, 2, 3, 4])
        #expect(events.map(\.status) == [.migrating, .migrating, .migrating, .idle])
        #expect(events[2].heads == ["bbbb0002"])
        #expect(events[2].detail["statements"] == 2)
        #expect(try events[2].detail["checksum"]?.string == fixture.migrations().script("bbbb0002")?.checksum)
        #expect(events[0].detail["plan"]?.stringArray == ["aaaa0001", "bbbb0002"])
        #expect(events[1].prevHash == events[0].hash)
        #expect(events[0].prevHash == EventHash.genesis)
        #expect(events[0].actor["pid"]?.int == Int64(getpid()))
        // `at` is UTC ISO-8601 with milliseconds.
        #expect(events[0].at.count == 24 && events[0].at.hasSuffix("Z"))

        // The script text is in the log, content-addressed.
        let connection = try Connection(path: fixture.database, mode: .readOnly)
        let address = try #require(events[2].detail["script"]?.string)
        let text = try ScriptArchive(connection: connection).text(at: address)
        #expect(text?.contains("INSERT INTO b VALUES (1)") == true)
    }

    /// The plan's scripts are stored with its start event, not by each step: a step's commit
    /// leaves the archive alone, and the text of a step that fails is stored all the same.
    @Test func thePlansScriptsAreArchivedWithItsStart() throws {
        let fixture = try WriterFixture(journal: .delete)
        fixture.script("aaaa0001", up: "CREATE TABLE a (x);")
        fixture.script("bbbb0002", revises: "aaaa0001", up: "INSERT INTO nowhere VALUES (1);")
        fixture.script("cccc0003", revises: "bbbb0002", up: "CREATE TABLE c (x);")
        #expect(throws: StrataError.self) { try fixture.migrator(noBackup).upgrade() }
        let connection = try Connection(path: fixture.database, mode: .readOnly)
        let archive = ScriptArchive(connection: connection)
        for script in try fixture.migrations().scripts {
            let text = try #require(script.source)
            #expect(try archive.text(at: ScriptArchive.address(of: text)) == text, "\(script.id)")
        }
        let events = try fixture.events()
        #expect(events.map(\.kind) == [.upgradeStarted, .migrationApplied, .migrationFailed])
        #expect(try archive.text(at: events[1].detail["script"]?.string ?? "")?.contains("CREATE TABLE a") == true)
    }

    @Test func aBootAtHeadWritesNothing() throws {
        let fixture = try WriterFixture(journal: .delete)
        fixture.script("aaaa0001", up: "CREATE TABLE a (x);")
        try fixture.migrator(noBackup).upgrade()
        let before = try Data(contentsOf: URL(fileURLWithPath: fixture.database))
        let report = try fixture.migrator(noBackup).upgrade()
        #expect(report.steps.isEmpty)
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.database)) == before)
        #expect(try fixture.events().count == 3)
    }

    @Test func aFailureIsRolledBackThenRecordedWithStatusFailed() throws {
        let fixture = try WriterFixture()
        fixture.script("aaaa0001", up: "CREATE TABLE a (x);")
        fixture.script("bbbb0002", revises: "aaaa0001", up: "CREATE TABLE b (x);\nINSERT INTO nope VALUES (1);")
        #expect(throws: StrataError.self) { try fixture.migrator(noBackup).upgrade() }
        let events = try fixture.events()
        #expect(events.map(\.kind) == [.upgradeStarted, .migrationApplied, .migrationFailed])
        let failed = events[2]
        #expect(failed.status == .failed && failed.revision == "bbbb0002" && failed.heads == ["aaaa0001"])
        #expect(failed.detail["statement"] == 2)
        #expect(failed.detail["sql"]?.string?.contains("INSERT INTO nope") == true)
        let store = try SQLiteStore(path: fixture.database)
        #expect(try store.state().status == .failed)
        #expect(try store.connection.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'b'") == .integer(0))

        // The fixed script runs, and the status is idle again.
        fixture.script("bbbb0002", revises: "aaaa0001", up: "CREATE TABLE b (x);")
        try fixture.migrator(noBackup).upgrade()
        #expect(try store.state().status == .idle)
        #expect(try fixture.events().last?.kind == .upgradeCompleted)
    }

    @Test func downgradeAndStampAreRecorded() throws {
        let fixture = try WriterFixture()
        fixture.script("aaaa0001", up: "CREATE TABLE a (x);", down: "DROP TABLE a;")
        fixture.script("bbbb0002", revises: "aaaa0001", up: "CREATE TABLE b (x);", down: "DROP TABLE b;")
        let migrator = try fixture.migrator(noBackup)
        try migrator.upgrade()
        try migrator.downgrade(to: "aaaa0001")
        try migrator.stamp(["heads"])
        let kinds = try fixture.events().map(\.kind)
        #expect(kinds.suffix(4) == [.downgradeStarted, .migrationReverted, .downgradeCompleted, .stamped])
        #expect(try fixture.events().last?.heads == ["bbbb0002"])
        #expect(try Verifier(store: SQLiteStore(path: fixture.database), migrations: fixture.migrations()).verify().ok)
    }

    @Test func aLockLeftByADeadProcessIsTakenOverAndRecorded() throws {
        let fixture = try WriterFixture()
        fixture.script("aaaa0001", up: "CREATE TABLE a (x);")
        let store = try SQLiteStore(path: fixture.database)
        try store.prepareSchema()
        // pid 2^22 + 1 is above Linux's default pid_max, so no process has it.
        try store.connection.execute("""
            INSERT INTO strata_lock VALUES (1, ?, 4194305, 'ghost', 'upgrade', '2026-01-01T00:00:00.000Z', 0)
            """, [.text(EventActor.hostName)])
        try fixture.migrator(noBackup).upgrade()
        let events = try fixture.events()
        #expect(events.first?.kind == .recovered)
        #expect(events.first?.detail["previous_owner"]?["pid"] == 4194305)
        #expect(try store.connection.scalar("SELECT count(*) FROM strata_lock") == .integer(0))
    }

    @Test func replayIntoAFreshFileRebuildsTheSchema() throws {
        let fixture = try WriterFixture()
        fixture.script("aaaa0001", up: "CREATE TABLE a (x); CREATE INDEX a_x ON a (x);", down: "DROP TABLE a;")
        fixture.script("bbbb0002", revises: "aaaa0001", up: "ALTER TABLE a ADD COLUMN y TEXT;", down: "ALTER TABLE a DROP COLUMN y;")
        let migrator = try fixture.migrator()
        try migrator.upgrade()
        try migrator.downgrade(to: "aaaa0001")
        try migrator.upgrade()
        // The files are gone: the log alone replays history.
        try FileManager.default.removeItem(atPath: fixture.migrationsPath)
        let outcome = try LogReplay(source: SQLiteStore(path: fixture.database, readOnly: true))
            .replay(into: fixture.directory.file("replayed.db"))
        #expect(outcome.replayed == 4)  // two up, one down, one up again
        #expect(outcome.schemaDifferences.isEmpty)
        #expect(try SQLiteStore(path: fixture.directory.file("replayed.db")).heads() == ["bbbb0002"])
    }

    @Test func replayNamesEachSkippedSwiftRevisionOnce() throws {
        let fixture = try WriterFixture()
        fixture.script("aaaa0001", up: "CREATE TABLE a (x);", down: "DROP TABLE a;")
        let swift = try MigrationScript.swift(id: "ssss0002", revises: ["aaaa0001"],
                                              upgrade: { try $0.execute("INSERT INTO a VALUES (1)") },
                                              downgrade: { try $0.execute("DELETE FROM a") })
        let migrations = try MigrationSet.load(directory: fixture.migrationsPath, swiftRevisions: [swift])
        let migrator = Migrator(store: try SQLiteStore(path: fixture.database), migrations: migrations, options: noBackup)
        try migrator.upgrade()
        try migrator.downgrade(to: "aaaa0001")
        try migrator.upgrade()
        let outcome = try LogReplay(source: SQLiteStore(path: fixture.database, readOnly: true)).replay(into: ":memory:")
        // Applied, reverted and applied again: three skipped events, one name.
        #expect(outcome.skipped == ["ssss0002"])
        #expect(outcome.replayed == 1)
    }

    @Test func snapshotTakenPrecedesTheMigrationItGuards() throws {
        let fixture = try WriterFixture()
        fixture.script("aaaa0001", up: "CREATE TABLE a (x); INSERT INTO a VALUES (1);", down: "DROP TABLE a;")
        fixture.script("bbbb0002", revises: "aaaa0001", up: "UPDATE a SET x = 2;", down: "UPDATE a SET x = 1;")
        try fixture.migrator().upgrade()
        let events = try fixture.events()
        #expect(events.map(\.kind) == [.upgradeStarted, .snapshotTaken, .migrationApplied, .snapshotTaken, .migrationApplied, .upgradeCompleted])
        let taken = events[3]
        #expect(taken.revision == "bbbb0002" && taken.heads == ["aaaa0001"])
        #expect(taken.detail["rows"] == 1)
        #expect(taken.detail["tables"]?.array?.first?["name"]?.string == "a")
        #expect(events[4].detail["snapshot"] == taken.detail["snapshot"])
        let catalog = SnapshotCatalog(connection: try Connection(path: fixture.database, mode: .readOnly))
        let snapshot = try #require(try catalog.snapshot(taken.detail["snapshot"]!.int!))
        #expect(snapshot.eventSeq == taken.seq && snapshot.revision == "bbbb0002")
        #expect(snapshot.table("a")?.existed == true)
        // The first migration created `a`: its snapshot records that `a` did not exist.
        #expect(try catalog.snapshot(1)?.table("a")?.existed == false)
    }
}
