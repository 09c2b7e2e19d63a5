import Foundation
import Testing
@testable import Strata

/// A migration's own transaction statements, seen from the library: a Swift revision inside
/// Strata's transaction cannot end it, and a non-transactional script that leaves one open
/// does not leave the writer's connection inside it.
@Suite struct TransactionStatementTests {
    let noBackup = MigratorOptions(backup: .none)

    @Test func aSwiftRevisionCannotCommitStrataTransaction() throws {
        let fixture = try WriterFixture(journal: .delete)
        fixture.script("aaaa0001", up: "CREATE TABLE a (x);", down: "DROP TABLE a;")
        let swift = try MigrationScript.swift(id: "ssss0002", revises: ["aaaa0001"], upgrade: { connection in
            try connection.execute("INSERT INTO a VALUES (1)")
            try connection.execute("COMMIT")
            try connection.execute("INSERT INTO a VALUES (2)")
        })
        let store = try SQLiteStore(path: fixture.database)
        let migrations = try MigrationSet.load(directory: fixture.migrationsPath, swiftRevisions: [swift])
        try Migrator(store: store, migrations: migrations, options: noBackup).upgrade(to: "aaaa0001")
        let error = try #require(throws: StrataError.self) {
            try Migrator(store: store, migrations: migrations, options: noBackup).upgrade()
        }
        #expect(error.message.contains("Revision ssss0002 failed: COMMIT cannot run inside the migration's transaction"), "\(error.message)")
        #expect(error.message.contains("The database is still at aaaa0001"), "\(error.message)")
        #expect(try store.heads() == ["aaaa0001"])
        #expect(try Connection(path: fixture.database, mode: .readOnly).scalar("SELECT count(*) FROM a") == .integer(0))
        #expect(try Verifier(store: store, migrations: migrations).verify().ok)
    }

    @Test func aTransactionLeftOpenIsRolledBackAndTheWriterGoesOn() throws {
        let fixture = try WriterFixture(journal: .delete)
        fixture.script("aaaa0001", up: "CREATE TABLE a (x);", down: "DROP TABLE a;")
        let open = try MigrationScript.swift(id: "ssss0002", revises: ["aaaa0001"], transactional: false, upgrade: { connection in
            try connection.execute("INSERT INTO a VALUES (1)")
            try connection.execute("BEGIN")
            try connection.execute("INSERT INTO a VALUES (2)")
        })
        let store = try SQLiteStore(path: fixture.database)
        let failing = try MigrationSet.load(directory: fixture.migrationsPath, swiftRevisions: [open])
        let error = try #require(throws: StrataError.self) {
            try Migrator(store: store, migrations: failing, options: noBackup).upgrade()
        }
        #expect(error.message.contains("BEGIN without COMMIT"), "\(error.message)")
        #expect(try Connection(path: fixture.database, mode: .readOnly).scalar("SELECT group_concat(x) FROM a") == .text("1"))

        // The same store, and so the same connection, runs the next migration.
        fixture.script("bbbb0002", revises: "aaaa0001", up: "INSERT INTO a VALUES (3);")
        try Migrator(store: store, migrations: try fixture.migrations(), options: noBackup).upgrade()
        #expect(try store.heads() == ["bbbb0002"])
    }

    /// A statement failing inside the script's own BEGIN: that transaction is rolled back too,
    /// the failure is logged as any other, and the writer goes on.
    @Test func aFailureInsideTheScriptsOwnTransaction() throws {
        let fixture = try WriterFixture(journal: .delete)
        fixture.script("aaaa0001", up: "CREATE TABLE a (x);", down: "DROP TABLE a;")
        try ("-- revision: bbbb0002\n-- revises: aaaa0001\n-- transaction: false\n\n-- +upgrade\n"
             + "INSERT INTO a VALUES (1);\nBEGIN;\nINSERT INTO a VALUES (2);\nINSERT INTO nosuch VALUES (3);\nCOMMIT;\n")
            .write(toFile: fixture.migrationsPath + "/bbbb0002.sql", atomically: true, encoding: .utf8)
        let store = try SQLiteStore(path: fixture.database)
        let error = try #require(throws: StrataError.self) {
            try Migrator(store: store, migrations: try fixture.migrations(), options: noBackup).upgrade()
        }
        #expect(error.message.contains("no such table: nosuch, inside the script's own transaction (BEGIN)"), "\(error.message)")
        #expect(error.message.contains("statement 4 of 5"), "\(error.message)")
        #expect(error.message.contains("statements before that BEGIN stay applied"), "\(error.message)")
        #expect(try Connection(path: fixture.database, mode: .readOnly).scalar("SELECT group_concat(x) FROM a") == .text("1"))
        #expect(!store.connection.isInTransaction)
        #expect(try store.state().status == .failed)
        #expect(try store.connection.scalar("SELECT count(*) FROM strata_lock") == .integer(0))
    }
}
