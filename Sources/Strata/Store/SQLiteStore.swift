import Foundation
import StrataCSQLite

/// The SQLite implementation of `Store`.
public final class SQLiteStore: Store {
    public let connection: Connection
    public var location: String { connection.path }

    /// Opens (and for writers, creates) the database file at `path`.
    public init(path: String, readOnly: Bool = false, busyTimeout: Duration = .seconds(5)) throws {
        if readOnly, !path.hasPrefix("file:"), !FileManager.default.fileExists(atPath: path) {
            throw StrataError(.io, "Database file '\(path)' does not exist; nothing was changed.")
        }
        do {
            connection = try Connection(path: path, mode: readOnly ? .readOnly : .readWriteCreate, busyTimeout: busyTimeout)
        } catch let error as SQLiteError {
            throw Self.openError(path: path, error)
        } catch let error as ScriptStatementError {
            throw Self.openError(path: path, error.underlying)
        }
        if !readOnly && connection.isReadOnly {
            throw StrataError(.io, "Database file '\(path)' is read-only (check the file's and its folder's permissions); nothing was changed.")
        }
    }

    private static func openError(path: String, _ error: SQLiteError) -> StrataError {
        if error.isNotADatabase {
            return StrataError(.io, "'\(path)' is not an SQLite database (\(error.message)); nothing was changed.", cause: error)
        }
        return StrataError(.io, "Cannot open database '\(path)': \(error.message); nothing was changed.", cause: error)
    }

    // MARK: Version table

    public func heads() throws -> [String] {
        guard try tableExists(StrataSchema.versionTable) else { return [] }
        return try connection.query("SELECT version_num FROM strata_version ORDER BY version_num") { $0.string(0) }
    }

    public func prepareSchema() throws {
        guard try !tableExists(StrataSchema.versionTable) else { return }
        try guarded("creating Strata's tables") {
            try connection.transaction { try connection.execute(StrataSchema.createVersionTable) }
        }
    }

    public func stamp(heads: [String]) throws {
        try guarded("stamping \(HeadsDescription(heads))") {
            try connection.transaction { try writeHeads(heads) }
        }
    }

    func tableExists(_ name: String) throws -> Bool {
        try connection.scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [.text(name)]) != nil
    }

    private func writeHeads(_ heads: [String]) throws {
        try connection.execute("DELETE FROM strata_version")
        let insert = try connection.prepare("INSERT INTO strata_version (version_num) VALUES (?)")
        for head in heads { try insert.run([.text(head)]) }
    }

    /// Turns a SQLite error outside a migration body into one sentence with the database state.
    private func guarded<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StrataError {
            throw error
        } catch {
            let state = (try? heads()).map { "The database is still at \(HeadsDescription($0))." } ?? ""
            throw StrataError(.sqlite, "Failed \(what) in '\(location)': \(Self.reason(error)). \(state)", cause: error)
        }
    }

    static func reason(_ error: any Error) -> String {
        switch error {
        case let error as SQLiteError: error.message
        case let error as ScriptStatementError: error.underlying.message
        default: String(describing: error)
        }
    }

    // MARK: Running a step

    public func run(_ step: MigrationStep, of script: MigrationScript) throws -> StepExecution {
        let body = try MigrationBodies.body(of: script, for: step, heads: step.headsBefore)
        let started = ContinuousClock.now
        // "This pragma is a no-op within a transaction", so it is switched off before BEGIN and
        // the constraints are checked with foreign_key_check before COMMIT instead.
        let foreignKeysWereOn = connection.foreignKeysEnabled
        try connection.setForeignKeys(false)
        defer { try? connection.setForeignKeys(foreignKeysWereOn) }

        var statements = 0
        do {
            if script.transactional {
                try connection.transaction(.immediate) {
                    try expectHeads(step.headsBefore)
                    statements = try execute(body)
                    try checkForeignKeys()
                    try writeHeads(step.headsAfter)
                }
            } else {
                // Statements SQLite refuses inside a transaction (VACUUM, some PRAGMAs) each
                // commit on their own; only the version update is atomic.
                try connection.transaction(.immediate) { try expectHeads(step.headsBefore) }
                statements = try execute(body)
                try connection.transaction(.immediate) {
                    try checkForeignKeys()
                    try writeHeads(step.headsAfter)
                }
            }
        } catch {
            throw MigrationFailure.describe(error, step: step, script: script, body: body,
                                            stateNow: (try? heads()) ?? step.headsBefore)
        }
        return StepExecution(step: step, statementCount: statements, duration: ContinuousClock.now - started)
    }

    private func execute(_ body: MigrationBody) throws -> Int {
        switch body {
        case .sql(let sql):
            var count = 0
            try connection.forEachStatement(in: sql) { statement, _ in
                try statement.run()
                count += 1
            }
            return count
        case .swift(let code):
            try code(connection)
            return 0
        }
    }

    /// Guards against a second writer having moved the database since the plan was made.
    private func expectHeads(_ expected: [String]) throws {
        let actual = try heads()
        guard actual == expected.sorted() else {
            throw StrataError(.databaseState,
                "The database moved to \(HeadsDescription(actual)) while this plan expected \(HeadsDescription(expected)) (another writer?)")
        }
    }

    private func checkForeignKeys() throws {
        let violations = try connection.query("PRAGMA foreign_key_check") { row in
            ForeignKeyViolation(table: row.string(0), rowid: row.isNull(1) ? nil : row.int64(1), parent: row.string(2))
        }
        guard violations.isEmpty else { throw ForeignKeyViolations(violations: violations) }
    }
}

struct ForeignKeyViolation: Sendable {
    var table: String
    var rowid: Int64?
    var parent: String
}

struct ForeignKeyViolations: Error, Sendable, CustomStringConvertible {
    var violations: [ForeignKeyViolation]

    var description: String {
        let first = violations[0]
        let row = first.rowid.map { "row \($0) of \(first.table)" } ?? "a row of \(first.table)"
        let more = violations.count > 1 ? " (and \(violations.count - 1) more)" : ""
        return "foreign key violation: \(row) references a missing row in \(first.parent)\(more)"
    }
}
