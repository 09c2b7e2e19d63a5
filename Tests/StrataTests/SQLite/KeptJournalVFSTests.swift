import Foundation
import Testing
import StrataCSQLite
@testable import Strata

/// `KeptJournalVFS`: which journals it reopens without `O_CREAT`. That it spares the folder
/// syncs is judged from outside, with strace (`FolderSyncTests`).
@Suite struct KeptJournalVFSTests {
    let directory = TemporaryDirectory("vfs")

    @Test func connectionsOpenThroughStrataVFS() throws {
        _ = try Connection(path: directory.file("test.db"))
        #expect(KeptJournalVFS.isRegistered)
        #expect(sqlite3_vfs_find(KeptJournalVFS.name) != nil)
    }

    @Test func aJournalIsKeptUntilEveryKeeperReleasedIt() throws {
        let first = try Connection(path: directory.file("test.db"))
        let second = try Connection(path: directory.file("test.db"))
        let journal = try #require(KeptJournalVFS.keep(journalOf: first))
        #expect(journal == directory.file("test.db") + "-journal")
        #expect(KeptJournalVFS.keep(journalOf: second) == journal)
        KeptJournalVFS.release(journal)
        #expect(KeptJournalVFS.isKept(journal))
        KeptJournalVFS.release(journal)
        #expect(!KeptJournalVFS.isKept(journal))
    }

    /// A zeroed journal left beside the file (a writer killed while it kept one): kept and
    /// reused as it is, its folder synced once.
    @Test func aJournalThatExistsAlreadyIsReused() throws {
        let database = directory.file("test.db")
        let connection = try Connection(path: database)
        try connection.execute("CREATE TABLE t (x)")
        #expect(FileManager.default.createFile(atPath: database + "-journal", contents: Data(count: 4096)))
        #expect(try connection.setJournalMode("persist") == "persist")
        let journal = try #require(KeptJournalVFS.keep(journalOf: connection))
        defer { KeptJournalVFS.release(journal) }
        for value in 1...3 { try connection.execute("INSERT INTO t VALUES (?)", [.integer(Int64(value))]) }
        let header = try #require(FileManager.default.contents(atPath: journal))
        #expect(header.prefix(28).allSatisfy { $0 == 0 })
        let judge = try Connection(path: database, mode: .readOnly)
        #expect(try judge.scalar("SELECT count(*) FROM t")?.integer == 3)
        #expect(try judge.scalar("PRAGMA integrity_check")?.text == "ok")
    }
}
