import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One finished child process: wall time from spawn to reap, its peak RSS (wait4's rusage,
/// which on Linux covers the child and the descendants it waited for), exit status, output.
struct Finished {
    var seconds: Double
    var maxRSSKiB: Int
    var status: Int32
    var stdout: String
    var stderr: String
}

struct ProcessFailure: Error, CustomStringConvertible {
    var description: String
}

/// glibc ≥ 2.29 has it, but Glibc's Swift module does not export it.
private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
private let addChdirAction: AddChdir? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np").map { unsafeBitCast($0, to: AddChdir.self) }

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Spawns `argv` (searched on PATH) with posix_spawn, so nothing but the exec itself sits between
/// the two clock readings; stdout and stderr go to files that are read back afterwards.
func spawn(_ argv: [String], cwd: String? = nil, environment: [String: String] = [:],
           removing: [String] = [], stdin: String? = nil, check: Bool = true) throws -> Finished {
    let scratch = NSTemporaryDirectory() + "strata-bench-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    let outPath = scratch + ".out", errPath = scratch + ".err"
    defer { unlink(outPath); unlink(errPath) }

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, stdin ?? "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    if let cwd {
        guard let addchdir = addChdirAction else { throw ProcessFailure(description: "posix_spawn_file_actions_addchdir_np is not available") }
        _ = addchdir(&actions, cwd)
    }

    var env = ProcessInfo.processInfo.environment
    for key in removing { env[key] = nil }
    for (key, value) in environment { env[key] = value }
    let cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
    let cEnv: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { cArgs.forEach { free($0) }; cEnv.forEach { free($0) } }

    var pid: pid_t = 0
    let start = monotonicSeconds()
    let rc = posix_spawnp(&pid, argv[0], &actions, nil, cArgs, cEnv)
    guard rc == 0 else { throw ProcessFailure(description: "cannot start \(argv[0]): \(String(cString: strerror(rc)))") }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 {
        guard errno == EINTR else { throw ProcessFailure(description: "wait4 failed for \(argv[0])") }
    }
    let seconds = monotonicSeconds() - start
    let exitCode: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    let result = Finished(
        seconds: seconds, maxRSSKiB: Int(usage.ru_maxrss), status: exitCode,
        stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    if check && exitCode != 0 {
        throw ProcessFailure(description: "\(argv.joined(separator: " ")) exited \(exitCode): \(result.stderr.suffix(2000))\(result.stdout.suffix(2000))")
    }
    return result
}

/// A shell pipeline, timed as a whole (`sh -c`), the way a user would type it.
func shell(_ command: String, cwd: String? = nil, check: Bool = true) throws -> Finished {
    try spawn(["/bin/sh", "-c", command], cwd: cwd, check: check)
}

func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

func fileSize(_ path: String) -> Int64 {
    var st = stat()
    return stat(path, &st) == 0 ? Int64(st.st_size) : 0
}

func removeDatabase(_ path: String) {
    for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
}

func copyFile(_ from: String, _ to: String) throws {
    removeDatabase(to)
    _ = try spawn(["cp", from, to])
    // Written back now, untimed: otherwise the first fsync of whatever is measured next pays
    // for the whole copy.
    _ = try spawn(["sync", to])
}

func write(_ text: String, to path: String) throws {
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}

func log(_ message: String) {
    FileHandle.standardError.write(Data("[bench \(timestampNow())] \(message)\n".utf8))
}

func timestampNow() -> String {
    let formatter = DateFormatter()
    formatter.dateFormat = "HH:mm:ss"
    return formatter.string(from: Date())
}

/// Reads one value out of a JSON text with a key path, e.g. ["tables", 0, "rows"].
func jsonValue(_ text: String) -> Any? {
    try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
}
