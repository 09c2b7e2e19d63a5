import Foundation
import Testing
@testable import Strata

/// `strata_meta.layout_version`: a writer records its layout in an older file, and refuses a
/// file written by a newer Strata without changing it.
@Suite struct LayoutVersionTests {
    let directory = TemporaryDirectory("layout")

    private func fileWithLayout(_ version: String) throws -> String {
        let path = directory.file("app.db")
        try SQLiteStore(path: path).prepareSchema()
        try Connection(path: path).execute("UPDATE strata_meta SET value = ? WHERE key = 'layout_version'", [.text(version)])
        return path
    }

    private func layout(_ path: String) throws -> String? {
        try Connection(path: path, mode: .readOnly).scalar("SELECT value FROM strata_meta WHERE key = 'layout_version'")?.text
    }

    @Test func aNewFileHasThisBuildsLayout() throws {
        let path = directory.file("new.db")
        try SQLiteStore(path: path).prepareSchema()
        #expect(try layout(path) == String(StrataSchema.layoutVersion))
    }

    /// Layout 1 files (every snapshot schema whole) are read as they are; from now on their
    /// snapshots may store deltas, which a layout-1 build must refuse.
    @Test func aWriterRecordsItsLayoutInALayoutOneFile() throws {
        let path = try fileWithLayout("1")
        try SQLiteStore(path: path).prepareSchema()
        #expect(try layout(path) == "2")
    }

    @Test func aFileFromANewerStrataIsRefusedAndUnchanged() throws {
        let path = try fileWithLayout("3")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let error = try #require(throws: StrataError.self) { try SQLiteStore(path: path).prepareSchema() }
        #expect(error.message == "Database '\(path)' was written by a newer Strata (table layout 3; this build knows 2); nothing was changed.")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }
}
