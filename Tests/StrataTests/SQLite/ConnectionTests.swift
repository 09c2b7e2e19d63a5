import Foundation
import Testing
@testable import Strata

@Suite struct ConnectionTests {
    let directory = TemporaryDirectory("conn")

    func open(_ mode: JournalMode = .wal) throws -> Connection {
        let connection = try Connection(path: directory.file("test.db"))
        #expect(try connection.setJournalMode(mode.rawValue) == mode.rawValue)
        return connection
    }

    @Test(arguments: JournalMode.allCases)
    func valuesRoundTripEveryStorageClass(mode: JournalMode) throws {
        let db = try open(mode)
        try db.execute("CREATE TABLE t (v)")
        let values: [SQLiteValue] = [
            .null, .integer(.max), .integer(.min), .integer(0), .real(-0.0), .real(1e308),
            .real(Double.leastNonzeroMagnitude), .text(""), .text("it's; -- \u{1F600} \"q\""),
            .blob([]), .blob([0, 1, 0, 255]),
        ]
        let insert = try db.prepare("INSERT INTO t (v) VALUES (?)")
        for value in values { try insert.run([value]) }
        let read = try db.query("SELECT v FROM t ORDER BY rowid") { $0.value(0) }
        #expect(read == values)
        #expect(try db.query("SELECT typeof(v) FROM t WHERE rowid = 10") { $0.string(0) } == ["blob"])
        #expect(try db.query("SELECT typeof(v) FROM t WHERE rowid = 8") { $0.string(0) } == ["text"])
        // -0.0 keeps its sign bit.
        let negativeZero = try db.query("SELECT v FROM t WHERE rowid = 5") { $0.double(0) }[0]
        #expect(negativeZero.sign == .minus)
    }

    @Test func scriptsAreSplitBySQLiteNotBySemicolons() throws {
        let db = try open()
        let script = """
            -- a comment; with a semicolon
            CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT DEFAULT 'a;b -- not a comment');
            /* block; comment */
            CREATE TABLE log (msg TEXT);
            CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN
                INSERT INTO log VALUES ('inserted; ' || NEW.id);
                INSERT INTO log VALUES ('--twice');
            END;
            INSERT INTO t (id) VALUES (1);
            -- trailing comment only
            """
        var seen: [Int] = []
        try db.forEachStatement(in: script) { statement, index in
            seen.append(index)
            try statement.run()
        }
        #expect(seen == [0, 1, 2, 3])
        #expect(StatementCounter.count(script) == 4)
        #expect(try db.query("SELECT msg FROM log ORDER BY rowid") { $0.string(0) } == ["inserted; 1", "--twice"])
        #expect(try db.scalar("SELECT note FROM t") == .text("a;b -- not a comment"))
    }

    @Test func statementCounterIgnoresEmptyAndCommentOnlyText() {
        #expect(StatementCounter.count("") == 0)
        #expect(StatementCounter.count("-- nothing;\n/* ; */ ;") == 0)
        #expect(StatementCounter.count("SELECT 1; SELECT ';'") == 2)
    }

    @Test func aFailingStatementNamesItsIndexAndSQL() throws {
        let db = try open()
        let script = "CREATE TABLE a (x);\nINSERT INTO a VALUES (1);\nINSERT INTO a (nope) VALUES (2);"
        #expect {
            try db.forEachStatement(in: script) { statement, _ in try statement.run() }
        } throws: { error in
            guard let error = error as? ScriptStatementError else { return false }
            return error.index == 2 && error.underlying.message.contains("no column named nope")
                && error.sql.contains("nope")
        }
    }

    @Test func transactionRollsBackOnError() throws {
        let db = try open()
        try db.execute("CREATE TABLE t (x)")
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try db.transaction { try db.execute("INSERT INTO t VALUES (1)"); throw Boom() }
        }
        #expect(try db.scalar("SELECT count(*) FROM t") == .integer(0))
        #expect(!db.isInTransaction)
        try db.transaction {
            try db.execute("INSERT INTO t VALUES (1)")
            _ = try? db.savepoint { try db.execute("INSERT INTO t VALUES (2)"); throw Boom() }
        }
        #expect(try db.query("SELECT x FROM t") { $0.int(0) } == [1])
    }

    @Test func authorizerReportsTheTablesAStatementWillWrite() throws {
        let db = try open()
        try db.execute("CREATE TABLE \"we ird\"\"name\" (x); CREATE TABLE other (y); CREATE INDEX i ON other (y)")
        var written: Set<String> = []
        try db.withAuthorizer({ event in
            if let table = event.writtenTable, event.database == "main" || event.database == nil { written.insert(table) }
            return .allow
        }) {
            _ = try db.prepare("INSERT INTO \"we ird\"\"name\" SELECT y FROM other")
            _ = try db.prepare("DROP INDEX i")
            _ = try db.prepare("ALTER TABLE other ADD COLUMN z")
        }
        #expect(written.contains("we ird\"name"))
        #expect(written.contains("other"))
        #expect(!written.contains("sqlite_master"))
    }

    @Test func aFileThatIsNotADatabaseIsRefusedAtOpen() throws {
        directory.write("junk.db", String(repeating: "not a database at all ", count: 100))
        #expect {
            _ = try SQLiteStore(path: directory.file("junk.db"))
        } throws: { error in
            (error as? StrataError)?.message.contains("is not an SQLite database") == true
        }
    }

    @Test func readOnlyOpenOfAMissingFileIsRefused() {
        #expect(throws: StrataError.self) { _ = try SQLiteStore(path: directory.file("missing.db"), readOnly: true) }
        #expect(!FileManager.default.fileExists(atPath: directory.file("missing.db")))
    }
}

/// A read-only connection to a rollback-journal file whose journal looks hot (SQLite's check
/// misfiring as a writer begins a transaction) waits like on a lock, within its busy timeout.
@Suite struct FalseHotJournalTests {
    @Test func aReadOnlyConnectionWaitsUntilTheHeaderIsZeroed() throws {
        let directory = TemporaryDirectory("hot")
        let path = directory.file("t.db")
        try Connection(path: path).execute("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        try writeJournalThatLooksHot(beside: path)
        // Without a busy timeout: at once, as StrataReader wants it (it looks again itself).
        let error = #expect(throws: (any Error).self) { try Connection(path: path, mode: .readOnly, busyTimeout: .zero) }
        #expect(error.map(SQLiteError.isBusyForReader) == true, "\(String(describing: error))")
        // With one: the writer's commit zeroes the header meanwhile.
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { try? zeroJournalHeader(beside: path) }
        let connection = try Connection(path: path, mode: .readOnly, busyTimeout: .seconds(5))
        #expect(try connection.scalar("SELECT x FROM t")?.integer == 1)
    }

    @Test func aJournalThatStaysHotFailsWhenTheTimeoutIsUp() throws {
        let directory = TemporaryDirectory("hot")
        let path = directory.file("t.db")
        try Connection(path: path).execute("CREATE TABLE t (x);")
        try writeJournalThatLooksHot(beside: path)
        let started = ContinuousClock.now
        #expect(throws: (any Error).self) { try Connection(path: path, mode: .readOnly, busyTimeout: .milliseconds(100)) }
        #expect(ContinuousClock.now - started >= .milliseconds(100))
        // A read-only store says what it is (a writer stopped mid-transaction) and what to do.
        let error = #expect(throws: StrataError.self) {
            try SQLiteStore(path: path, readOnly: true, busyTimeout: .milliseconds(100))
        }
        #expect(error?.message.hasPrefix("Database '\(path)' holds an interrupted write") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("The next writer command") == true)
    }
}
