/// Connection settings a restore changes for its duration, put back afterwards (the
/// connection may serve other work next).
enum RestoreSettings {
    /// - `secure_delete = FAST`: with it on (Debian's and Apple's builds), every page a DROP
    ///   frees is journaled and then zeroed: the old tables' whole size written twice more. The
    ///   undo snapshot keeps those very rows in this file, so zeroing them would hide nothing.
    ///   FAST still clears deleted cells inside pages, just not whole freed pages.
    /// - `threads = 2`: CREATE INDEX sorts on a helper thread too (about a fifth faster here).
    /// - `ignore_check_constraints = ON`: the rows go back as they were, also a row that breaks
    ///   a CHECK (written with the checks ignored, or before the CHECK was declared as it now
    ///   reads); otherwise one such row would make the snapshot impossible to restore.
    static func applying<T>(to connection: Connection, _ body: () throws -> T) throws -> T {
        let secureDelete = try connection.scalar("PRAGMA main.secure_delete")?.integer ?? 0
        let threads = try connection.scalar("PRAGMA threads")?.integer ?? 0
        let ignoreChecks = try connection.scalar("PRAGMA ignore_check_constraints")?.integer ?? 0
        try connection.execute("PRAGMA main.secure_delete = FAST")
        try connection.execute("PRAGMA threads = 2")
        try connection.execute("PRAGMA ignore_check_constraints = ON")
        defer {
            try? connection.execute("PRAGMA main.secure_delete = \(secureDelete == 2 ? "FAST" : secureDelete == 0 ? "OFF" : "ON")")
            try? connection.execute("PRAGMA threads = \(threads)")
            try? connection.execute("PRAGMA ignore_check_constraints = \(ignoreChecks == 0 ? "OFF" : "ON")")
        }
        return try body()
    }
}
