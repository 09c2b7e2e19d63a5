/// One physical line of a script, as positions into the (BOM-stripped) source text.
struct ScriptLine {
    /// 1-based, as editors count.
    let number: Int
    /// The line without its terminator.
    let text: Substring
    /// Where the line starts in the source.
    let start: String.Index
    /// Just past the line's terminator (or the end of the source for a last line without one).
    let end: String.Index

    /// The text with trailing spaces and tabs removed: markers and header lines tolerate them.
    var trimmedTrailing: Substring {
        var result = text
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}

enum ScriptLines {
    /// Splits on LF, CRLF and lone CR, keeping the source's own terminators untouched so a
    /// section can be cut out of the source byte for byte.
    ///
    /// Works on the UTF-8 view: `\r\n` is a single `Character` in Swift, and the ASCII bytes
    /// 0x0A/0x0D never occur inside a multi-byte UTF-8 sequence, so scanning bytes is exact.
    static func split(_ source: String) -> [ScriptLine] {
        let bytes = source.utf8
        var lines: [ScriptLine] = []
        var lineStart = bytes.startIndex
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") else {
                index = bytes.index(after: index)
                continue
            }
            var end = bytes.index(after: index)
            if byte == UInt8(ascii: "\r"), end != bytes.endIndex, bytes[end] == UInt8(ascii: "\n") {
                end = bytes.index(after: end)
            }
            lines.append(ScriptLine(number: lines.count + 1, text: source[lineStart..<index], start: lineStart, end: end))
            lineStart = end
            index = end
        }
        if lineStart != bytes.endIndex {
            lines.append(ScriptLine(number: lines.count + 1, text: source[lineStart...], start: lineStart, end: bytes.endIndex))
        }
        return lines
    }

    /// Drops a leading UTF-8 byte-order mark (U+FEFF), which some Windows editors add.
    static func removingBOM(_ source: String) -> String {
        guard source.unicodeScalars.first == "\u{FEFF}" else { return source }
        return String(source.unicodeScalars.dropFirst())
    }
}
