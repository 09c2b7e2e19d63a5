import Foundation
import Logging
import ServiceLifecycle
import Testing
@testable import Strata
import StrataLifecycle

/// A writer's scripts a → b (→ c with `newer`), and a reader that ships a → b.
private struct ReaderSetup {
    let fixture: WriterFixture
    var readerMigrations: String { fixture.directory.path + "/ReaderMigrations" }

    init(journal: JournalMode = .wal, newer: Bool = false, failing: Bool = false) throws {
        fixture = try WriterFixture(journal: journal)
        try FileManager.default.createDirectory(atPath: readerMigrations, withIntermediateDirectories: true)
        script("aaaa0001", up: "CREATE TABLE a (x);")
        script("bbbb0002", revises: "aaaa0001", up: failing ? "CREATE TABLE b (x); INSERT INTO nowhere VALUES (1);" : "CREATE TABLE b (x);")
        if newer { fixture.script("cccc0003", revises: "bbbb0002", up: "CREATE TABLE c (x);") }
    }

    /// A script both the writer and the reader ship.
    func script(_ id: String, revises parent: String? = nil, up: String) {
        fixture.script(id, revises: parent, up: up)
        try! FileManager.default.copyItem(atPath: fixture.migrationsPath + "/\(id).sql", toPath: readerMigrations + "/\(id).sql")
    }

    func reader(path: String? = nil, heads: [String]? = nil, allowAhead: Bool = false) throws -> StrataReader {
        try StrataReader(databasePath: path ?? fixture.database, migrationsDirectory: readerMigrations,
                         heads: heads, allowAhead: allowAhead, logger: nil)
    }
}

@Suite struct ReaderClassificationTests {
    @Test(arguments: JournalMode.allCases)
    func atHeadReturnsAtOnce(journal: JournalMode) async throws {
        let setup = try ReaderSetup(journal: journal)
        try setup.fixture.migrator().upgrade()
        let found = try await setup.reader().waitForHead(timeout: .seconds(30))
        #expect(found.verdict == .atHead && found.heads == ["bbbb0002"] && found.status == .idle)
    }

    @Test func aMissingFileAndMissingTablesReadAsBehind() async throws {
        let setup = try ReaderSetup()
        let missing = try await setup.reader(path: setup.fixture.directory.file("later.db")).classify()
        #expect(missing.verdict == .behind && !missing.databaseExists && missing.pending == ["aaaa0001", "bbbb0002"])
        // The fixture's file exists but has no Strata tables yet.
        let empty = try await setup.reader().classify()
        #expect(empty.verdict == .behind && empty.databaseExists && empty.heads.isEmpty)
    }

    @Test func partWayIsBehindWithThePendingRevisions() async throws {
        let setup = try ReaderSetup()
        try setup.fixture.migrator().upgrade(to: "aaaa0001")
        let found = try await setup.reader().classify()
        #expect(found.verdict == .behind && found.pending == ["bbbb0002"])
    }

    @Test func aFailedWriterThrowsAtOnceWithRevisionAndError() async throws {
        let setup = try ReaderSetup(failing: true)
        #expect(throws: StrataError.self) { try setup.fixture.migrator().upgrade() }
        let found = try await setup.reader().classify()
        #expect(found.verdict == .writerFailed && found.failedRevision == "bbbb0002")
        #expect(found.failureMessage?.contains("nowhere") == true)
        let error = await #expect(throws: StrataError.self) { try await setup.reader().waitForHead(timeout: .seconds(30)) }
        #expect(error?.code == .migrationFailed)
        #expect(error?.message.contains("bbbb0002") == true && error?.message.contains("nowhere") == true)
    }

    @Test func aNewerDatabaseIsAheadNamingTheRevisionsTheReaderDoesNotKnow() async throws {
        let setup = try ReaderSetup(newer: true)
        try setup.fixture.migrator().upgrade()
        let found = try await setup.reader().classify()
        #expect(found.verdict == .ahead && found.foreignRevisions == ["cccc0003"])
        let error = await #expect(throws: StrataError.self) { try await setup.reader().waitForHead(timeout: .seconds(30)) }
        #expect(error?.code == .databaseState && error?.message.contains("cccc0003") == true)
        let allowed = try await setup.reader(allowAhead: true).waitForHead(timeout: .seconds(30))
        #expect(allowed.verdict == .ahead && allowed.heads == ["cccc0003"])
    }

    @Test func explicitHeadsBehindTheDatabaseAreAheadToo() async throws {
        let setup = try ReaderSetup()
        try setup.fixture.migrator().upgrade()
        let found = try await setup.reader(heads: ["aaaa"]).classify()
        #expect(found.readerHeads == ["aaaa0001"] && found.verdict == .ahead && found.foreignRevisions == ["bbbb0002"])
    }

    @Test func aStampedForeignRevisionIsUnknown() async throws {
        let setup = try ReaderSetup()
        try setup.fixture.migrator().upgrade()
        let writer = try Connection(path: setup.fixture.database)
        try writer.execute("UPDATE strata_version SET version_num = 'ffff9999'")
        let found = try await setup.reader().classify()
        #expect(found.verdict == .unknownRevision && found.foreignRevisions == ["ffff9999"])
        let error = await #expect(throws: StrataError.self) { try await setup.reader().waitForHead(timeout: .seconds(30)) }
        #expect(error?.code == .databaseState && error?.message.contains("ffff9999") == true)
    }
}

@Suite struct ReaderWaitTests {
    @Test(arguments: JournalMode.allCases)
    func waitsForTheWriterAndReturnsOnlyAtHead(journal: JournalMode) async throws {
        let setup = try ReaderSetup(journal: journal)
        let reader = try setup.reader()
        let database = setup.fixture.database
        let waiting = Task { try await reader.waitForHead(timeout: .seconds(60)) }
        try setup.fixture.migrator().upgrade()
        let found = try await waiting.value
        #expect(found.verdict == .atHead && found.heads == ["bbbb0002"] && found.lastEvent?.kind == .upgradeCompleted)
        let state = try SQLiteStore(path: database, readOnly: true).state()
        #expect(state.heads == ["bbbb0002"] && state.status == .idle)
    }

    @Test func waitsForTheFileToBeCreated() async throws {
        let setup = try ReaderSetup()
        let later = setup.fixture.directory.file("later.db")
        let reader = try setup.reader(path: later)
        let waiting = Task { try await reader.waitForHead(timeout: .seconds(60)) }
        let migrator = Migrator(store: try SQLiteStore(path: later), migrations: try setup.fixture.migrations())
        try migrator.upgrade()
        #expect(try await waiting.value.heads == ["bbbb0002"])
    }

    /// A journal that looks hot to a read-only connection (what SQLite's check can see as a
    /// writer begins a transaction, more often with a journal kept between commits) makes the
    /// reader look again, not fail; once the writer's commit zeroes the header, it reads.
    @Test func aJournalThatLooksHotMakesTheReaderLookAgain() async throws {
        let setup = try ReaderSetup(journal: .delete)
        try setup.fixture.migrator().upgrade()
        try writeJournalThatLooksHot(beside: setup.fixture.database)
        let error = #expect(throws: (any Error).self) { try Connection(path: setup.fixture.database, mode: .readOnly, busyTimeout: .zero).dataVersion() }
        #expect(error.map(SQLiteError.isBusyForReader) == true, "\(String(describing: error))")

        let reader = try setup.reader()
        let waiting = Task { try await reader.waitForHead(timeout: .seconds(60)) }
        try await Task.sleep(for: .milliseconds(300))
        try zeroJournalHeader(beside: setup.fixture.database)  // the writer's commit
        let found = try await waiting.value
        #expect(found.heads == ["bbbb0002"] && found.verdict == .atHead)
    }

    @Test func aDatabaseDeletedAndCreatedAgainIsReadAfresh() async throws {
        let setup = try ReaderSetup(journal: .delete)
        try setup.fixture.migrator().upgrade(to: "aaaa0001")
        let reader = try setup.reader()
        let waiting = Task { try await reader.waitForHead(timeout: .seconds(60)) }
        // The reader has the old file open (or soon will); replace it with a new one.
        try await Task.sleep(for: .milliseconds(50))
        try FileManager.default.removeItem(atPath: setup.fixture.database)
        try setup.fixture.migrator().upgrade()
        let found = try await waiting.value
        #expect(found.heads == ["bbbb0002"] && found.verdict == .atHead)
    }

    @Test func timesOutWithTheStateItSaw() async throws {
        let setup = try ReaderSetup()
        try setup.fixture.migrator().upgrade(to: "aaaa0001")
        let error = await #expect(throws: StrataError.self) {
            try await setup.reader().waitForHead(timeout: .milliseconds(200))
        }
        #expect(error?.code == .timeout && error?.message.contains("bbbb0002") == true)
    }

    @Test func cancellationStopsTheWait() async throws {
        let setup = try ReaderSetup()
        let reader = try setup.reader(path: setup.fixture.directory.file("never.db"))
        let waiting = Task { try await reader.waitForHead() }
        try await Task.sleep(for: .milliseconds(50))
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
    }

    @Test func theEventTailDeliversAppendedEventsLive() async throws {
        let setup = try ReaderSetup()
        let tail = try setup.reader().events(after: 0)
        let collecting = Task {
            var kinds: [EventKind] = []
            for try await event in tail {
                kinds.append(event.kind)
                if event.kind == .upgradeCompleted { break }
            }
            return kinds
        }
        try setup.fixture.migrator().upgrade()
        let kinds = try await collecting.value
        #expect(kinds.first == .upgradeStarted && kinds.last == .upgradeCompleted)
        #expect(kinds.filter { $0 == .migrationApplied }.count == 2)
        // From a seq: only what follows it, filtered.
        var after: [Int64] = []
        for try await event in EventTail(databasePath: setup.fixture.database, after: 1,
                                         filter: LogQuery(kinds: [.migrationApplied])) {
            after.append(event.seq)
            if after.count == 2 { break }
        }
        #expect(after.allSatisfy { $0 > 1 } && after.count == 2)
    }

    /// A database deleted and created again holds a log of its own: the tail delivers it from
    /// its first event, not from the old file's last seq.
    @Test func theEventTailFollowsAReplacedFileFromItsStart() async throws {
        let setup = try ReaderSetup(journal: .delete)
        try setup.fixture.migrator().upgrade()
        let old = try EventLog(connection: Connection(path: setup.fixture.database, mode: .readOnly)).last()!.seq
        let tail = EventTail(databasePath: setup.fixture.database, after: 0)
        let collecting = Task {
            var seqs: [Int64] = []
            for try await event in tail {
                seqs.append(event.seq)
                if seqs.count == Int(old) + 1 { break }  // the old log, then the new one's first
            }
            return seqs
        }
        try await Task.sleep(for: .milliseconds(200))
        for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: setup.fixture.database + suffix) }
        try setup.fixture.migrator().upgrade(to: "aaaa0001")
        // Without the new file's first event the tail would wait for ever: a deadline instead.
        let deadline = Task { try await Task.sleep(for: .seconds(60)); collecting.cancel() }
        defer { deadline.cancel() }
        let seqs = try await collecting.value
        #expect(seqs == Array(1...old) + [1], "\(seqs)")
    }

    @Test func logQueryFiltersAndLimits() throws {
        let setup = try ReaderSetup()
        try setup.fixture.migrator().upgrade()
        let connection = try Connection(path: setup.fixture.database, mode: .readOnly)
        let applied = try LogQuery(kinds: [.migrationApplied]).events(in: connection)
        #expect(applied.map(\.revision) == ["aaaa0001", "bbbb0002"])
        #expect(try LogQuery(revision: "bbbb0002", limit: 1).events(in: connection).map(\.kind) == [.migrationApplied])
        let all = try LogQuery().events(in: connection)
        #expect(try LogQuery(limit: 2).events(in: connection) == Array(all.suffix(2)))
    }

    /// Records that it ran, and the database's heads when it did.
    struct ProbeService: Service {
        let database: String
        let ran: Recorder
        func run() async throws { await ran.record(try SQLiteStore(path: database, readOnly: true).heads()) }
    }

    actor Recorder {
        var heads: [String]?
        func record(_ heads: [String]) { self.heads = heads }
    }

    @Test func theWaitingServiceStartsTheServerOnlyAtHead() async throws {
        let setup = try ReaderSetup()
        let recorder = Recorder()
        let service = WaitingService(reader: try setup.reader(), timeout: .seconds(60),
                                     running: ProbeService(database: setup.fixture.database, ran: recorder))
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)],
            logger: Logger(label: "test")))
        let running = Task { try await group.run() }
        try setup.fixture.migrator().upgrade()
        try await running.value
        #expect(await recorder.heads == ["bbbb0002"])
    }

    @Test func theWaitingServiceNeverStartsOnAFailedWriter() async throws {
        let setup = try ReaderSetup(failing: true)
        #expect(throws: StrataError.self) { try setup.fixture.migrator().upgrade() }
        let recorder = Recorder()
        let service = WaitingService(reader: try setup.reader(), running: ProbeService(database: setup.fixture.database, ran: recorder))
        let group = ServiceGroup(configuration: .init(services: [service], logger: Logger(label: "test")))
        await #expect(throws: (any Error).self) { try await group.run() }
        #expect(await recorder.heads == nil)
    }
}
