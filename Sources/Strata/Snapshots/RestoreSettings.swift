/// Connection settings a restore changes for its duration, put back afterwards (the
/// connection may serve other work next).
enum RestoreSettings {
    /// - `secure_delete = FAST`: with it on (Debian's and Apple's builds), every page a DROP
    ///   frees is journaled and then zeroed: the old tables' whole size written twice more. The
    ///   undo snapshot keeps those very rows in this file, so zeroing them would hide nothing.
    ///   FAST still clears deleted cells inside pages, just not whole freed pages.
    /// - `threads = 2`: CREATE INDEX sorts on a helper thread too (about a fifth faster here).
    static func applying<T>(to connection: Connection, _ body: () throws -> T) throws -> T {
        let secureDelete = try connection.scalar("PRAGMA main.secure_delete")?.integer ?? 0
        let threads = try connection.scalar("PRAGMA threads")?.integer ?? 0
        try connection.execute("PRAGMA main.secure_delete = FAST")
        try connection.execute("PRAGMA threads = 2")
        defer {
            try? connection.execute("PRAGMA main.secure_delete = \(secureDelete == 2 ? "FAST" : secureDelete == 0 ? "OFF" : "ON")")
            try? connection.execute("PRAGMA threads = \(threads)")
        }
        return try body()
    }
}
