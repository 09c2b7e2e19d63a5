/// Lowercase hexadecimal, two digits a byte: the one spelling of digests (`SHA256Hex`) and of
/// blob bytes in exports (`X'..'` literals, CSV and JSON Lines cells).
enum Hex {
    static func lowercase<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(digit(byte >> 4))
            text.append(digit(byte & 0x0F))
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// `0`-`9`, then `a`-`f`, for a value 0...15 (arithmetic rather than a table built per call).
    private static func digit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + (value - 10)
    }
}
