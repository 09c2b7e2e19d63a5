/// A small SQL tokenizer for reading back the parts of CREATE statements that SQLite's pragmas
/// do not report (CHECK constraints, column collations, generated-column expressions, index
/// expressions and partial-index WHERE clauses).
///
/// It follows the quoting rules of SQLite's lexer (https://sqlite.org/lang_keywords.html):
/// `'…'` strings, `"…"`, `` `…` `` and `[…]` identifiers (a doubled quote stays inside),
/// `/* … */` and `--` comments. It only ever reads SQL that SQLite has already accepted
/// (sqlite_master text), so it does not validate anything.
struct SQLToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// A bare word: a keyword or an unquoted identifier.
        case word
        /// `"x"`, `` `x` `` or `[x]`.
        case quotedIdentifier
        case string
        case number
        /// One punctuation or operator character (or `||`, `<=`, ... as one token).
        case symbol
        /// `?`, `:name`, `@name`, `$name`.
        case parameter
    }

    var kind: Kind
    /// The token's text exactly as written.
    var text: String
    /// UTF-8 offsets of the token in the source.
    var start: Int
    var end: Int

    /// The identifier this token names (quotes removed) when it is a word or quoted identifier.
    var identifier: String? {
        switch kind {
        case .word: return text
        case .quotedIdentifier:
            let inner = text.dropFirst().dropLast()
            switch text.first {
            case "\"": return inner.replacingOccurrences(of: "\"\"", with: "\"")
            case "`": return inner.replacingOccurrences(of: "``", with: "`")
            default: return String(inner)
            }
        case .string:
            // SQLite accepts a string literal where an identifier is expected (for compatibility).
            return String(text.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
        default: return nil
        }
    }

    /// Whether this is the bare word `keyword` (case-insensitive).
    func isKeyword(_ keyword: String) -> Bool {
        kind == .word && text.caseInsensitiveCompare(keyword) == .orderedSame
    }

    func isSymbol(_ symbol: String) -> Bool { kind == .symbol && text == symbol }
}

enum SQLTokenizer {
    static func tokens(_ sql: String) -> [SQLToken] {
        let bytes = Array(sql.utf8)
        var tokens: [SQLToken] = []
        var index = 0
        func text(_ from: Int, _ to: Int) -> String { String(decoding: bytes[from..<to], as: UTF8.self) }
        func isWordByte(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$") || byte >= 0x80
                || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        /// Index just past a quoted token opened at `from` and closed by `closing`; a doubled
        /// closing quote stays inside (not for `[…]`).
        func quotedEnd(_ from: Int, _ closing: UInt8, doubling: Bool) -> Int {
            var cursor = from + 1
            while cursor < bytes.count {
                if bytes[cursor] == closing {
                    if doubling, cursor + 1 < bytes.count, bytes[cursor + 1] == closing {
                        cursor += 2
                        continue
                    }
                    return cursor + 1
                }
                cursor += 1
            }
            return bytes.count
        }
        while index < bytes.count {
            let byte = bytes[index]
            let next: UInt8? = index + 1 < bytes.count ? bytes[index + 1] : nil
            let start = index
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0x0C:
                index += 1
                continue
            case UInt8(ascii: "-") where next == UInt8(ascii: "-"):
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                continue
            case UInt8(ascii: "/") where next == UInt8(ascii: "*"):
                index += 2
                while index < bytes.count, !(bytes[index] == UInt8(ascii: "*") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "/")) {
                    index += 1
                }
                index = min(index + 2, bytes.count)
                continue
            case UInt8(ascii: "'"):
                index = quotedEnd(index, byte, doubling: true)
                tokens.append(SQLToken(kind: .string, text: text(start, index), start: start, end: index))
            case UInt8(ascii: "\""), UInt8(ascii: "`"):
                index = quotedEnd(index, byte, doubling: true)
                tokens.append(SQLToken(kind: .quotedIdentifier, text: text(start, index), start: start, end: index))
            case UInt8(ascii: "["):
                index = quotedEnd(index, UInt8(ascii: "]"), doubling: false)
                tokens.append(SQLToken(kind: .quotedIdentifier, text: text(start, index), start: start, end: index))
            case _ where (byte == UInt8(ascii: "x") || byte == UInt8(ascii: "X")) && next == UInt8(ascii: "'"):
                index = quotedEnd(index + 1, UInt8(ascii: "'"), doubling: true)
                tokens.append(SQLToken(kind: .string, text: text(start, index), start: start, end: index))
            case _ where isDigit(byte) || (byte == UInt8(ascii: ".") && next.map(isDigit) == true):
                index += 1
                while index < bytes.count {
                    let current = bytes[index]
                    if isWordByte(current) || current == UInt8(ascii: ".") {
                        index += 1
                    } else if (current == UInt8(ascii: "+") || current == UInt8(ascii: "-")),
                              bytes[index - 1] == UInt8(ascii: "e") || bytes[index - 1] == UInt8(ascii: "E") {
                        index += 1
                    } else {
                        break
                    }
                }
                tokens.append(SQLToken(kind: .number, text: text(start, index), start: start, end: index))
            case _ where isWordByte(byte):
                while index < bytes.count, isWordByte(bytes[index]) { index += 1 }
                tokens.append(SQLToken(kind: .word, text: text(start, index), start: start, end: index))
            case UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: "@"):
                index += 1
                while index < bytes.count, isWordByte(bytes[index]) { index += 1 }
                tokens.append(SQLToken(kind: .parameter, text: text(start, index), start: start, end: index))
            default:
                let pairs: Set<String> = ["||", "<=", ">=", "==", "!=", "<>", "<<", ">>", "->"]
                if next != nil, pairs.contains(text(index, index + 2)) {
                    index += 2
                    if index < bytes.count, text(start, index) == "->", bytes[index] == UInt8(ascii: ">") { index += 1 }
                } else {
                    index += 1
                }
                tokens.append(SQLToken(kind: .symbol, text: text(start, index), start: start, end: index))
            }
        }
        return tokens
    }

    /// Tokens joined by single spaces, bare words lowercased, quoted identifiers unquoted and
    /// lowercased when they are plain names: the form in which two spellings of the same
    /// expression compare equal (`"Name" DESC` and `name desc`, `a+b` and `a + b`).
    static func normalized(_ tokens: some Collection<SQLToken>) -> String {
        tokens.map { token -> String in
            switch token.kind {
            case .word: return token.text.lowercased()
            case .quotedIdentifier:
                let name = token.identifier ?? token.text
                return isPlainName(name) ? name.lowercased() : "\"" + name.lowercased() + "\""
            default: return token.text
            }
        }.joined(separator: " ")
    }

    static func normalized(_ sql: String) -> String { normalized(tokens(sql)) }

    static func isPlainName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    /// The index of the `)` that closes the `(` at `open`, or `nil`.
    static func closingParenthesis(_ tokens: [SQLToken], from open: Int) -> Int? {
        var depth = 0
        var index = open
        while index < tokens.count {
            if tokens[index].isSymbol("(") { depth += 1 }
            if tokens[index].isSymbol(")") {
                depth -= 1
                if depth == 0 { return index }
            }
            index += 1
        }
        return nil
    }

    /// Splits `tokens[range]` at top-level commas.
    static func splitAtCommas(_ tokens: [SQLToken], _ range: Range<Int>) -> [Range<Int>] {
        var parts: [Range<Int>] = []
        var depth = 0
        var partStart = range.lowerBound
        for index in range {
            let token = tokens[index]
            if token.isSymbol("(") { depth += 1 }
            if token.isSymbol(")") { depth -= 1 }
            if token.isSymbol(","), depth == 0 {
                parts.append(partStart..<index)
                partStart = index + 1
            }
        }
        if partStart < range.upperBound { parts.append(partStart..<range.upperBound) }
        return parts
    }

    /// The source text covered by `tokens[range]` (from the first token's start to the last's end).
    static func text(_ sql: String, _ tokens: [SQLToken], _ range: Range<Int>) -> String {
        guard !range.isEmpty else { return "" }
        let bytes = Array(sql.utf8)
        return String(decoding: bytes[tokens[range.lowerBound].start..<tokens[range.upperBound - 1].end], as: UTF8.self)
    }
}
