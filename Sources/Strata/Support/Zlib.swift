import StrataCDeflate

/// zlib streams (RFC 1950), made and read with libdeflate: every payload Strata compresses is
/// one whole buffer, for which libdeflate is about twice as fast as zlib at the fast levels
/// (Docs/architecture.md). Any zlib reads what it writes, and it reads what zlib wrote.
public enum Zlib {
    /// Compresses `bytes` at `level` (1 fastest … 9 smallest; libdeflate goes on to 12).
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) throws -> [UInt8] {
        let compressor = try Compressor(level: level)
        return try bytes.withUnsafeBytes { input in
            guard let output = compressor.compress(input, limit: compressor.bound(input.count)) else {
                throw StrataError(.io, "zlib compression failed (the output did not fit its bound).")
            }
            return output
        }
    }

    /// Decompresses a zlib stream that inflates to exactly `size` bytes.
    public static func decompress(_ bytes: [UInt8], size: Int) throws -> [UInt8] {
        guard let decompressor = libdeflate_alloc_decompressor() else {
            throw StrataError(.io, "zlib decompression could not start (out of memory).")
        }
        defer { libdeflate_free_decompressor(decompressor) }
        var result = LIBDEFLATE_BAD_DATA
        let output = [UInt8](unsafeUninitializedCapacity: max(size, 1)) { out, initialized in
            // No `actual_out_nbytes_ret`: anything but exactly `size` bytes is an error.
            result = bytes.withUnsafeBytes { input in
                libdeflate_zlib_decompress(decompressor, input.baseAddress, input.count, out.baseAddress, size, nil)
            }
            initialized = result == LIBDEFLATE_SUCCESS ? size : 0
        }
        guard result == LIBDEFLATE_SUCCESS else {
            throw StrataError(.integrity, "A zlib stream is corrupt or does not inflate to its recorded size (\(size) bytes, libdeflate code \(result.rawValue)).")
        }
        return output
    }

    /// The CRC-32 (ISO-HDLC, as zlib's `crc32`) of `bytes`.
    public static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        libdeflate_crc32(0, bytes.baseAddress, bytes.count)
    }

    /// One compressor kept for many buffers (allocating its tables per buffer costs more than
    /// compressing a small one). Not thread-safe: one thread uses it at a time.
    public final class Compressor: @unchecked Sendable {
        private let handle: OpaquePointer

        public init(level: Int32) throws {
            guard let handle = libdeflate_alloc_compressor(level) else {
                throw StrataError(.io, "zlib compression could not start (level \(level), or out of memory).")
            }
            self.handle = handle
        }

        deinit { libdeflate_free_compressor(handle) }

        /// The most a zlib stream of `count` bytes can take.
        public func bound(_ count: Int) -> Int {
            libdeflate_zlib_compress_bound(handle, count)
        }

        /// The zlib stream of `input`, or nil when it would take more than `limit` bytes.
        public func compress(_ input: UnsafeRawBufferPointer, limit: Int) -> [UInt8]? {
            let output = [UInt8](unsafeUninitializedCapacity: max(limit, 1)) { out, initialized in
                initialized = libdeflate_zlib_compress(handle, input.baseAddress, input.count, out.baseAddress, limit)
            }
            // A zlib stream is never empty: 0 is libdeflate's "it did not fit".
            return output.isEmpty ? nil : output
        }
    }
}
