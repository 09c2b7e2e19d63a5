import StrataCSQLite

/// What a migration's statements write, learned from SQLite's authorizer as each statement is
/// *prepared* — before it runs. It decides what the snapshot dumps and what the foreign-key
/// check before COMMIT has to look at, so both cost what the migration touches, not what the
/// database holds. The same authorizer keeps a migration from changing Strata's own tables or
/// ending Strata's transaction (`watch(_:refusingTransactionStatements:...)`).
final class TableWrites {
    /// Tables whose rows a statement adds or changes (or that are altered): their own foreign
    /// keys need checking. A table a statement creates is not one: it starts empty, and CREATE
    /// TABLE ... AS SELECT copies rows but no constraints, so only later writes can break it.
    /// (A CREATE TABLE whose statement never reached the observer counts, to be safe.)
    var children: Set<String> { written.union(creating) }
    private var written: Set<String> = []
    /// Tables a CREATE TABLE statement names, until that statement is about to run: one that
    /// exists already (CREATE TABLE IF NOT EXISTS) keeps whatever rows it has, so it is
    /// checked as a child.
    private var creating: [String] = []
    /// Tables whose rows a statement removes or changes, or that are dropped or altered: rows
    /// of other tables that reference them need checking.
    private(set) var parents: Set<String> = []
    /// Every touched table, in the order first seen.
    private(set) var touched: [String] = []
    private var pending: [String] = []

    /// Set when the statement being prepared alters a table (it may be a rename).
    private var altering = false

    /// Why the authorizer refused the last statement it refused, if it did.
    private var refusal: String?
    /// Set while Strata's own statements are prepared (the snapshot's, before a statement
    /// runs): the guards below are for the migration's statements only.
    private var ownStatements = false

    /// Runs `body` with the authorizer and the prepared-statement hook installed. Before each
    /// statement runs, `beforeStatement` gets the tables first touched by it.
    ///
    /// The migration's statements are refused, before they run, when they would write, alter
    /// or drop one of Strata's own tables (`StrataSchema.ownTables`: the log, the snapshots, the lock:
    /// a migration may read them, but changing them would leave Strata unable to work), and,
    /// inside Strata's transaction (`refusingTransactionStatements`), when they would begin,
    /// commit or roll back a transaction: that would commit or undo part of the migration
    /// apart from its log events, or leave the rest of it outside any transaction.
    func watch<T>(_ connection: Connection, refusingTransactionStatements: Bool,
                  beforeStatement: @escaping ([String]) throws -> Void, _ body: () throws -> T) throws -> T {
        connection.preparedStatementObserver = { [unowned self] statement in
            settleCreatedTables(connection)
            ownStatements = true
            defer { ownStatements = false }
            if altering {
                altering = false
                if let rename = TableRename(statement.sql) { try note(rename, connection) }
            }
            let names = pending
            pending.removeAll()
            if !names.isEmpty { try beforeStatement(names) }
        }
        defer { connection.preparedStatementObserver = nil }
        do {
            return try connection.withAuthorizer({ [unowned self] event in
                if !ownStatements, let reason = refused(event, transactionStatements: refusingTransactionStatements) {
                    refusal = reason
                    return .deny
                }
                note(event)
                return .allow
            }, body)
        } catch {
            throw explained(error)
        }
    }

    /// Why the migration may not run what `event` describes, or `nil` when it may.
    private func refused(_ event: AuthorizerEvent, transactionStatements: Bool) -> String? {
        if transactionStatements, event.action == SQLITE_TRANSACTION {
            return "\(event.first ?? "a transaction statement") cannot run inside the migration's transaction: Strata runs "
                + "each migration in one transaction with its log events and commits it itself (a script that needs its own "
                + "transactions can say 'transaction: false' in its header)"
        }
        let table = event.action == SQLITE_CREATE_TABLE ? event.first : event.writtenTable
        guard let table, StrataSchema.ownTables.contains(table.lowercased()), event.database == nil || event.database == "main"
        else { return nil }
        return "the statement would change Strata's own table '\(table)'; a migration may read Strata's tables "
            + "but not write, alter or drop them"
    }

    /// SQLite says only "not authorized" for a refused statement; this says why.
    private func explained(_ error: any Error) -> any Error {
        guard let refusal else { return error }
        switch error {
        case var failed as ScriptStatementError where failed.underlying.code == SQLITE_AUTH:
            failed.underlying.message = refusal
            return failed
        case var failed as SQLiteError where failed.code == SQLITE_AUTH:
            failed.message = refusal
            return failed
        default:
            return error
        }
    }

    /// A rename, before it runs: the tables whose REFERENCES SQLite will rewrite are touched
    /// too (their definitions change), and a new table name counts as created by it, so the
    /// snapshot records that it did not exist.
    private func note(_ rename: TableRename, _ connection: Connection) throws {
        let referencing = try connection.query("""
            SELECT DISTINCT m.name FROM main.sqlite_master AS m, pragma_foreign_key_list(m.name) AS f
            WHERE m.type = 'table' AND f."table" = ? COLLATE NOCASE
            """, [.text(rename.table)]) { $0.string(0) }
        for table in referencing + [rename.newName].compactMap({ $0 }) where !table.lowercased().hasPrefix("strata_") {
            touch(table)
        }
    }

    /// Before a statement runs: a table it creates that does not exist yet starts empty.
    private func settleCreatedTables(_ connection: Connection) {
        for table in creating where connection.hasTable(named: table) != false { written.insert(table) }
        creating.removeAll()
    }

    private func note(_ event: AuthorizerEvent) {
        let inMain = event.database == nil || event.database == "main"
        let table: String?
        var child = false, parent = false, created = false
        switch event.action {
        case SQLITE_CREATE_TABLE:
            table = inMain ? event.first : nil
            created = true
        case SQLITE_ALTER_TABLE:
            // (database, table): the database is the first argument here; DROP COLUMN puts the
            // column's name where the database name usually goes.
            table = event.first == nil || event.first == "main" ? event.writtenTable : nil
            (child, parent) = (true, true)
            altering = true
        case SQLITE_INSERT:
            table = inMain ? event.writtenTable : nil
            child = true
        case SQLITE_UPDATE:
            table = inMain ? event.writtenTable : nil
            (child, parent) = (true, true)
        case SQLITE_DELETE, SQLITE_DROP_TABLE:
            table = inMain ? event.writtenTable : nil
            parent = true
        default:
            // Index and trigger changes write no rows: restore rebuilds them from the schema.
            table = nil
        }
        guard let table, !table.lowercased().hasPrefix("sqlite_"), !table.lowercased().hasPrefix("strata_") else { return }
        if created { creating.append(table) }
        if child { written.insert(table) }
        if parent { parents.insert(table) }
        touch(table)
    }

    /// The first time a table is touched it is due for the snapshot before the statement runs.
    private func touch(_ table: String) {
        guard !touched.contains(table) else { return }
        touched.append(table)
        pending.append(table)
    }
}

/// `PRAGMA foreign_key_check` over only the tables a change could have broken: the changed
/// tables as children, and the tables whose foreign keys point at a changed parent. The
/// whole-database form reads every table with a foreign key, however large and untouched.
enum ForeignKeyCheck {
    static func violations(in connection: Connection, children: Set<String>, parents: Set<String>) throws -> [ForeignKeyViolation] {
        // By lowercased name (SQLite's names ignore ASCII case), each table checked once.
        var tables: [String: String] = [:]
        if parents.isEmpty {
            // Only changed tables, each checked as it is: the pragma finds nothing in a table
            // without foreign keys, and one dropped or renamed since has no rows left to check.
            for table in children where try exists(table, in: connection) { tables[table.lowercased()] = table }
        } else {
            // One look at the tables that declare a foreign key at all, for those pointing at a
            // changed parent. Every foreign key is written with the keyword REFERENCES (LIKE
            // ignores ASCII case), so the others are skipped without asking SQLite for their
            // key lists; a table without one has nothing to check as a child either.
            let keys = try connection.query("""
                SELECT m.name, f."table" FROM main.sqlite_master AS m, pragma_foreign_key_list(m.name) AS f
                WHERE m.type = 'table' AND m.sql LIKE '%references%'
                """) { (child: $0.string(0), parent: $0.string(1)) }
            let loweredParents = Set(parents.map { $0.lowercased() })
            let loweredChildren = Set(children.map { $0.lowercased() })
            for key in keys where loweredChildren.contains(key.child.lowercased()) || loweredParents.contains(key.parent.lowercased()) {
                tables[key.child.lowercased()] = key.child
            }
        }
        var violations: [ForeignKeyViolation] = []
        for table in tables.values.sorted() {
            violations += try connection.query("PRAGMA main.foreign_key_check(\(quoteIdentifier(table)))") { row in
                ForeignKeyViolation(table: row.string(0), rowid: row.isNull(1) ? nil : row.int64(1), parent: row.string(2))
            }
        }
        return violations
    }

    /// Whether `main` has this table (not a view): SQLite's in-memory schema answers.
    private static func exists(_ table: String, in connection: Connection) throws -> Bool {
        try connection.hasTable(named: table) ?? connection.tableExists(table)
    }
}
