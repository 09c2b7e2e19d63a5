import Foundation
import Testing

/// The outcome of one process run.
struct ProcessResult: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String

    var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}

/// Runs real processes: the built `strata` binary and the `sqlite3` shell as the outside judge.
enum Run {
    /// The `strata` binary next to the test bundle (`.build/<config>/strata`), or `STRATA_BIN`.
    static let strataBinary: String = {
        if let explicit = ProcessInfo.processInfo.environment["STRATA_BIN"] { return explicit }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // The runner may be inside an .xctest bundle folder.
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("strata").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(".build/debug/strata").path
    }()

    static func strata(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> ProcessResult {
        try process(strataBinary, arguments, in: directory, environment: environment)
    }

    /// Runs the sqlite3 shell on `database` with `input` on stdin.
    static func sqlite3(_ database: String, _ input: String, arguments: [String] = []) throws -> ProcessResult {
        try process("/usr/bin/sqlite3", arguments + [database], in: FileManager.default.currentDirectoryPath, stdin: input)
    }

    /// This process's environment without the STRATA_ settings a developer's shell may hold
    /// (they would change what the child does), plus `extra`.
    static func childEnvironment(adding extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("STRATA_") && key != "STRATA_BIN" { environment[key] = nil }
        environment.merge(extra) { $1 }
        return environment
    }

    static func process(_ executable: String, _ arguments: [String], in directory: String,
                        environment: [String: String] = [:], stdin: String? = nil) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = childEnvironment(adding: environment)
        // Files rather than pipes: no deadlock however much a process prints.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("out"), err = scratch.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        if let stdin {
            let input = scratch.appendingPathComponent("in")
            try stdin.write(to: input, atomically: true, encoding: .utf8)
            process.standardInput = try FileHandle(forReadingFrom: input)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus,
                             stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                             stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}
