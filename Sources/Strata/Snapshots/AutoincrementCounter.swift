/// AUTOINCREMENT promises that a table never hands out a rowid twice, not even one whose row
/// was deleted. A restore that replaces such a table keeps the promise: the restored table's
/// counter (its row in `sqlite_sequence`) becomes the larger of the replaced table's and its
/// own largest restored rowid, so the rows written after the restore do not take the ids of
/// rows the restore removed.
enum AutoincrementCounter {
    /// Carries the counter of `replaced` (still there, set aside) over to `restored`, if both
    /// count: `replaced` has a counter and `restored` is declared AUTOINCREMENT.
    static func carryOver(from replaced: String, to restored: String, in connection: Connection) throws {
        guard try connection.tableExists("sqlite_sequence"),
              let previous = try connection.scalar("SELECT seq FROM main.sqlite_sequence WHERE name = ?", [.text(replaced)])?.integer,
              connection.isAutoincrement(table: restored)
        else { return }
        try connection.execute("UPDATE main.sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", [.integer(previous), .text(restored)])
        // No row yet: no row was restored (SQLite adds it at the first insert).
        if connection.changes == 0 {
            try connection.execute("INSERT INTO main.sqlite_sequence (name, seq) VALUES (?, ?)", [.text(restored), .integer(previous)])
        }
    }
}
