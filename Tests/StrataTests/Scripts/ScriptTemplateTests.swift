import Foundation
import Testing
@testable import Strata

@Suite struct ScriptTemplateTests {
    static let created = Date(timeIntervalSince1970: 1_761_512_344) // 2025-10-26T20:59:04Z

    @Test func rendersTheSpecShape() {
        let text = ScriptTemplate.render(revision: "1717fa5c6545", revises: ["2b5a61bb2b75"],
                                         message: "Add example table", created: Self.created)
        #expect(text.hasPrefix("""
            -- revision: 1717fa5c6545
            -- revises: 2b5a61bb2b75
            -- message: Add example table
            -- created: 2025-10-26T20:59:04Z

            -- +upgrade

            """))
        #expect(text.contains("\n-- +downgrade\n"))
        #expect(!text.contains(" \n"), "no trailing white space")
        #expect(text.hasSuffix("\n"))
    }

    @Test func roundTripsThroughTheParser() throws {
        let text = ScriptTemplate.render(revision: "abc123def456", revises: ["aaa111", "bbb222"], dependsOn: ["ccc333"],
                                         branchLabels: ["mobile"], message: "Merge heads\nand more", created: Self.created)
        let script = try ScriptParser.parse(text, file: "Migrations/abc123def456_merge.sql")
        #expect(script.id == "abc123def456")
        #expect(script.node.revises == ["aaa111", "bbb222"])
        #expect(script.node.dependsOn == ["ccc333"])
        #expect(script.node.branchLabels == ["mobile"])
        #expect(script.message == "Merge heads and more")
        #expect(script.created == "2025-10-26T20:59:04Z")
        #expect(script.transactional)
        #expect(script.downgrade != nil)
        // The placeholders are comments: a fresh script changes nothing.
        #expect(script.upgrade.sql?.split(separator: "\n").allSatisfy { $0.hasPrefix("--") } == true)
    }

    @Test func baseRevisionRoundTrips() throws {
        let text = ScriptTemplate.render(revision: "c88468b7ab0b", revises: [], message: "", created: Self.created)
        #expect(text.contains("-- revises:\n"))
        #expect(!text.contains("depends-on"))
        #expect(!text.contains("branch-labels"))
        let script = try ScriptParser.parse(text, file: "x.sql")
        #expect(script.node.revises.isEmpty)
        #expect(script.message == "")
    }

    @Test func slugs() {
        #expect(ScriptTemplate.slug("Add example table") == "add_example_table")
        #expect(ScriptTemplate.slug("  Drop import_time!! (v2) ") == "drop_import_time_v2")
        #expect(ScriptTemplate.slug("Zürich nodes") == "z_rich_nodes")
        #expect(ScriptTemplate.slug("") == "")
        #expect(ScriptTemplate.slug("!!!") == "")
        let long = ScriptTemplate.slug("add a very long descriptive message that keeps going and going")
        #expect(long.count <= 40)
        #expect(!long.hasSuffix("_"))
        #expect(long == "add_a_very_long_descriptive_message_that")
    }

    @Test func fileNames() {
        #expect(ScriptTemplate.fileName(revision: "1717fa5c6545", message: "Add example table") == "1717fa5c6545_add_example_table.sql")
        #expect(ScriptTemplate.fileName(revision: "1717fa5c6545", message: "") == "1717fa5c6545.sql")
    }

    @Test func freshRevisionIDsAreTwelveHexDigits() {
        var seen = Set<String>()
        for _ in 0..<200 {
            let id = ScriptTemplate.newRevisionID()
            #expect(id.count == 12)
            #expect(id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
            #expect(RevisionIdentifier.isValid(id))
            seen.insert(id)
        }
        #expect(seen.count == 200)
    }

    @Test func seededGeneratorPadsWithZeros() {
        struct Zero: RandomNumberGenerator { mutating func next() -> UInt64 { 0 } }
        var zero = Zero()
        #expect(RevisionIdentifier.generate(using: &zero) == "000000000000")
    }
}
