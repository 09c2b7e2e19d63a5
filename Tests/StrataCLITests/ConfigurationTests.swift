import Foundation
import Testing

/// Where the database and the migrations folder come from: flags, then `STRATA_*` environment
/// variables, then `strata.ini`, then a MeshView-style `config.ini`; the URL forms a user
/// writes; and `--format json` output that other programs parse.
@Suite struct ConfigurationTests {
    /// A project whose one script creates table `t1`; every database below starts absent, so
    /// the file `upgrade` creates shows which setting won.
    func project() throws -> Project {
        let project = try Project()
        try FileManager.default.removeItem(atPath: project.database)
        project.script("aaaa1111", up: "CREATE TABLE t1 (id INTEGER PRIMARY KEY);", down: "DROP TABLE t1;")
        return project
    }

    func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// The single revision `heads --format json` reports: tells which migrations folder won.
    func headRevision(_ result: ProcessResult) throws -> String? {
        let rows = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
        return rows?.first?["revision"] as? String
    }

    // MARK: Precedence

    @Test func databaseFlagBeatsEnvironmentBeatsConfigFile() throws {
        let project = try project()
        try write("[strata]\ndatabase = file.db\n", to: project.root + "/strata.ini")
        let env = ["STRATA_DATABASE": "env.db"]

        var result = try Run.strata(["upgrade", "--database", "flag.db"], in: project.root, environment: env)
        #expect(result.status == 0, "\(result)")
        #expect(exists(project.root + "/flag.db") && !exists(project.root + "/env.db") && !exists(project.root + "/file.db"))

        result = try Run.strata(["upgrade"], in: project.root, environment: env)
        #expect(result.status == 0, "\(result)")
        #expect(exists(project.root + "/env.db") && !exists(project.root + "/file.db"))

        result = try Run.strata(["upgrade"], in: project.root)
        #expect(result.status == 0, "\(result)")
        #expect(exists(project.root + "/file.db"))
        #expect(try Run.sqlite3(project.root + "/file.db", "SELECT version_num FROM strata_version;").stdout == "aaaa1111\n")
    }

    @Test func migrationsFlagBeatsEnvironmentBeatsConfigFileBeatsDefault() throws {
        let project = try project()
        for (folder, id) in [("FlagM", "f1a9f1a9"), ("EnvM", "e1e1e1e1"), ("FileM", "c0f1c0f1")] {
            try write("-- revision: \(id)\n\n-- +upgrade\nCREATE TABLE \(folder) (x);\n",
                      to: "\(project.root)/\(folder)/\(id).sql")
        }
        let env = ["STRATA_MIGRATIONS": "EnvM"]

        // No config file yet: the default folder, Migrations/.
        #expect(try headRevision(Run.strata(["heads", "--format", "json"], in: project.root)) == "aaaa1111")
        try write("[strata]\nmigrations = FileM\n", to: project.root + "/strata.ini")
        #expect(try headRevision(Run.strata(["heads", "--format", "json"], in: project.root)) == "c0f1c0f1")
        #expect(try headRevision(Run.strata(["heads", "--format", "json"], in: project.root, environment: env)) == "e1e1e1e1")
        #expect(try headRevision(Run.strata(["heads", "--format", "json", "--migrations", "FlagM"],
                                            in: project.root, environment: env)) == "f1a9f1a9")
    }

    @Test func strataConfigNamesAFileElsewhereAndItsPathsAreRelativeToIt() throws {
        let project = try project()
        let elsewhere = project.root + "/deploy"
        try write("[strata]\ndatabase = data/app.db\nmigrations = ../Migrations\n", to: elsewhere + "/strata.ini")
        try FileManager.default.createDirectory(atPath: elsewhere + "/data", withIntermediateDirectories: true)
        // A different working directory: the config file's folder anchors its relative paths.
        let work = project.root + "/work"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)

        var result = try Run.strata(["upgrade"], in: work, environment: ["STRATA_CONFIG": elsewhere + "/strata.ini"])
        #expect(result.status == 0, "\(result)")
        #expect(exists(elsewhere + "/data/app.db"))

        // --config beats STRATA_CONFIG.
        try write("[strata]\ndatabase = other.db\nmigrations = \(project.migrations)\n", to: project.root + "/other.ini")
        result = try Run.strata(["upgrade", "--config", project.root + "/other.ini"], in: work,
                                environment: ["STRATA_CONFIG": elsewhere + "/strata.ini"])
        #expect(result.status == 0, "\(result)")
        #expect(exists(project.root + "/other.db"))
    }

    @Test func meshViewConfigIniIsReadWhenThereIsNoStrataIni() throws {
        let project = try project()
        try write("""
            [server]
            bind = *
            port = 8081

            [database]
            # SQLAlchemy's URL, unchanged from the Python app.
            connection_string = sqlite+aiosqlite:///packets.db
            """, to: project.root + "/config.ini")
        var result = try Run.strata(["upgrade"], in: project.root)
        #expect(result.status == 0, "\(result)")
        #expect(try Run.sqlite3(project.root + "/packets.db", "SELECT version_num FROM strata_version;").stdout == "aaaa1111\n")

        // strata.ini, when present, is the config file; config.ini is not consulted.
        try write("[strata]\ndatabase = strata.db\n", to: project.root + "/strata.ini")
        result = try Run.strata(["upgrade"], in: project.root)
        #expect(result.status == 0, "\(result)")
        #expect(exists(project.root + "/strata.db"))
    }

    /// A config.ini saved on Windows (CRLF) reads the same.
    @Test func crlfLineEndingsInAConfigFile() throws {
        let project = try project()
        try write("[server]\r\nport = 8081\r\n\r\n[database]\r\nconnection_string = sqlite:///packets.db\r\n", to: project.root + "/config.ini")
        let result = try Run.strata(["upgrade"], in: project.root)
        #expect(result.status == 0, "\(result)")
        #expect(exists(project.root + "/packets.db"))
    }

    @Test func aConfigFileThatIsNotNeededIsNotRead() throws {
        let project = try project()
        // Python's configparser accepts continuation lines Strata's reader does not; with the
        // database and folder given as flags the file must not matter.
        try write("[server]\nbanner = a long\n  continued line\n", to: project.root + "/config.ini")
        let result = try Run.strata(["upgrade", "--database", "app.db", "--migrations", "Migrations"], in: project.root)
        #expect(result.status == 0, "\(result)")

        let broken = try Run.strata(["current"], in: project.root)
        #expect(broken.status == 64, "\(broken)")
        #expect(firstLine(broken).contains("config.ini line 3"), "\(broken)")
    }

    @Test func aMissingConfigFileIsNamed() throws {
        let project = try project()
        let result = try Run.strata(["current", "--config", "nowhere.ini"], in: project.root)
        #expect(result.status == 1, "\(result)")
        #expect(firstLine(result).contains("nowhere.ini"), "\(result)")
    }

    // MARK: Database URLs

    @Test(arguments: [
        ("sqlite:///rel.db", "rel.db"),
        ("sub/plain.db", "sub/plain.db"),
        ("sqlite+aiosqlite:///async.db", "async.db"),
        ("sqlite:///query.db?mode=rwc", "query.db"),
    ])
    func relativeURLFormsAndPlainPaths(url: String, file: String) throws {
        let project = try project()
        try FileManager.default.createDirectory(atPath: project.root + "/sub", withIntermediateDirectories: true)
        let result = try Run.strata(["upgrade", "--database", url], in: project.root)
        #expect(result.status == 0, "\(result)")
        #expect(try Run.sqlite3(project.root + "/" + file, "SELECT version_num FROM strata_version;").stdout == "aaaa1111\n")
    }

    @Test func absoluteURLHasFourSlashes() throws {
        let project = try project()
        let absolute = project.root + "/abs.db"
        #expect(absolute.hasPrefix("/"))
        // Run from another folder: the path must not depend on the working directory.
        let result = try Run.strata(["upgrade", "--database", "sqlite:///" + absolute, "--migrations", project.migrations],
                                    in: project.migrations)
        #expect(result.status == 0, "\(result)")
        #expect(exists(absolute))
    }

    @Test(arguments: [
        ["--database", "postgresql://meshview@localhost/packets"],
        ["--database", "postgresql+asyncpg://meshview@localhost/packets"],
    ])
    func postgreSQLIsRefusedClearly(arguments: [String]) throws {
        let project = try project()
        let result = try Run.strata(["upgrade"] + arguments, in: project.root)
        #expect(result.status == 64, "\(result)")
        #expect(firstLine(result).contains("PostgreSQL"), "\(result)")
        #expect(firstLine(result).contains("not supported"), "\(result)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: project.root) == ["Migrations"])
    }

    @Test func postgreSQLInConfigIniIsRefusedClearly() throws {
        let project = try project()
        try write("[database]\nconnection_string = postgresql+asyncpg://u:p@db/packets\n", to: project.root + "/config.ini")
        let result = try Run.strata(["current"], in: project.root)
        #expect(result.status == 64, "\(result)")
        #expect(firstLine(result).contains("PostgreSQL") && firstLine(result).contains("postgresql+asyncpg://"), "\(result)")
    }

    @Test(arguments: ["mysql://u@h/db", "sqlite://host/x.db", "sqlite:///"])
    func otherBadURLsAreUsageErrors(url: String) throws {
        let project = try project()
        let result = try Run.strata(["current", "--database", url], in: project.root)
        #expect(result.status == 64, "\(result)")
        #expect(firstLine(result).contains(url), "\(result)")
    }

    @Test func anUnknownFormatIsAUsageError() throws {
        let project = try project()
        let result = try Run.strata(["heads", "--format", "xml"], in: project.root)
        #expect(result.status == 64, "\(result)")
        #expect(firstLine(result).contains("xml") && firstLine(result).contains("--format"), "\(result)")
    }

    // MARK: JSON

    /// a1 -> b2 -> c3, database at b2.
    func chainAtB2() throws -> Project {
        let project = try Project()
        project.script("aaaa1111", up: "CREATE TABLE t1 (x);", down: "DROP TABLE t1;")
        project.script("bbbb2222", revises: ["aaaa1111"], up: "CREATE TABLE t2 (x);", down: "DROP TABLE t2;")
        project.script("cccc3333", revises: ["bbbb2222"], up: "CREATE TABLE t3 (x);", down: "DROP TABLE t3;")
        let result = try project.strata("upgrade", "bbbb2222")
        #expect(result.status == 0, "\(result)")
        return project
    }

    @Test func currentJSON() throws {
        let project = try chainAtB2()
        let result = try project.strata("current", "--format", "json")
        #expect(result.status == 0, "\(result)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["heads"] as? [String] == ["bbbb2222"])
        #expect(object?["status"] as? String == "idle")
    }

    @Test func historyJSONHasSpecShapeNewestFirst() throws {
        let project = try chainAtB2()
        let result = try project.strata("history", "--format", "json")
        #expect(result.status == 0, "\(result)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["revision"] as? String } == ["cccc3333", "bbbb2222", "aaaa1111"])
        #expect(rows.map { $0["revises"] as? [String] } == [["bbbb2222"], ["aaaa1111"], []])
        #expect(rows.map { $0["message"] as? String } == ["test cccc3333", "test bbbb2222", "test aaaa1111"])
        #expect(rows.map { $0["is_head"] as? Bool } == [true, false, false])
        #expect(rows.map { $0["applied"] as? Bool } == [false, true, true])
    }

    @Test func headsJSON() throws {
        let project = try chainAtB2()
        project.script("dddd4444", revises: ["aaaa1111"], up: "CREATE TABLE t4 (x);")
        let result = try project.strata("heads", "--format", "json")
        #expect(result.status == 0, "\(result)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(Set(rows.compactMap { $0["revision"] as? String }) == ["cccc3333", "dddd4444"])
        #expect(rows.allSatisfy { $0["is_head"] as? Bool == true })
    }

    @Test func everyReportingCommandPrintsParseableJSON() throws {
        let project = try chainAtB2()
        for arguments in [["current"], ["heads"], ["branches"], ["history"], ["history", "-r", "base:bbbb"],
                          ["show", "bbbb"], ["check"], ["upgrade"], ["downgrade", "-1"], ["stamp", "aaaa1111"]] {
            let result = try Run.strata(arguments + ["--format", "json", "--database", project.database], in: project.root)
            #expect(result.status == 0 || (arguments == ["check"] && result.status == 1), "\(arguments): \(result)")
            #expect((try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) != nil,
                    "\(arguments) printed no JSON: \(result)")
        }
    }
}

/// The first line of stderr: the one sentence a user reads.
private func firstLine(_ result: ProcessResult) -> String {
    result.stderr.split(separator: "\n").first.map(String.init) ?? ""
}
