import Foundation
import Testing
@testable import Strata

/// The foreign-key check before each migration's COMMIT looks only at tables the migration
/// could have broken. These pin each table it skips, and each case that must still fail.
@Suite struct ForeignKeyCheckTests {
    /// Runs `up` as the second migration, after `setup`; returns the error, if any.
    private func migrate(setup: String, _ up: String, between: String? = nil,
                         backup: BackupMode = .touched) throws -> StrataError? {
        let fixture = try WriterFixture()
        fixture.script("aaaa0001", up: setup)
        try fixture.migrator(MigratorOptions(backup: backup)).upgrade()
        if let between { try Connection(path: fixture.database).execute(between) }
        fixture.script("bbbb0002", revises: "aaaa0001", up: up)
        do {
            try fixture.migrator(MigratorOptions(backup: backup)).upgrade()
            return nil
        } catch let error as StrataError {
            return error
        }
    }

    private let parent = "CREATE TABLE p (id INTEGER PRIMARY KEY); INSERT INTO p VALUES (1);"

    @Test(arguments: [BackupMode.touched, .none])
    func aCreatedTableStartsEmptySoItsKeysNeedNoCheck(backup: BackupMode) throws {
        // The key points at a table that does not exist: any row would be a violation.
        #expect(try migrate(setup: parent, "CREATE TABLE c (p_id INTEGER REFERENCES missing (id));", backup: backup) == nil)
        #expect(try migrate(setup: parent, "CREATE TABLE IF NOT EXISTS c (p_id INTEGER REFERENCES p (id));", backup: backup) == nil)
    }

    @Test(arguments: [BackupMode.touched, .none])
    func rowsWrittenIntoACreatedTableAreChecked(backup: BackupMode) throws {
        let error = try migrate(setup: parent, """
            CREATE TABLE c (p_id INTEGER REFERENCES p (id));
            INSERT INTO c VALUES (1), (2);
            """, backup: backup)
        #expect(error?.message.contains("foreign key violation") == true, "\(String(describing: error))")
        #expect(try migrate(setup: parent, "CREATE TABLE c (p_id INTEGER REFERENCES p (id)); INSERT INTO c VALUES (1);", backup: backup) == nil)
    }

    @Test func createTableAsSelectCopiesRowsButNoConstraint() throws {
        // The copy has no foreign key, whatever its source declared: nothing to violate.
        #expect(try migrate(setup: parent + "CREATE TABLE c (p_id INTEGER REFERENCES p (id)); INSERT INTO c VALUES (1);",
                            "CREATE TABLE d AS SELECT p_id + 1 AS p_id FROM c;") == nil)
    }

    @Test func anAddedColumnWithAKeyAndADefaultIsChecked() throws {
        // Allowed while foreign keys are off: every existing row gets the default, 7, which p lacks.
        let error = try migrate(setup: parent + "CREATE TABLE c (x); INSERT INTO c VALUES (1);",
                                "ALTER TABLE c ADD COLUMN p_id INTEGER REFERENCES p (id) DEFAULT 7;")
        #expect(error?.message.contains("foreign key violation") == true, "\(String(describing: error))")
    }

    @Test func createTableIfNotExistsOverATableWithViolationsStillFails() throws {
        // The existing table keeps its rows, one of them broken behind Strata's back.
        let error = try migrate(setup: parent + "CREATE TABLE c (p_id INTEGER REFERENCES p (id));",
                                "CREATE TABLE IF NOT EXISTS c (p_id INTEGER REFERENCES p (id));",
                                between: "INSERT INTO c VALUES (9);")
        #expect(error?.message.contains("foreign key violation") == true, "\(String(describing: error))")
    }

    @Test func aChangedParentChecksTheTablesPointingAtIt() throws {
        let setup = parent + "CREATE TABLE c (p_id INTEGER REFERENCES p (id)); INSERT INTO c VALUES (1);"
        let deleted = try migrate(setup: setup, "DELETE FROM p;")
        #expect(deleted?.message.contains("foreign key violation") == true, "\(String(describing: deleted))")
        let updated = try migrate(setup: setup, "UPDATE P SET id = 2;")
        #expect(updated?.message.contains("foreign key violation") == true, "\(String(describing: updated))")
        #expect(try migrate(setup: setup, "INSERT INTO p VALUES (2); DELETE FROM p WHERE id = 2;") == nil)
    }

    @Test func aChildDroppedOrRenamedInTheSameMigrationIsNotLookedFor() throws {
        let setup = parent + "CREATE TABLE c (p_id INTEGER REFERENCES p (id));"
        #expect(try migrate(setup: setup, "INSERT INTO c VALUES (1); DROP TABLE c;") == nil)
        #expect(try migrate(setup: setup, "INSERT INTO C VALUES (1); ALTER TABLE c RENAME TO d;") == nil)
        let renamed = try migrate(setup: setup, "ALTER TABLE c RENAME TO d; INSERT INTO d VALUES (5);")
        #expect(renamed?.message.contains("foreign key violation") == true, "\(String(describing: renamed))")
    }
}
