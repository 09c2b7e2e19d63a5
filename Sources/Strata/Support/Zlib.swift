import StrataCZlib

/// One-shot zlib (RFC 1950) compression for small payloads such as script texts.
public enum Zlib {
    /// Compresses `bytes` at `level` (1 fastest … 9 smallest).
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) throws -> [UInt8] {
        var capacity = compressBound(uLong(bytes.count))
        var output = [UInt8](repeating: 0, count: Int(capacity))
        let result = output.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { input in
                compress2(out.baseAddress, &capacity, input.baseAddress, uLong(input.count), level)
            }
        }
        guard result == Z_OK else { throw StrataError(.io, "zlib compression failed (code \(result)).") }
        output.removeSubrange(Int(capacity)...)
        return output
    }

    /// Decompresses a zlib stream that inflates to exactly `size` bytes.
    public static func decompress(_ bytes: [UInt8], size: Int) throws -> [UInt8] {
        var length = uLong(size)
        var output = [UInt8](repeating: 0, count: max(size, 1))
        let result = output.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { input in
                uncompress(out.baseAddress, &length, input.baseAddress, uLong(input.count))
            }
        }
        guard result == Z_OK, Int(length) == size else {
            throw StrataError(.integrity, "A zlib stream is corrupt or does not inflate to its recorded size (\(size) bytes, zlib code \(result)).")
        }
        output.removeSubrange(size...)
        return output
    }
}
