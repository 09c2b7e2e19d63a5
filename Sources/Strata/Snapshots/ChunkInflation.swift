import Dispatch

/// One stored chunk being decompressed and checked (size, CRC-32) on another core while the
/// connection's thread inserts the rows of the previous one: inflating is about a fifth of a
/// restore's row work, and SQLite's connection must stay on one thread, so the two overlap.
/// The read side of `ChunkCompression`.
final class ChunkInflation: @unchecked Sendable {
    struct Output {
        var raw: [UInt8]
        var rows: Int64
    }

    private static let workers = DispatchQueue(label: "strata.chunk-inflation", qos: .userInitiated, attributes: .concurrent)
    private let done = DispatchSemaphore(value: 0)
    // Written by the worker before `done` is signalled, read only after waiting on it.
    private var result: Result<Output, any Error>?

    /// `place` names the chunk in error messages ("chunk 3 of table 'packet' in snapshot 2").
    init(stored: [UInt8], encoding: Int64, rawSize: Int, crc32 expected: Int64, rows: Int64, place: String) {
        Self.workers.async { [self] in
            result = Result {
                let raw: [UInt8]
                switch encoding {
                case 0: raw = stored
                case 1:
                    do { raw = try Zlib.decompress(stored, size: rawSize) } catch {
                        throw StrataError(.integrity, "The \(place) does not decompress: the stored bytes are corrupt.")
                    }
                default:
                    throw StrataError(.integrity, "The \(place) has an unknown encoding \(encoding).")
                }
                let checksum = raw.withUnsafeBytes(Zlib.crc32)
                guard raw.count == rawSize, Int64(checksum) == expected else {
                    throw StrataError(.integrity, "The \(place) fails its CRC-32 check: the stored bytes are corrupt.")
                }
                return Output(raw: raw, rows: rows)
            }
            done.signal()
        }
    }

    func wait() throws -> Output {
        done.wait()
        return try result!.get()
    }
}
