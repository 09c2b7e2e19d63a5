import Foundation
import Testing
@testable import Strata

/// Helpers for the Scripts suites; prefixed so they cannot clash with other suites' helpers in
/// the same test module.
enum ScriptTestSupport {
    /// The repository root, found from this file's path (Tests/StrataTests/Scripts/…).
    static func repositoryRoot(_ filePath: String = #filePath) -> URL {
        URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Runs `body` with a fresh temporary folder, removed afterwards.
    static func withTemporaryFolder<T>(_ body: (String) throws -> T) throws -> T {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("strata-scripts-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        return try body(folder)
    }

    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// The error `body` throws, which must be a `StrataError`.
    static func error(_ body: () throws -> Void) -> StrataError? {
        do {
            try body()
            return nil
        } catch let error as StrataError {
            return error
        } catch {
            Issue.record("expected a StrataError, got \(error)")
            return nil
        }
    }

    /// Parses `text` expecting an `.invalidScript` error on `line` of `file` whose message
    /// contains `contains`; checks the message is one sentence naming the file and line.
    @discardableResult
    static func expectInvalid(_ text: String, file: String = "Migrations/1717_add.sql", line: Int,
                              contains: String, sourceLocation: SourceLocation = #_sourceLocation) -> StrataError? {
        guard let error = error({ _ = try ScriptParser.parse(text, file: file) }) else {
            Issue.record("expected the script to be rejected", sourceLocation: sourceLocation)
            return nil
        }
        #expect(error.code == .invalidScript, sourceLocation: sourceLocation)
        #expect(error.message.hasPrefix("\(file) line \(line)"), "\(error.message)", sourceLocation: sourceLocation)
        #expect(error.message.contains(contains), "\(error.message)", sourceLocation: sourceLocation)
        #expect(error.message.hasSuffix("."), "\(error.message)", sourceLocation: sourceLocation)
        #expect(!error.message.contains("\n"), "\(error.message)", sourceLocation: sourceLocation)
        return error
    }
}
