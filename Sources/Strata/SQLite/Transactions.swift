import StrataCSQLite

extension Connection {
    public enum TransactionKind: String, Sendable {
        case deferred = "DEFERRED"
        /// Takes the write lock at BEGIN, so two writers serialise there (waiting up to the busy
        /// timeout) instead of failing at their first write.
        case immediate = "IMMEDIATE"
        case exclusive = "EXCLUSIVE"
    }

    /// Runs `body` in a transaction: committed if it returns, rolled back if it throws.
    /// BEGIN and COMMIT fail as `SQLiteError`s (busy, disk full): they are not statements of
    /// any script.
    public func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        try control("BEGIN \(kind.rawValue)")
        let result: T
        do {
            result = try body()
        } catch {
            rollbackQuietly()
            throw error
        }
        do {
            try control("COMMIT")
        } catch {
            rollbackQuietly()
            throw error
        }
        return result
    }

    private func control(_ sql: String) throws {
        do {
            try execute(sql)
        } catch let failed as ScriptStatementError {
            throw failed.underlying
        }
    }

    /// Runs `body` inside a savepoint: released if it returns, rolled back to if it throws.
    /// Works inside or outside a transaction.
    public func savepoint<T>(_ name: String = "strata", _ body: () throws -> T) throws -> T {
        let quoted = quoteIdentifier(name)
        try execute("SAVEPOINT \(quoted)")
        do {
            let result = try body()
            try execute("RELEASE \(quoted)")
            return result
        } catch {
            // ROLLBACK TO leaves the savepoint on the stack; RELEASE pops it.
            try? execute("ROLLBACK TO \(quoted)")
            try? execute("RELEASE \(quoted)")
            throw error
        }
    }

    /// Rolls back if a transaction is open. "If certain kinds of errors occur within a
    /// transaction, the transaction may or may not be rolled back automatically", so check.
    public func rollbackQuietly() {
        if isInTransaction { try? execute("ROLLBACK") }
    }
}

/// Quotes an SQL identifier: wraps it in double quotes and doubles any inside.
public func quoteIdentifier(_ name: String) -> String { quote(name, with: UInt8(ascii: "\"")) }

/// Whether SQLite takes `a` and `b` for the same identifier: ASCII letters ignore case,
/// nothing else does.
func sameIdentifier(_ a: String, _ b: String) -> Bool {
    func fold(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte + 32 : byte }
    return a.utf8.count == b.utf8.count && zip(a.utf8, b.utf8).allSatisfy { fold($0) == fold($1) }
}

/// Quotes an SQL string literal.
public func quoteLiteral(_ text: String) -> String { quote(text, with: UInt8(ascii: "'")) }

/// Wraps `text` in `mark` and doubles every `mark` inside, as bytes: Foundation's
/// `replacingOccurrences` costs ~100k instructions a call, and a snapshot quotes every column.
private func quote(_ text: String, with mark: UInt8) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count + 2)
    bytes.append(mark)
    for byte in text.utf8 {
        bytes.append(byte)
        if byte == mark { bytes.append(mark) }
    }
    bytes.append(mark)
    return String(decoding: bytes, as: UTF8.self)
}
