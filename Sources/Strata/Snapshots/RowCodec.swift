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

    /// Appends the current row of `statement` (columns `0..<count`) to `buffer`.
    static func encodeRow(of statement: OpaquePointer, columns: Int32, into buffer: inout [UInt8]) {
        for index in 0..<columns {
            switch sqlite3_column_type(statement, index) {
            case SQLITE_NULL:
                buffer.append(Tag.null.rawValue)
            case SQLITE_INTEGER:
                buffer.append(Tag.integer.rawValue)
                let value = sqlite3_column_int64(statement, index)
                appendVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)), to: &buffer)
            case SQLITE_FLOAT:
                buffer.append(Tag.real.rawValue)
                var bits = sqlite3_column_double(statement, index).bitPattern.littleEndian
                withUnsafeBytes(of: &bits) { buffer.append(contentsOf: $0) }
            case SQLITE_BLOB:
                buffer.append(Tag.blob.rawValue)
                let length = Int(sqlite3_column_bytes(statement, index))
                appendVarint(UInt64(length), to: &buffer)
                if length > 0, let bytes = sqlite3_column_blob(statement, index) {
                    buffer.append(contentsOf: UnsafeRawBufferPointer(start: bytes, count: length))
                }
            default:
                buffer.append(Tag.text.rawValue)
                let text = sqlite3_column_text(statement, index)
                let length = Int(sqlite3_column_bytes(statement, index))
                appendVarint(UInt64(length), to: &buffer)
                if length > 0, let text {
                    buffer.append(contentsOf: UnsafeRawBufferPointer(start: text, count: length))
                }
            }
        }
    }

    static func appendVarint(_ value: UInt64, to buffer: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            buffer.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        buffer.append(UInt8(value))
    }

    /// Encodes values (for tests and golden files).
    public static func encode(_ rows: [[SQLiteValue]]) -> [UInt8] {
        var buffer: [UInt8] = []
        for row in rows {
            for value in row {
                switch value {
                case .null: buffer.append(Tag.null.rawValue)
                case .integer(let v):
                    buffer.append(Tag.integer.rawValue)
                    appendVarint(UInt64(bitPattern: (v << 1) ^ (v >> 63)), to: &buffer)
                case .real(let v):
                    buffer.append(Tag.real.rawValue)
                    var bits = v.bitPattern.littleEndian
                    withUnsafeBytes(of: &bits) { buffer.append(contentsOf: $0) }
                case .text(let v):
                    buffer.append(Tag.text.rawValue)
                    appendVarint(UInt64(v.utf8.count), to: &buffer)
                    buffer.append(contentsOf: v.utf8)
                case .blob(let v):
                    buffer.append(Tag.blob.rawValue)
                    appendVarint(UInt64(v.count), to: &buffer)
                    buffer.append(contentsOf: v)
                }
            }
        }
        return buffer
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
