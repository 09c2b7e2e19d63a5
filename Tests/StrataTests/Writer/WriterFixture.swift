import Foundation
@testable import Strata

/// A migrations folder and database file in a temporary directory, for library-level tests.
struct WriterFixture {
    let directory = TemporaryDirectory("writer")
    var database: String { directory.file("app.db") }
    var migrationsPath: String { directory.path + "/Migrations" }

    init(journal: JournalMode = .wal) throws {
        try FileManager.default.createDirectory(atPath: migrationsPath, withIntermediateDirectories: true)
        let connection = try Connection(path: database)
        try connection.setJournalMode(journal.rawValue)
    }

    /// Writes a script revising `parent`.
    func script(_ id: String, revises parent: String? = nil, up: String, down: String = "") {
        let text = "-- revision: \(id)\n-- revises: \(parent ?? "")\n-- message: \(id)\n\n-- +upgrade\n\(up)\n\n-- +downgrade\n\(down)\n"
        try! text.write(toFile: migrationsPath + "/\(id).sql", atomically: true, encoding: .utf8)
    }

    func migrations() throws -> MigrationSet { try MigrationSet.load(directory: migrationsPath) }

    func migrator(_ options: MigratorOptions = .init()) throws -> Migrator {
        Migrator(store: try SQLiteStore(path: database), migrations: try migrations(), options: options)
    }

    func events() throws -> [Event] {
        let connection = try Connection(path: database, mode: .readOnly)
        var events: [Event] = []
        try EventLog(connection: connection).forEach { events.append($0) }
        return events
    }
}
