import Dispatch

/// One chunk being checksummed and compressed on another core while the connection's thread
/// reads and encodes the next: SQLite's connection must stay on one thread, so the stages
/// overlap instead. The caller stores the chunks in the order it started them.
final class ChunkCompression: @unchecked Sendable {
    struct Output {
        /// The raw chunk, handed back to be filled again.
        var raw: ChunkBytes
        var rows: Int64
        var crc32: UInt32
        /// 1 (zlib) when compressing made it smaller, else 0 (stored raw).
        var encoding: Int64
        /// The zlib stream; nil when encoding is 0 (the raw bytes are stored).
        var compressed: [UInt8]?
    }

    /// A serial queue with its own compressor: chunks sent to one lane compress one at a time,
    /// so its compressor (libdeflate's tables, allocated once) is never shared between threads.
    final class Lane: @unchecked Sendable {
        fileprivate let queue = DispatchQueue(label: "strata.chunk-compression", qos: .userInitiated)
        fileprivate let compressor: Zlib.Compressor

        init(level: Int32) throws {
            compressor = try Zlib.Compressor(level: level)
        }
    }

    private let done = DispatchSemaphore(value: 0)
    // Written by the lane before `done` is signalled, read only after waiting on it.
    private var output: Output?

    init(raw: ChunkBytes, rows: Int64, on lane: Lane) {
        lane.queue.async { [self] in
            let bytes = raw.bytes
            // Worth storing compressed only when smaller; libdeflate gives up once it is not.
            let compressed = lane.compressor.compress(bytes, limit: max(bytes.count - 1, 0))
            output = Output(raw: raw, rows: rows, crc32: Zlib.crc32(bytes), encoding: compressed == nil ? 0 : 1,
                            compressed: compressed)
            done.signal()
        }
    }

    func wait() -> Output {
        done.wait()
        return output!
    }
}
