/// One physical line of a script, as a slice of the script's UTF-8 bytes.
///
/// The parser works on bytes, not `Character`s: every byte it looks for (`-`, `:`, space, tab,
/// CR, LF, quotes) is ASCII, and ASCII bytes never occur inside a multi-byte UTF-8 sequence, so
/// scanning bytes is exact and far cheaper than walking grapheme clusters.
struct ScriptLine {
    /// 1-based, as editors count.
    let number: Int
    /// The line without its terminator (indices are offsets into the whole script).
    let text: ArraySlice<UInt8>
    /// Just past the line's terminator (or the end of the source for a last line without one).
    let end: Int

    /// Where the line starts in the source.
    var start: Int { text.startIndex }

    /// The text with trailing spaces and tabs removed: markers and header lines tolerate them.
    var trimmedTrailing: ArraySlice<UInt8> {
        var result = text
        while let last = result.last, ScriptBytes.isBlank(last) { result.removeLast() }
        return result
    }

    /// Whether the line, ignoring trailing blanks, is exactly `marker` (an ASCII literal).
    func isMarker(_ marker: String) -> Bool {
        ScriptBytes.equal(trimmedTrailing, marker)
    }
}

enum ScriptLines {
    /// Splits `bytes[start...]` on LF, CRLF and lone CR, keeping the source's own terminators
    /// untouched so a section can be cut out of the source byte for byte.
    static func split(_ bytes: [UInt8], from start: Int = 0) -> [ScriptLine] {
        var lines: [ScriptLine] = []
        var lineStart = start
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") else {
                index += 1
                continue
            }
            var end = index + 1
            if byte == UInt8(ascii: "\r"), end < bytes.count, bytes[end] == UInt8(ascii: "\n") { end += 1 }
            lines.append(ScriptLine(number: lines.count + 1, text: bytes[lineStart..<index], end: end))
            lineStart = end
            index = end
        }
        if lineStart < bytes.count {
            lines.append(ScriptLine(number: lines.count + 1, text: bytes[lineStart...], end: bytes.count))
        }
        return lines
    }

    /// Where the text starts once a leading UTF-8 byte-order mark (EF BB BF, which some Windows
    /// editors add) is skipped.
    static func startAfterBOM(_ bytes: [UInt8]) -> Int {
        bytes.starts(with: ScriptBytes.byteOrderMark) ? ScriptBytes.byteOrderMark.count : 0
    }
}

/// Small helpers for reading script text as UTF-8 bytes.
enum ScriptBytes {
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Space or tab: the only blanks the script format knows. A blank is this byte even where
    /// Swift would glue it into one `Character` with a neighbouring combining mark (a header
    /// value written `-- message: \u{301}x` is `\u{301}x`; the old `Character` parser kept
    /// the space); only such degenerate text reads differently.
    static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    /// `text` without leading and trailing blanks.
    static func trimmed(_ text: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard let first = text.firstIndex(where: { !isBlank($0) }),
              let last = text.lastIndex(where: { !isBlank($0) }) else { return text[text.endIndex...] }
        return text[first...last]
    }

    /// Byte-for-byte equality with a literal, without building a `String` (and comparing two
    /// buffers rather than walking a `String.UTF8View`).
    static func equal(_ text: ArraySlice<UInt8>, _ literal: String) -> Bool {
        var literal = literal
        return literal.withUTF8 { text.elementsEqual($0) }
    }

    /// The bytes as a `String`. They come from text that was valid UTF-8 and are cut at ASCII
    /// bytes, so they are valid UTF-8 themselves and decode unchanged.
    static func string(_ text: ArraySlice<UInt8>) -> String {
        String(decoding: text, as: UTF8.self)
    }
}
