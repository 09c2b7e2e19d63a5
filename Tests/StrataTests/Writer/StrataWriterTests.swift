import Foundation
import Logging
import ServiceLifecycle
import Testing
@testable import Strata
import StrataLifecycle

@Suite struct StrataWriterTests {
    @Test func upgradeOnBootReturnsAReport() async throws {
        let fixture = try WriterFixture()
        fixture.script("aaaa0001", up: "CREATE TABLE a (x);")
        let writer = try StrataWriter(databasePath: fixture.database, migrationsDirectory: fixture.migrationsPath)
        let report = try await writer.upgrade()
        #expect(report.after == ["aaaa0001"] && report.steps.count == 1)
        let again = try await writer.upgrade()
        #expect(again.steps.isEmpty)
    }

    /// Records whether the database was at head when it started.
    struct ProbeService: Service {
        let database: String
        let started: Recorder
        func run() async throws {
            await started.record(try SQLiteStore(path: database, readOnly: true).heads())
        }
    }

    actor Recorder {
        var heads: [String]?
        func record(_ heads: [String]) { self.heads = heads }
    }

    @Test func theServiceStartsOnlyAfterTheUpgrade() async throws {
        let fixture = try WriterFixture()
        fixture.script("aaaa0001", up: "CREATE TABLE a (x);")
        let recorder = Recorder()
        let writer = try StrataWriter(databasePath: fixture.database, migrationsDirectory: fixture.migrationsPath)
        let service = MigratingService(writer: writer, running: ProbeService(database: fixture.database, started: recorder))
        // The probe returns at once; that ends the group gracefully instead of as a failure.
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)],
            logger: Logger(label: "test")))
        try await group.run()
        #expect(await recorder.heads == ["aaaa0001"])
    }

    @Test func aFailedUpgradeNeverStartsTheService() async throws {
        let fixture = try WriterFixture()
        fixture.script("aaaa0001", up: "CREATE TABLE a (x); SELECT * FROM nowhere;")
        let recorder = Recorder()
        let writer = try StrataWriter(databasePath: fixture.database, migrationsDirectory: fixture.migrationsPath)
        let service = MigratingService(writer: writer, running: ProbeService(database: fixture.database, started: recorder))
        let group = ServiceGroup(configuration: .init(services: [service], logger: Logger(label: "test")))
        await #expect(throws: (any Error).self) { try await group.run() }
        #expect(await recorder.heads == nil)
    }
}
