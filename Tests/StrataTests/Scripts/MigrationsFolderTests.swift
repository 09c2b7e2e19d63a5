import Foundation
import Testing
@testable import Strata

/// The example app's scripts in Migrations/ (MeshView-shaped), used by the README and docs.
@Suite struct MigrationsFolderTests {
    static let folder = ScriptTestSupport.repositoryRoot().appendingPathComponent("Migrations").path

    @Test func loadsAsOneLinearChainWithDowngrades() throws {
        let scripts = try ScriptDirectory.load(Self.folder)
        let byID = Dictionary(uniqueKeysWithValues: scripts.map { ($0.id, $0) })
        #expect(scripts.count == 6)

        // Walk from the base to the head through `revises`.
        var chain: [String] = []
        var current = scripts.first { $0.node.revises.isEmpty }
        while let script = current {
            chain.append(script.id)
            current = scripts.first { $0.node.revises == [script.id] }
        }
        #expect(chain == ["c88468b7ab0b", "1717fa5c6545", "4e7c0d2a9b16", "2b5a61bb2b75", "9f3b1a8d2c4f", "6c1e8f3d5a70"])

        for script in scripts {
            #expect(script.id.count == 12 && script.id.allSatisfy(\.isHexDigit), "\(script.id)")
            #expect(URL(fileURLWithPath: script.file ?? "").lastPathComponent.hasPrefix(script.id + "_"))
            #expect(!script.message.isEmpty)
            #expect(script.created != nil)
            #expect(script.downgrade?.sql?.contains(";") == true, "\(script.id) needs a working downgrade")
            #expect(script.checksum?.count == 64)
        }
        #expect(byID["1717fa5c6545"]?.message == "Add example table")
        #expect(byID["1717fa5c6545"]?.upgrade.sql?.contains("CREATE INDEX idx_example_name ON example (name);") == true)
        #expect(byID["9f3b1a8d2c4f"]?.upgrade.sql?.contains("ALTER TABLE packet DROP COLUMN import_time;") == true)
        // The trigger body (with its inner ';') stays in one piece inside the upgrade section.
        let trigger = byID["6c1e8f3d5a70"]?.upgrade.sql ?? ""
        #expect(trigger.contains("CREATE TRIGGER trg_packet_touch_node"))
        #expect(trigger.contains("'unknown; -- not announced yet'"))
        #expect(trigger.contains("END;"))
    }

    @Test func scriptsAreInCanonicalForm() throws {
        // So `sha256sum` of each file equals its Strata checksum: easy to check by hand.
        for script in try ScriptDirectory.load(Self.folder) {
            #expect(ScriptChecksum.canonicalForm(script.source ?? "") == Array((script.source ?? "").utf8), "\(script.id)")
        }
    }
}
