import Foundation
import Testing
@testable import Strata

/// Consecutive steps under one writer lock skip re-reading the version table and the log's
/// tail only while nothing else wrote: each write in between must still be seen.
@Suite struct StepMarkTests {
    private struct Steps {
        let fixture: WriterFixture
        let store: SQLiteStore
        let migrations: MigrationSet
        let plan: [MigrationStep]

        init(journal: JournalMode = .wal) throws {
            fixture = try WriterFixture(journal: journal)
            fixture.script("aaaa0001", up: "CREATE TABLE a (x);")
            fixture.script("bbbb0002", revises: "aaaa0001", up: "CREATE TABLE b (x);")
            fixture.script("cccc0003", revises: "bbbb0002", up: "INSERT INTO a VALUES (1);")
            store = try SQLiteStore(path: fixture.database)
            migrations = try fixture.migrations()
            try store.prepareSchema()
            _ = try store.acquireLock(operation: "test", timeout: .seconds(5))
            plan = try migrations.graph.upgradePlan(current: [], target: "heads")
        }

        func run(_ index: Int) throws {
            let step = plan[index]
            _ = try store.run(step, of: migrations.plannedScript(step.revision), backup: .touched) { _ in
                [NewEvent(.migrationApplied, revision: step.revision, status: .migrating, heads: step.headsAfter)]
            }
        }

        func chainHolds() throws -> Bool {
            var previous = EventHash.genesis
            var seq: Int64 = 0
            var holds = true
            try EventLog(connection: store.connection).forEach { event in
                seq += 1
                holds = holds && event.seq == seq && event.prevHash == previous && EventHash.hash(of: event) == event.hash
                previous = event.hash
            }
            return holds
        }
    }

    @Test func consecutiveStepsChainTheirEvents() throws {
        let steps = try Steps()
        for index in steps.plan.indices { try steps.run(index) }
        #expect(try steps.store.heads() == ["cccc0003"])
        #expect(try steps.chainHolds())
    }

    @Test(arguments: JournalMode.allCases)
    func anotherConnectionMovingTheVersionTableIsSeen(journal: JournalMode) throws {
        let steps = try Steps(journal: journal)
        try steps.run(0)
        try Connection(path: steps.fixture.database).execute("UPDATE strata_version SET version_num = 'bbbb0002'")
        #expect(throws: StrataError.self) { try steps.run(1) }
    }

    @Test func thisConnectionMovingTheVersionTableIsSeen() throws {
        let steps = try Steps()
        try steps.run(0)
        try steps.store.connection.execute("DELETE FROM strata_version")
        #expect(throws: StrataError.self) { try steps.run(1) }
    }

    @Test(arguments: JournalMode.allCases)
    func anEventAppendedInBetweenIsChainedAfter(journal: JournalMode) throws {
        let steps = try Steps(journal: journal)
        try steps.run(0)
        let other = try Connection(path: steps.fixture.database)
        _ = try other.transaction(.immediate) {
            try EventLog(connection: other).append(NewEvent(.stamped, status: .idle, heads: ["aaaa0001"]))
        }
        try steps.run(1)
        try steps.store.append([NewEvent(.stamped, status: .idle, heads: ["bbbb0002"])])
        try steps.run(2)
        #expect(try steps.chainHolds())
        // Each step logs its snapshot and itself; two stamps came in between.
        #expect(try steps.fixture.events().count == 8)
    }

    @Test func aFailedStepLeavesNoMark() throws {
        let steps = try Steps()
        try steps.run(0)
        // The step fails after appending its event; the rolled-back tail must not be reused.
        let step = steps.plan[1]
        #expect(throws: (any Error).self) {
            _ = try steps.store.run(step, of: steps.migrations.plannedScript(step.revision), backup: .touched) { _ in
                throw StrataError(.sqlite, "refused")
            }
        }
        try steps.run(1)
        try steps.run(2)
        #expect(try steps.chainHolds())
    }
}
