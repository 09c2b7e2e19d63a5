import StrataCSQLite

/// Snapshot row codec, version 1 (Docs/formats.md, "Snapshot chunk codec v1").
///
/// A row is its columns in order, each a tag byte and a payload:
/// `0` NULL · `1` integer, zigzag LEB128 varint · `2` real, 8 bytes IEEE-754 little-endian
/// (bit-exact: -0.0, subnormals, NaN payloads) · `3` text, varint byte length + UTF-8 bytes ·
/// `4` blob, varint byte length + bytes (an empty blob is a blob, not NULL).
public enum RowCodec {
    public static let version = 1

    enum Tag: UInt8 {
        case null = 0, integer = 1, real = 2, text = 3, blob = 4
    }

    /// Appends the current row of `statement` (columns `0..<count`) to `out`.
    ///
    /// Reads each column once as a `sqlite3_value`: the `sqlite3_column_*` calls each take
    /// the statement's mutex path and error bookkeeping again (about 60 instructions a call,
    /// two or three calls a value), which was a fifth of a snapshot's reading thread. SQLite
    /// calls such a value "unprotected", meaning only that it must not be used from another
    /// thread meanwhile; the connection is used from this thread alone, and the value is read
    /// before the statement steps again.
    static func encodeRow(of statement: OpaquePointer, columns: Int32, into out: inout ChunkWriter) {
        for index in 0..<columns {
            let value = sqlite3_column_value(statement, index)
            switch sqlite3_value_type(value) {
            case SQLITE_NULL:
                out.reserve(1)
                out.write(Tag.null.rawValue)
            case SQLITE_INTEGER:
                out.reserve(11)
                out.write(Tag.integer.rawValue)
                let integer = sqlite3_value_int64(value)
                appendVarint(UInt64(bitPattern: (integer << 1) ^ (integer >> 63)), to: &out)
            case SQLITE_FLOAT:
                out.reserve(9)
                out.write(Tag.real.rawValue)
                var bits = sqlite3_value_double(value).bitPattern.littleEndian
                out.write(&bits, count: 8)
            case SQLITE_BLOB:
                let bytes = sqlite3_value_blob(value)
                let length = Int(sqlite3_value_bytes(value))
                appendBytes(tag: .blob, bytes, length: length, to: &out)
            default:
                // Text before its length: SQLite's documented order (a conversion, if any, first).
                let text = sqlite3_value_text(value)
                let length = Int(sqlite3_value_bytes(value))
                appendBytes(tag: .text, text.map(UnsafeRawPointer.init), length: length, to: &out)
            }
        }
    }

    /// A text or blob value: tag, varint length, bytes.
    @inline(__always)
    static func appendBytes(tag: Tag, _ bytes: UnsafeRawPointer?, length: Int, to out: inout ChunkWriter) {
        out.reserve(11 + length)
        out.write(tag.rawValue)
        appendVarint(UInt64(length), to: &out)
        if length > 0, let bytes { out.write(bytes, count: length) }
    }

    /// LEB128, at most 10 bytes (the caller has reserved them).
    @inline(__always)
    static func appendVarint(_ value: UInt64, to out: inout ChunkWriter) {
        var value = value
        while value >= 0x80 {
            out.write(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        out.write(UInt8(value))
    }

    /// Encodes values (for tests and golden files), through the same writer as snapshots.
    public static func encode(_ rows: [[SQLiteValue]]) -> [UInt8] {
        var out = ChunkWriter(ChunkBytes(capacity: 1024))
        for row in rows {
            for value in row {
                switch value {
                case .null:
                    out.reserve(1)
                    out.write(Tag.null.rawValue)
                case .integer(let v):
                    out.reserve(11)
                    out.write(Tag.integer.rawValue)
                    appendVarint(UInt64(bitPattern: (v << 1) ^ (v >> 63)), to: &out)
                case .real(let v):
                    out.reserve(9)
                    out.write(Tag.real.rawValue)
                    var bits = v.bitPattern.littleEndian
                    out.write(&bits, count: 8)
                case .text(let v):
                    var v = v
                    v.withUTF8 { appendBytes(tag: .text, $0.baseAddress, length: $0.count, to: &out) }
                case .blob(let v):
                    v.withUnsafeBytes { appendBytes(tag: .blob, $0.baseAddress, length: $0.count, to: &out) }
                }
            }
        }
        return Array(out.finish().bytes)
    }
}

/// Reads rows back out of a raw chunk, binding each straight into an INSERT statement.
struct RowDecoder {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var isAtEnd: Bool { offset >= bytes.count }

    private mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw Self.corrupt("a row ends early") }
        defer { offset += 1 }
        return bytes[offset]
    }

    private mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64 else { throw Self.corrupt("a varint is too long") }
            result |= UInt64(next & 0x7F) << shift
            if next & 0x80 == 0 { return result }
            shift += 7
        }
    }

    private mutating func span(_ length: UInt64) throws -> UnsafeRawBufferPointer {
        guard length <= UInt64(bytes.count - offset) else { throw Self.corrupt("a value runs past the chunk") }
        defer { offset += Int(length) }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + Int(length)])
    }

    /// Binds the next row's `columns` values to `columns` parameters of `statement` from
    /// `firstParameter` on, text and blobs pointing into the chunk.
    mutating func bindRow(columns: Int32, to statement: OpaquePointer, firstParameter: Int32 = 1) throws {
        for index in firstParameter..<firstParameter + columns {
            let result: Int32
            switch RowCodec.Tag(rawValue: try byte()) {
            case .null: result = sqlite3_bind_null(statement, index)
            case .integer:
                let zigzag = try varint()
                result = sqlite3_bind_int64(statement, index, Int64(bitPattern: (zigzag >> 1) ^ (0 &- (zigzag & 1))))
            case .real:
                let raw = try span(8)
                var bits: UInt64 = 0
                withUnsafeMutableBytes(of: &bits) { $0.copyMemory(from: raw) }
                result = sqlite3_bind_double(statement, index, Double(bitPattern: UInt64(littleEndian: bits)))
            // Text and blobs are bound in place (SQLITE_STATIC, a nil destructor): no copy per
            // value. The caller keeps the chunk alive until the statement has run and clears
            // the bindings before it goes.
            case .text:
                let text = try span(try varint())
                result = sqlite3_bind_text(
                    statement, index, text.baseAddress?.assumingMemoryBound(to: CChar.self) ?? RowDecoder.empty, Int32(text.count), nil)
            case .blob:
                let blob = try span(try varint())
                result = sqlite3_bind_blob(
                    statement, index, blob.baseAddress ?? UnsafeRawPointer(RowDecoder.empty), Int32(blob.count), nil)
            case nil:
                throw Self.corrupt("unknown value tag")
            }
            guard result == SQLITE_OK else { throw Self.corrupt("a value could not be bound (SQLite code \(result))") }
        }
    }

    /// Steps over one value, checking its tag and length, without building it.
    mutating func skipValue() throws {
        switch RowCodec.Tag(rawValue: try byte()) {
        case .null: break
        case .integer: _ = try varint()
        case .real: _ = try span(8)
        case .text, .blob: _ = try span(try varint())
        case nil: throw Self.corrupt("unknown value tag")
        }
    }

    /// Decodes a value, with the bytes of a text value that is not valid UTF-8: `String`
    /// repairs such bytes, so an exact copy of the text needs them (`snapshots show`'s SQL).
    mutating func valueKeepingBytes() throws -> (value: SQLiteValue, invalidText: [UInt8]?) {
        let start = offset
        guard RowCodec.Tag(rawValue: try byte()) == .text else {
            offset = start
            return (try value(), nil)
        }
        let raw = try span(try varint())
        if let text = String(validUTF8: raw) { return (.text(text), nil) }
        return (.text(String(decoding: raw, as: UTF8.self)), Array(raw))
    }

    /// Decodes a value (for tests and inspection).
    mutating func value() throws -> SQLiteValue {
        switch RowCodec.Tag(rawValue: try byte()) {
        case .null: return .null
        case .integer:
            let zigzag = try varint()
            return .integer(Int64(bitPattern: (zigzag >> 1) ^ (0 &- (zigzag & 1))))
        case .real:
            let raw = try span(8)
            var bits: UInt64 = 0
            withUnsafeMutableBytes(of: &bits) { $0.copyMemory(from: raw) }
            return .real(Double(bitPattern: UInt64(littleEndian: bits)))
        case .text: return .text(String(decoding: try span(try varint()), as: UTF8.self))
        case .blob: return .blob(Array(try span(try varint())))
        case nil: throw Self.corrupt("unknown value tag")
        }
    }

    /// A valid pointer for zero-length text and blobs (a null pointer would bind NULL).
    private static let emptyBytes: StaticString = ""
    static var empty: UnsafePointer<CChar> { UnsafeRawPointer(emptyBytes.utf8Start).assumingMemoryBound(to: CChar.self) }

    static func corrupt(_ what: String) -> StrataError {
        StrataError(.integrity, "A snapshot chunk is corrupt: \(what).")
    }
}
