/// Tracks whether the end of a line of SQL is inside a multi-line token, so that a line reading
/// `-- +downgrade` inside a string literal, quoted identifier or `/* */` comment is kept as SQL
/// rather than taken as a section marker.
///
/// This is not a tokenizer and never splits statements (SQLite does that with prepare-and-tail);
/// it only follows the quoting rules of SQLite's lexer (https://sqlite.org/lang_expr.html and
/// https://sqlite.org/lang_keywords.html): `'…'` strings, `"…"`, `` `…` `` and `[…]`
/// identifiers (a doubled quote stays inside), `/* … */` comments and `--` line comments.
struct SQLLexicalState {
    enum Context: Equatable {
        case code
        case quoted(closing: UInt8, what: String)
        case blockComment
    }

    private(set) var context: Context = .code
    /// The line on which the current multi-line token opened, for error messages.
    private(set) var openedOnLine = 0

    var isInCode: Bool { context == .code }

    /// A name for what is open, for error messages ("a string literal").
    var openDescription: String {
        switch context {
        case .code: "nothing"
        case .quoted(_, let what): what
        case .blockComment: "a /* comment"
        }
    }

    /// Follows one line's bytes (a slice of the script: its indices are offsets into the script).
    mutating func consume(line bytes: ArraySlice<UInt8>, number: Int) {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            let next: UInt8? = index + 1 < bytes.endIndex ? bytes[index + 1] : nil
            switch context {
            case .code:
                switch byte {
                case UInt8(ascii: "-") where next == UInt8(ascii: "-"):
                    return // a line comment runs to the end of the line
                case UInt8(ascii: "/") where next == UInt8(ascii: "*"):
                    open(.blockComment, line: number)
                    index += 1
                case UInt8(ascii: "'"):
                    open(.quoted(closing: byte, what: "a string literal"), line: number)
                case UInt8(ascii: "\""), UInt8(ascii: "`"):
                    open(.quoted(closing: byte, what: "a quoted identifier"), line: number)
                case UInt8(ascii: "["):
                    open(.quoted(closing: UInt8(ascii: "]"), what: "a [bracketed] identifier"), line: number)
                default:
                    break
                }
            case .quoted(let closing, _):
                // A doubled quote ('it''s') closes and reopens, which ends in the same state.
                if byte == closing { context = .code }
            case .blockComment:
                if byte == UInt8(ascii: "*"), next == UInt8(ascii: "/") {
                    context = .code
                    index += 1
                }
            }
            index += 1
        }
    }

    private mutating func open(_ context: Context, line: Int) {
        self.context = context
        openedOnLine = line
    }
}
