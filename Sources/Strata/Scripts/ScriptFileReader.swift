#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a script file's bytes with plain `open`/`fstat`/`read`: the boot check reads every
/// script on every start, and Foundation's `Data(contentsOf: URL(...))` plus a separate
/// `fileExists` check cost several times more per file than the read itself.
enum ScriptFileReader {
    enum Outcome {
        case bytes([UInt8])
        /// A folder (or a link to one) whose name ends in `.sql`: not a script.
        case folder
        /// Anything else (no such file, no permission, not a regular file): the caller reads it
        /// through Foundation, which either manages or throws its usual, well-worded error.
        case notRead
    }

    static func contents(of path: String) -> Outcome {
        var info = stat()
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            // A folder we may not open is still a folder (and skipped, as any other folder).
            return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR ? .folder : .notRead
        }
        defer { close(descriptor) }
        guard fstat(descriptor, &info) == 0 else { return .notRead }
        if info.st_mode & S_IFMT == S_IFDIR { return .folder }
        guard info.st_mode & S_IFMT == S_IFREG else { return .notRead }

        // The size is only a hint (the file may change meanwhile), so ask for one byte more:
        // a regular file returns less than asked only at its end, which saves the extra `read`
        // that would otherwise confirm it. A file that grew gets a bigger buffer.
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size) + 1)
        var count = 0
        while true {
            let wanted = bytes.count - count
            let got = bytes.withUnsafeMutableBytes { buffer in
                read(descriptor, buffer.baseAddress! + count, wanted)
            }
            if got < 0 {
                if errno == EINTR { continue }
                return .notRead
            }
            count += got
            if got < wanted { break }
            bytes += repeatElement(0, count: bytes.count)
        }
        bytes.removeLast(bytes.count - count)
        return .bytes(bytes)
    }
}
