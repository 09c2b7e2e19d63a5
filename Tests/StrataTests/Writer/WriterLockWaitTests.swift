import Foundation
import Testing
@testable import Strata

/// The writer lock is waited for up to its timeout, also while another connection's write
/// transaction outlasts the busy timeout (an application's long write, or a writer without
/// Strata): BEGIN IMMEDIATE reports busy, and the wait goes on.
@Suite struct WriterLockWaitTests {
    @Test func aWriterWaitsOutAnotherConnectionsLongTransaction() throws {
        let fixture = try WriterFixture(journal: .delete)
        let store = try SQLiteStore(path: fixture.database, busyTimeout: .milliseconds(50))
        try store.prepareSchema()
        nonisolated(unsafe) let other = try Connection(path: fixture.database)
        try other.execute("BEGIN IMMEDIATE")
        let released = DispatchSemaphore(value: 0)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) {
            try? other.execute("ROLLBACK")
            released.signal()
        }
        _ = try store.acquireLock(operation: "test", timeout: .seconds(60))
        released.wait()
        #expect(try store.connection.scalar("SELECT operation FROM strata_lock")?.text == "test")
        try store.releaseLock()
    }
}
