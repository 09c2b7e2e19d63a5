import Foundation
import Testing
@testable import Strata

/// Reads archive/scripts/checksum-v1 forever: if this fails, checksum v1 has changed and every
/// database's applied scripts would look edited. Add a v2 instead of changing v1.
@Suite struct ScriptChecksumGoldenTests {
    static let folder = ScriptTestSupport.repositoryRoot().appendingPathComponent("archive/scripts/checksum-v1")

    static func expected() throws -> [(hex: String, file: String)] {
        let list = try String(contentsOf: folder.appendingPathComponent("checksums.txt"), encoding: .utf8)
        return list.split(separator: "\n").map { line in
            let parts = line.split(separator: " ", maxSplits: 1)
            return (String(parts[0]), parts[1].trimmingCharacters(in: .whitespaces))
        }
    }

    private func text(_ file: String) throws -> String {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent(file))
        return try ScriptDirectory.decodeUTF8(data, file: file)
    }

    @Test func goldenChecksums() throws {
        let expected = try Self.expected()
        #expect(expected.count == 7)
        for (hex, file) in expected {
            #expect(ScriptChecksum.hex(of: try text(file)) == hex, "\(file)")
        }
    }

    @Test func goldenVariantsHaveTheCanonicalFormOfTheLFFile() throws {
        let reference = [UInt8](try Data(contentsOf: Self.folder.appendingPathComponent("example_lf.sql")))
        #expect(ScriptChecksum.canonicalForm(try text("example_lf.sql")) == reference)
        for variant in ["example_crlf.sql", "example_trailing_ws.sql", "example_bom_cr.sql"] {
            let raw = [UInt8](try Data(contentsOf: Self.folder.appendingPathComponent(variant)))
            #expect(raw != reference, "\(variant) must really differ in layout")
            #expect(ScriptChecksum.canonicalForm(try text(variant)) == reference, "\(variant)")
        }
    }

    @Test func goldenScriptsParseToTheSameRevision() throws {
        for file in ["example_lf.sql", "example_crlf.sql", "example_trailing_ws.sql", "example_bom_cr.sql"] {
            let script = try ScriptParser.parse(try text(file), file: file)
            #expect(script.id == "1717fa5c6545")
            #expect(script.node.revises == ["2b5a61bb2b75"])
            #expect(script.message == "Add example table")
            #expect(script.downgrade?.sql?.contains("DROP TABLE example;") == true)
        }
    }
}
