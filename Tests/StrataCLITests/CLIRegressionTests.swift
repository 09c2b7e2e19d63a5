import Foundation
import Testing

/// Usage problems found in review: each is refused before anything is written, with the
/// subcommand's help named.
@Suite struct CLIRegressionTests {
    func project() throws -> Project {
        let project = try Project(journal: "wal")
        project.script("aaaa1111", up: "CREATE TABLE t1 (x);", down: "DROP TABLE t1;")
        project.script("bbbb2222", revises: ["aaaa1111"], up: "CREATE TABLE t2 (x);", down: nil)
        project.script("cccc3333", revises: ["bbbb2222"], up: "CREATE TABLE t3 (x);", down: "DROP TABLE t3;")
        return project
    }

    @Test func aBadFormatIsRefusedBeforeAnUpgradeRuns() throws {
        let project = try project()
        let dump = try project.fullDump()
        for format in ["csv", "sql", "xml"] {
            let result = try project.strata("upgrade", "--format", format)
            #expect(result.status == 64, "\(result)")
        }
        #expect(try project.fullDump() == dump)
        #expect(try project.versions() == [])
    }

    @Test func aMissingTargetPointsAtTheSubcommandsHelp() throws {
        let project = try project()
        let result = try project.strata("downgrade")
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("Missing TARGET"))
        #expect(result.stderr.contains("strata downgrade --help"))
    }

    @Test func offlineDowngradeErrorsNameWhereTheDatabaseIs() throws {
        let project = try project()
        #expect(try project.strata("upgrade").status == 0)
        let result = try project.strata("downgrade", "base", "--sql")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("bbbb2222") && result.stderr.contains("still at cccc3333"), "\(result)")
    }

    @Test func logTakesRevisionPrefixesAndRefusesUnknownKinds() throws {
        let project = try project()
        #expect(try project.strata("upgrade").status == 0)
        var result = try project.strata("log", "--revision", "bbbb", "--format", "json")
        #expect(result.status == 0, "\(result)")
        let events = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
        #expect(events?.isEmpty == false)
        #expect(events?.allSatisfy { $0["revision"] as? String == "bbbb2222" } == true)
        result = try project.strata("log", "--kind", "bogus_kind")
        #expect(result.status == 64 && result.stderr.contains("migration_applied"), "\(result)")
    }

    @Test func restoreTakesOnlyTheOptionsItUses() throws {
        let project = try project()
        #expect(try project.strata("upgrade").status == 0)
        let result = try project.strata("restore", "aaaa1111", "--yes", "--accept-edited")
        #expect(result.status == 64, "\(result)")
        #expect(try project.versions() == ["cccc3333"])
    }

    @Test func aSideFileReportsNoUndoSnapshot() throws {
        let project = try project()
        #expect(try project.strata("upgrade").status == 0)
        let result = try project.strata("restore", "aaaa1111", "--into", project.root + "/side.db", "--format", "json")
        #expect(result.status == 0, "\(result)")
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(report?["heads"] as? [String] == ["aaaa1111"])
        #expect(report?["undo_snapshot"] == nil || report?["undo_snapshot"] is NSNull)
    }
}
