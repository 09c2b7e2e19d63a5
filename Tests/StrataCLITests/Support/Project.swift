import Foundation
import Testing

/// A temporary application folder: a Migrations/ folder of scripts and a database file,
/// driven through the real `strata` binary and judged with the real `sqlite3` shell.
final class Project {
    let root: String
    let database: String
    var migrations: String { root + "/Migrations" }

    /// `journal`: `wal` or `delete`; the file is created in that mode by the sqlite3 shell.
    init(journal: String = "delete") throws {
        root = NSTemporaryDirectory() + "strata-cli-\(UUID().uuidString.prefix(8))"
        database = root + "/app.db"
        try FileManager.default.createDirectory(atPath: root + "/Migrations", withIntermediateDirectories: true)
        let mode = try Run.sqlite3(database, "PRAGMA journal_mode=\(journal);")
        #expect(mode.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == journal)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// Writes `Migrations/<id>_test.sql`.
    @discardableResult
    func script(_ id: String, revises: [String] = [], labels: [String] = [], dependsOn: [String] = [],
                transaction: Bool = true, up: String, down: String? = "") -> String {
        var text = "-- revision: \(id)\n-- revises: \(revises.joined(separator: " "))\n"
        if !labels.isEmpty { text += "-- branch-labels: \(labels.joined(separator: " "))\n" }
        if !dependsOn.isEmpty { text += "-- depends-on: \(dependsOn.joined(separator: " "))\n" }
        if !transaction { text += "-- transaction: false\n" }
        text += "-- message: test \(id)\n\n-- +upgrade\n\(up)\n"
        if let down { text += "\n-- +downgrade\n\(down)\n" }
        return raw("\(id)_test.sql", text)
    }

    @discardableResult
    func raw(_ name: String, _ text: String) -> String {
        let path = migrations + "/" + name
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func strata(_ arguments: String..., environment: [String: String] = [:]) throws -> ProcessResult {
        try Run.strata(arguments + ["--database", database], in: root, environment: environment)
    }

    /// The sqlite3 shell's `.dump` of the user's objects and `strata_version`: the outside judge
    /// of "nothing changed". The log's own tables are left out, since a failure is recorded there.
    func dump() throws -> String {
        let names = try Run.sqlite3(database, """
            SELECT DISTINCT tbl_name FROM sqlite_master
            WHERE tbl_name NOT LIKE 'strata\\_%' ESCAPE '\\' OR tbl_name = 'strata_version' ORDER BY 1;
            """).stdout.split(separator: "\n").map { "'\($0)'" }
        return try Run.sqlite3(database, ".dump \(names.joined(separator: " "))").stdout
    }

    /// The sqlite3 shell's `.dump` of each user object (table with its rows, indexes and
    /// triggers; view), one at a time in name order: equal when the same objects hold the same
    /// rows, whatever order `sqlite_master` lists them in (a restore recreates tables).
    func objectDump() throws -> String {
        let names = try Run.sqlite3(database, """
            SELECT DISTINCT tbl_name FROM sqlite_master
            WHERE tbl_name NOT LIKE 'strata\\_%' ESCAPE '\\' AND tbl_name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY 1;
            """).stdout.split(separator: "\n")
        var dump = ""
        for name in names {
            let quoted = "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
            dump += "-- \(name)\n" + (try Run.sqlite3(database, ".dump \(quoted)").stdout)
        }
        return dump
    }

    /// The whole database as the sqlite3 shell dumps it.
    func fullDump() throws -> String { try Run.sqlite3(database, ".dump").stdout }

    /// User tables, by the sqlite3 shell.
    func tables() throws -> [String] {
        try Run.sqlite3(database, "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'strata_%' ORDER BY name;")
            .stdout.split(separator: "\n").map(String.init)
    }

    /// The version table's rows, by the sqlite3 shell.
    func versions() throws -> [String] {
        let result = try Run.sqlite3(database, "SELECT version_num FROM strata_version ORDER BY 1;")
        return result.stdout.split(separator: "\n").map(String.init)
    }
}
