import Dispatch
import StrataCZlib

/// One chunk being checksummed and compressed on another core while the connection's thread
/// reads and encodes the next: compression is about half a snapshot's work, and SQLite's
/// connection must stay on one thread, so the two overlap. Chunks compress concurrently; the
/// caller stores them in order.
final class ChunkCompression: @unchecked Sendable {
    struct Output {
        var raw: [UInt8]
        var rows: Int64
        var crc32: UInt32
        /// 1 (zlib) when compressing made it smaller, else 0 (stored raw).
        var encoding: Int64
        var stored: [UInt8]
    }

    private static let workers = DispatchQueue(label: "strata.chunk-compression", qos: .userInitiated, attributes: .concurrent)
    private let done = DispatchSemaphore(value: 0)
    // Written by the worker before `done` is signalled, read only after waiting on it.
    private var result: Result<Output, any Error>?

    init(raw: [UInt8], rows: Int64, level: Int32) {
        Self.workers.async { [self] in
            result = Result {
                let checksum = raw.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
                let compressed = try Zlib.compress(raw, level: level)
                return compressed.count < raw.count
                    ? Output(raw: raw, rows: rows, crc32: checksum, encoding: 1, stored: compressed)
                    : Output(raw: raw, rows: rows, crc32: checksum, encoding: 0, stored: raw)
            }
            done.signal()
        }
    }

    func wait() throws -> Output {
        done.wait()
        return try result!.get()
    }
}
