import Foundation
import Testing
@testable import Strata

/// The writer lock is waited for up to its timeout, also while another connection's write
/// transaction outlasts the busy timeout (an application's long write, or a writer without
/// Strata): BEGIN IMMEDIATE reports busy, and the wait goes on.
@Suite struct WriterLockWaitTests {
    /// Another connection to `database` in `begin`'s transaction, rolled back after half a
    /// second; wait on the result to know it ended.
    func holdLock(_ begin: String, on database: String) throws -> DispatchSemaphore {
        nonisolated(unsafe) let other = try Connection(path: database)
        try other.execute(begin)
        let released = DispatchSemaphore(value: 0)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) {
            try? other.execute("ROLLBACK")
            released.signal()
        }
        return released
    }

    @Test func aWriterWaitsOutAnotherConnectionsLongTransaction() throws {
        let fixture = try WriterFixture(journal: .delete)
        let store = try SQLiteStore(path: fixture.database, busyTimeout: .milliseconds(50))
        try store.prepareSchema()
        let released = try holdLock("BEGIN IMMEDIATE", on: fixture.database)
        _ = try store.acquireLock(operation: "test", timeout: .seconds(60))
        released.wait()
        #expect(try store.connection.scalar("SELECT operation FROM strata_lock")?.text == "test")
        try store.releaseLock()
    }

    /// In rollback-journal mode a long write by another connection locks out even the read a
    /// writer starts with (and opening the store): it waits, within its lock timeout.
    @Test func aWriterWaitsOutAnExclusiveLockAtItsFirstRead() throws {
        let fixture = try WriterFixture(journal: .delete)
        fixture.script("aaaa0001", up: "CREATE TABLE a (x);")
        let released = try holdLock("BEGIN EXCLUSIVE", on: fixture.database)
        let store = try SQLiteStore(path: fixture.database, busyTimeout: .milliseconds(50))
        let report = try Migrator(store: store, migrations: try fixture.migrations(), options: MigratorOptions(lockTimeout: .seconds(60))).upgrade()
        released.wait()
        #expect(report.after == ["aaaa0001"])
    }
}
