import Foundation
import Testing
@testable import Strata

/// Snapshot schema v2, pinned forever by `archive/snapshot-schema-v2/` (made once by its
/// make.sh, see there): every later Strata must read back, from the schemas that file stores
/// whole or as changes, exactly the schemas the sqlite3 shell recorded on its own.
@Suite struct GoldenSnapshotSchemaTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("archive/snapshot-schema-v2").path

    @Test func everySnapshotReadsBackTheSchemaTheShellSaw() throws {
        // A copy: the golden file is never opened for writing.
        let directory = TemporaryDirectory("golden-schema")
        try FileManager.default.copyItem(atPath: Self.folder + "/schemas.db", toPath: directory.file("schemas.db"))
        let expected = try String(contentsOfFile: Self.folder + "/expected.jsonl", encoding: .utf8)
            .split(separator: "\n").map { try JSONValue.parse(String($0)) }
        #expect(expected.count == 37)

        let connection = try Connection(path: directory.file("schemas.db"), mode: .readOnly)
        #expect(try connection.scalar("SELECT value FROM strata_meta WHERE key = 'layout_version'")?.text == "2")
        let stored = try connection.query("SELECT id, schema FROM strata_snapshots ORDER BY id") { ($0.int64(0), $0.string(1)) }
        #expect(stored.filter { !SchemaDelta.isDelta($0.1) }.map(\.0) == [1, 34])

        let catalog = SnapshotCatalog(connection: connection)
        #expect(try catalog.all().map { try JSONValue.parse(catalog.schemaJSON(of: $0)) } == expected)
        for id in [33, 2, 37, 34] as [Int64] {  // each alone, walking back to a whole schema
            let fresh = SnapshotCatalog(connection: connection)
            #expect(try JSONValue.parse(fresh.schemaJSON(of: #require(try fresh.snapshot(id)))) == expected[Int(id) - 1])
        }
    }
}
