/// Keeps a rollback journal file between commits while this process holds the writer lock.
///
/// In SQLite's default `DELETE` mode each commit deletes the `-journal` file and the next
/// transaction creates it again, and SQLite syncs the folder after each creation so the new
/// file's name is durable: for a run of migrations that is an unlink, a create and a folder
/// sync per migration, on top of the syncs of the journal and the database. `PERSIST` zeroes
/// the journal's header at commit instead of the unlink (synced, so the commit stays as durable and atomic: a
/// journal with a zeroed header is not hot and is never played back). SQLite's documentation
/// describes `PERSIST` as an optimisation for exactly this, where deleting a file costs more
/// than overwriting its first block. Measured: 200 migrations applied in 250 ms instead of 309
/// (Docs/benchmarks.md).
///
/// Only a connection in `DELETE` mode is switched, and it is switched back when the lock is
/// released, which deletes the file. WAL files, and any other mode a user chose, are left
/// alone. A writer killed in between leaves a journal whose header is zeroed (nothing to roll
/// back); the next commit in any mode reuses it.
///
/// `PERSIST` alone still has SQLite sync the folder each time it reopens the journal; while it
/// is kept, Strata's VFS reopens it without `O_CREAT`, which spares that (`KeptJournalVFS`).
struct PersistentJournal {
    /// The journal's path as `KeptJournalVFS` knows it.
    private let kept: String?

    /// Switches `connection` to `PERSIST` if it is in `DELETE` mode; `nil` when it did not.
    static func begin(on connection: Connection) throws -> PersistentJournal? {
        guard try connection.journalMode() == "delete", try connection.setJournalMode("persist") == "persist" else { return nil }
        return PersistentJournal(kept: KeptJournalVFS.keep(journalOf: connection))
    }

    /// Back to `DELETE`, which deletes the journal file. SQLite keeps the file instead when
    /// another connection holds a write lock at that moment; its next commit deletes it.
    func end(on connection: Connection) throws {
        abandon()
        try connection.setJournalMode("delete")
    }

    /// For a store dropped while it held the lock: its connection closes in `PERSIST` mode
    /// (the zeroed journal stays, as after a crash), and the VFS no longer counts the journal
    /// as kept by this process.
    func abandon() {
        if let kept { KeptJournalVFS.release(kept) }
    }
}
