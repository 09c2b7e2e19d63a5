import Foundation
import Testing

/// The commands that write and read scripts (`init`, `revision`, `merge`, `history`, `heads`,
/// `branches`, `show`), run as a user would in an application folder, and the repository's
/// example `Migrations/` taken up and down by the CLI with the sqlite3 shell as the judge.
@Suite struct ScriptCommandsTests {
    /// An empty application folder, removed afterwards.
    final class AppFolder {
        let root = NSTemporaryDirectory() + "strata-scripts-\(UUID().uuidString.prefix(8))"
        init() throws { try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: root) }

        func strata(_ arguments: String...) throws -> ProcessResult { try Run.strata(arguments, in: root) }

        func read(_ path: String) throws -> String {
            try String(contentsOfFile: path.hasPrefix("/") ? path : root + "/" + path, encoding: .utf8)
        }

        func scripts() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: root + "/Migrations").sorted()
        }
    }

    /// A folder after `strata init`.
    func initialised() throws -> AppFolder {
        let app = try AppFolder()
        let result = try app.strata("init")
        #expect(result.status == 0, "\(result)")
        return app
    }

    /// Writes a revision and returns the printed path.
    @discardableResult
    func revision(_ app: AppFolder, _ arguments: String...) throws -> String {
        let result = try Run.strata(["revision"] + arguments, in: app.root)
        #expect(result.status == 0, "\(result)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func header(_ text: String, _ key: String) -> String? {
        for line in text.split(separator: "\n") where line.hasPrefix("-- \(key):") {
            return line.dropFirst("-- \(key):".count).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    func json(_ result: ProcessResult) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]], "\(result)")
    }

    /// Checks a refusal: exit status, fragments of stderr's first line, and that the
    /// migrations folder is as it was.
    func expectRefused(_ app: AppFolder, _ arguments: [String], status: Int32, mentions fragments: [String],
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try app.scripts()
        let result = try Run.strata(arguments, in: app.root)
        #expect(result.status == status, "\(result)", sourceLocation: sourceLocation)
        let line = firstLine(result)
        for fragment in fragments {
            #expect(line.contains(fragment), "'\(fragment)' missing from: \(line)", sourceLocation: sourceLocation)
        }
        #expect(try app.scripts() == before, "files were written", sourceLocation: sourceLocation)
    }

    // MARK: init

    @Test func initCreatesTheFolderAndStrataIni() throws {
        let app = try AppFolder()
        let result = try app.strata("init")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("Created Migrations/") && result.stdout.contains("Created strata.ini"))
        #expect(try app.scripts() == [])
        let config = try app.read("strata.ini")
        #expect(config.contains("[strata]") && config.contains("database = app.db") && config.contains("migrations = Migrations"))
        // The written config is the one later commands use.
        let path = try revision(app, "-m", "first")
        #expect(path.hasPrefix("Migrations/"))
        #expect(try app.strata("upgrade").status == 0)
        #expect(FileManager.default.fileExists(atPath: app.root + "/app.db"))
    }

    @Test func initWritesTheGivenDatabaseAndFolder() throws {
        let app = try AppFolder()
        let result = try app.strata("init", "db/migrations", "--database", "sqlite:///data/mesh.db")
        #expect(result.status == 0, "\(result)")
        #expect(FileManager.default.fileExists(atPath: app.root + "/db/migrations"))
        let config = try app.read("strata.ini")
        #expect(config.contains("database = data/mesh.db") && config.contains("migrations = db/migrations"), "\(config)")
    }

    @Test func initRefusesANonEmptyFolderAndChangesNothing() throws {
        let app = try initialised()
        try revision(app, "-m", "first")
        try FileManager.default.removeItem(atPath: app.root + "/strata.ini")
        try expectRefused(app, ["init"], status: 64, mentions: ["Migrations", "not empty"])
        #expect(!FileManager.default.fileExists(atPath: app.root + "/strata.ini"))
    }

    @Test func initAcceptsAnEmptyFolderAndKeepsAnExistingStrataIni() throws {
        let app = try initialised()
        let config = try app.read("strata.ini")
        let result = try app.strata("init")
        #expect(result.status == 0, "\(result)")
        #expect(!result.stdout.contains("Created"), "\(result)")
        #expect(try app.read("strata.ini") == config)
    }

    // MARK: revision

    @Test func revisionWritesAParseableScriptOnTheSingleHead() throws {
        let app = try initialised()
        let first = try revision(app, "-m", "Create node table!")
        let name = try #require(first.split(separator: "/").last.map(String.init))
        #expect(try Regex("[0-9a-f]{12}_create_node_table\\.sql").wholeMatch(in: name) != nil, "\(first)")
        #expect(first == "Migrations/" + name)
        let firstID = String(name.prefix(12))
        let text = try app.read(first)
        #expect(header(text, "revision") == firstID)
        #expect(header(text, "revises") == "")
        #expect(header(text, "message") == "Create node table!")
        #expect(text.contains("-- +upgrade") && text.contains("-- +downgrade"))

        let second = try revision(app, "-m", "add index")
        let secondText = try app.read(second)
        #expect(header(secondText, "revises") == firstID)

        // Both files parse and form one chain: history lists them, upgrade applies them.
        let rows = try json(app.strata("history", "--format", "json"))
        #expect(rows.map { $0["revision"] as? String } == [header(secondText, "revision"), firstID])
        #expect(try app.strata("upgrade").status == 0)
    }

    @Test func revisionOptions() throws {
        let app = try initialised()
        try revision(app, "-m", "root", "--rev-id", "root0001")
        let side = try revision(app, "-m", "side branch", "--rev-id", "side0001", "--head", "base", "--branch-label", "side")
        #expect(side == "Migrations/side0001_side_branch.sql")
        var text = try app.read(side)
        #expect(header(text, "revises") == "")
        #expect(header(text, "branch-labels") == "side")

        // --head takes a label form; --depends-on a prefix.
        let next = try revision(app, "-m", "on side", "--rev-id", "side0002", "--head", "side@head", "--depends-on", "root")
        text = try app.read(next)
        #expect(header(text, "revises") == "side0001")
        #expect(header(text, "depends-on") == "root0001")

        // --splice allows building on a revision that is not a head.
        try revision(app, "-m", "splice", "--rev-id", "spli0001", "--head", "side0001", "--splice")
        #expect(try Set(json(app.strata("heads", "--format", "json")).compactMap { $0["revision"] as? String })
                == ["root0001", "side0002", "spli0001"])
    }

    @Test func revisionIsRefusedWithTwoHeadsNamingThem() throws {
        let app = try initialised()
        try revision(app, "-m", "one", "--rev-id", "left0001")
        try revision(app, "-m", "two", "--rev-id", "rite0001", "--head", "base")
        try expectRefused(app, ["revision", "-m", "three"], status: 64,
                          mentions: ["2 heads", "left0001", "rite0001", "--head", "Nothing was written"])
    }

    @Test func revisionRefusals() throws {
        let app = try initialised()
        try revision(app, "-m", "one", "--rev-id", "aaaa0001")
        try revision(app, "-m", "two", "--rev-id", "bbbb0002", "--branch-label", "main")
        try expectRefused(app, ["revision", "-m", "x", "--rev-id", "not-valid"], status: 64,
                          mentions: ["--rev-id 'not-valid'", "not a valid revision id"])
        try expectRefused(app, ["revision", "-m", "x", "--rev-id", "aaaa0001"], status: 64,
                          mentions: ["--rev-id 'aaaa0001'", "already used", "aaaa0001_one.sql"])
        try expectRefused(app, ["revision", "-m", "x", "--rev-id", "Heads"], status: 64,
                          mentions: ["--rev-id 'Heads'", "reserved target name"])
        try expectRefused(app, ["revision", "-m", "x", "--branch-label", "two words"], status: 64,
                          mentions: ["--branch-label 'two words' is not a valid label"])
        try expectRefused(app, ["revision", "-m", "x", "--head", "nope"], status: 64, mentions: ["nope"])
        try expectRefused(app, ["revision", "-m", "x", "--head", "aaaa0001"], status: 64,
                          mentions: ["aaaa0001 is not a head", "--splice"])
        try expectRefused(app, ["revision", "-m", "x", "--depends-on", "zzzz"], status: 64, mentions: ["zzzz"])
        try expectRefused(app, ["revision", "-m", "x", "--branch-label", "main"], status: 1,
                          mentions: ["main", "bbbb0002", "Nothing was written"])
        try expectRefused(app, ["revision"], status: 64, mentions: ["--message"])
        try expectRefused(app, ["revision", "-m", "x", "--migrations", "NoSuchFolder"], status: 1,
                          mentions: ["NoSuchFolder", "does not exist"])
    }

    // MARK: merge

    @Test func mergeJoinsAllHeadsByDefault() throws {
        let app = try initialised()
        try revision(app, "-m", "base", "--rev-id", "base0001")
        try revision(app, "-m", "left", "--rev-id", "left0001")
        try revision(app, "-m", "right", "--rev-id", "rite0001", "--head", "base0001", "--splice")
        let result = try app.strata("merge", "-m", "join branches", "--rev-id", "merge001")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "Migrations/merge001_join_branches.sql\n")
        let text = try app.read("Migrations/merge001_join_branches.sql")
        #expect(header(text, "revises")?.split(separator: " ").sorted() == ["left0001", "rite0001"])
        let heads = try json(app.strata("heads", "--format", "json"))
        #expect(heads.map { $0["revision"] as? String } == ["merge001"])
        #expect(try app.strata("upgrade").status == 0)
    }

    @Test func mergeOfNamedRevisions() throws {
        let app = try initialised()
        try revision(app, "-m", "a", "--rev-id", "aaaa0001", "--head", "base")
        try revision(app, "-m", "b", "--rev-id", "bbbb0001", "--head", "base")
        try revision(app, "-m", "c", "--rev-id", "cccc0001", "--head", "base")
        let result = try app.strata("merge", "-m", "two of three", "--rev-id", "merge001", "aaaa", "bbbb0001")
        #expect(result.status == 0, "\(result)")
        #expect(header(try app.read("Migrations/merge001_two_of_three.sql"), "revises") == "aaaa0001 bbbb0001")
        try expectRefused(app, ["merge", "-m", "x", "cccc", "cccc0001"], status: 64,
                          mentions: ["Nothing to merge", "cccc0001"])
    }

    @Test func mergeIsRefusedWithOneHead() throws {
        let app = try initialised()
        try expectRefused(app, ["merge", "-m", "nothing"], status: 64, mentions: ["Nothing to merge", "no heads"])
        try revision(app, "-m", "only", "--rev-id", "only0001")
        try expectRefused(app, ["merge", "-m", "nothing"], status: 64,
                          mentions: ["Nothing to merge", "1 head", "only0001", "Nothing was written"])
    }

    // MARK: history, heads, branches, show

    /// base0001 -> a1 -> a2 (label left) and base0001 -> b1 (label right): a branch point.
    func branchedApp() throws -> AppFolder {
        let app = try initialised()
        try revision(app, "-m", "root", "--rev-id", "base0001")
        try revision(app, "-m", "a one", "--rev-id", "aaaa0001", "--branch-label", "left")
        try revision(app, "-m", "a two", "--rev-id", "aaaa0002")
        try revision(app, "-m", "b one", "--rev-id", "bbbb0001", "--head", "base0001", "--splice", "--branch-label", "right")
        return app
    }

    func ids(_ result: ProcessResult) throws -> [String] {
        try json(result).compactMap { $0["revision"] as? String }
    }

    @Test func historyIsNewestFirstAndTakesRanges() throws {
        let app = try branchedApp()
        let all = try ids(app.strata("history", "--format", "json"))
        #expect(Set(all) == ["base0001", "aaaa0001", "aaaa0002", "bbbb0001"])
        #expect(all.last == "base0001")
        #expect(all.firstIndex(of: "aaaa0002")! < all.firstIndex(of: "aaaa0001")!)

        #expect(try ids(app.strata("history", "-r", "base:aaaa0001", "--format", "json")) == ["aaaa0001", "base0001"])
        #expect(try ids(app.strata("history", "-r", "aaaa0001:", "--format", "json")) == ["aaaa0002", "aaaa0001"])
        #expect(try ids(app.strata("history", "-r", ":bbbb", "--format", "json")) == ["bbbb0001", "base0001"])
        // A relative start must not be taken for an option.
        #expect(try ids(app.strata("history", "-r", "-1:aaaa0002", "--format", "json")) == ["aaaa0002", "aaaa0001"])
        #expect(try ids(app.strata("history", "--range", "base:left@head", "--format", "json")) == ["aaaa0002", "aaaa0001", "base0001"])

        let text = try app.strata("history")
        #expect(text.stdout.contains("aaaa0001 -> aaaa0002 (head), a two"), "\(text)")
        #expect(text.stdout.contains("<base> -> base0001, root"), "\(text)")

        let verbose = try app.strata("history", "--verbose", "-r", "aaaa0001:aaaa0001")
        #expect(verbose.status == 0, "\(verbose)")
        #expect(verbose.stdout.contains("Rev: aaaa0001") && verbose.stdout.contains("Parent: base0001")
                && verbose.stdout.contains("Branch names: left") && verbose.stdout.contains("Path: Migrations/aaaa0001_a_one.sql"), "\(verbose)")
        #expect(!verbose.stdout.contains("aaaa0002"))

        try expectRefused(app, ["history", "-r", "aaaa0002:bbbb0001"], status: 64, mentions: ["aaaa0002", "not an ancestor"])
        try expectRefused(app, ["history", "-r", "nocolon"], status: 64, mentions: ["nocolon", "colon"])
        try expectRefused(app, ["history", "-r", "zzzz:"], status: 64, mentions: ["zzzz"])
    }

    @Test func historyMarksAppliedRevisions() throws {
        let app = try branchedApp()
        #expect(try app.strata("upgrade", "left@head").status == 0)
        let rows = try json(app.strata("history", "--format", "json"))
        let applied = Set(rows.filter { $0["applied"] as? Bool == true }.compactMap { $0["revision"] as? String })
        #expect(applied == ["base0001", "aaaa0001", "aaaa0002"])
        #expect(try app.strata("history").stdout.contains("aaaa0001 -> aaaa0002 (head) (applied), a two"))
    }

    @Test func historyStillWorksWhenTheDatabaseIsAtAnUnknownRevision() throws {
        let app = try branchedApp()
        #expect(try app.strata("upgrade", "right@head").status == 0)
        _ = try Run.sqlite3(app.root + "/app.db", "UPDATE strata_version SET version_num = 'dead0000beef';")
        let result = try app.strata("history")
        #expect(result.status == 0, "\(result)")
        #expect(firstLine(result).contains("warning") && firstLine(result).contains("dead0000beef"), "\(result)")
        #expect(result.stdout.contains("aaaa0001 -> aaaa0002 (head), a two") && !result.stdout.contains("(applied)"))
    }

    @Test func headsAndBranches() throws {
        let app = try branchedApp()
        let heads = try app.strata("heads")
        #expect(heads.status == 0, "\(heads)")
        #expect(heads.stdout.contains("aaaa0002 (head)") && heads.stdout.contains("bbbb0001 (right) (head)"), "\(heads)")

        let branches = try app.strata("branches")
        #expect(branches.status == 0, "\(branches)")
        #expect(branches.stdout.contains("base0001 (branchpoint), root"), "\(branches)")
        #expect(branches.stdout.contains("-> aaaa0001") && branches.stdout.contains("-> bbbb0001"), "\(branches)")
        let points = try json(app.strata("branches", "--format", "json"))
        #expect(points.count == 1 && points.first?["revision"] as? String == "base0001")
        #expect((points.first?["children"] as? [String]).map(Set.init) == ["aaaa0001", "bbbb0001"])
    }

    @Test func showByPrefixLabelAndHead() throws {
        let app = try branchedApp()
        let path = app.root + "/Migrations/aaaa0001_a_one.sql"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "-- and ';' inside strings are fine.\n",
                                         with: "-- and ';' inside strings are fine.\nCREATE TABLE a1 (note TEXT DEFAULT 'x;y');\n")
        try text.write(toFile: path, atomically: true, encoding: .utf8)

        let byPrefix = try app.strata("show", "aaaa0001")
        #expect(byPrefix.status == 0, "\(byPrefix)")
        #expect(byPrefix.stdout.hasPrefix("Rev: aaaa0001"), "\(byPrefix)")
        #expect(byPrefix.stdout.contains("Parent: base0001") && byPrefix.stdout.contains("Children: aaaa0002"))
        #expect(byPrefix.stdout.contains("Path: Migrations/aaaa0001_a_one.sql"))
        #expect(byPrefix.stdout.contains("-- +upgrade") && byPrefix.stdout.contains("CREATE TABLE a1 (note TEXT DEFAULT 'x;y');"))

        #expect(try app.strata("show", "right").stdout.hasPrefix("Rev: bbbb0001 (head)"))
        #expect(try app.strata("show", "left@head").stdout.hasPrefix("Rev: aaaa0002 (head)"))
        #expect(try app.strata("show", "base0").stdout.hasPrefix("Rev: base0001"))

        let object = try #require(try JSONSerialization.jsonObject(with: Data(app.strata("show", "aaaa0001", "--format", "json").stdout.utf8)) as? [String: Any])
        #expect((object["upgrade"] as? String)?.contains("CREATE TABLE a1") == true)
        #expect((object["summary"] as? [String: Any])?["revision"] as? String == "aaaa0001")
    }

    @Test func showRefusals() throws {
        let app = try branchedApp()
        try expectRefused(app, ["show", "nope"], status: 64, mentions: ["nope"])
        try expectRefused(app, ["show", "aaaa"], status: 64, mentions: ["aaaa", "aaaa0001", "aaaa0002"])
        try expectRefused(app, ["show", "head"], status: 64, mentions: ["aaaa0002", "bbbb0001"])
        try expectRefused(app, ["show", "heads"], status: 64, mentions: ["2 revisions", "show takes exactly one"])
        try expectRefused(app, ["show", "base"], status: 64, mentions: ["'base' names no revision"])
        try expectRefused(app, ["show"], status: 64, mentions: ["<revision>"])
    }

    // MARK: The repository's example Migrations/

    /// `<repo>/Migrations`, found from this file: Tests/StrataCLITests/<file>.
    static let exampleMigrations = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Migrations").path

    @Test(arguments: ["delete", "wal"])
    func exampleMigrationsGoUpToHeadsAndDownToBaseCleanly(journal: String) throws {
        let project = try Project(journal: journal)
        let folder = Self.exampleMigrations
        let empty = try Run.sqlite3(project.root + "/empty.db", ".dump").stdout

        var result = try project.strata("upgrade", "heads", "--migrations", folder)
        #expect(result.status == 0, "\(result)")
        let scriptHeads = try json(project.strata("heads", "--migrations", folder, "--format", "json"))
            .compactMap { $0["revision"] as? String }
        let current = try #require(try JSONSerialization.jsonObject(
            with: Data(project.strata("current", "--migrations", folder, "--format", "json").stdout.utf8)) as? [String: Any])
        #expect((current["heads"] as? [String]).map(Set.init) == Set(scriptHeads))
        #expect(try project.tables().contains("packet"))
        try expectClean(project)
        #expect(try project.strata("check", "--migrations", folder).status == 0)

        result = try project.strata("downgrade", "base", "--migrations", folder)
        #expect(result.status == 0, "\(result)")
        #expect(try project.versions() == [])
        try expectClean(project)

        // At base only Strata's own objects remain: drop them and the dump is an empty file's.
        let own = try Run.sqlite3(project.database, "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'strata\\_%' ESCAPE '\\';")
            .stdout.split(separator: "\n")
        #expect(own.contains("strata_version"))
        let drop = own.map { "DROP TABLE \($0);" }.joined(separator: "\n")
        let dropped = try Run.sqlite3(project.database, drop, arguments: ["-bail"])
        #expect(dropped.status == 0, "\(dropped)")
        // sqlite_sequence cannot be dropped; an empty one dumps as this line alone.
        let dump = try project.dump().replacingOccurrences(of: "DELETE FROM sqlite_sequence;\n", with: "")
        #expect(dump == empty)
    }

    func expectClean(_ project: Project, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try Run.sqlite3(project.database, "PRAGMA integrity_check;").stdout == "ok\n", sourceLocation: sourceLocation)
        #expect(try Run.sqlite3(project.database, "PRAGMA foreign_key_check;").stdout == "", sourceLocation: sourceLocation)
    }
}

/// The first line of stderr: the one sentence a user reads.
private func firstLine(_ result: ProcessResult) -> String {
    result.stderr.split(separator: "\n").first.map(String.init) ?? ""
}
