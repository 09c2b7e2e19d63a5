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
}
