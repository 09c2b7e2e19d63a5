/// Builds the one-sentence errors the script layer throws, so every message has the same
/// shape: "<file> line <n> (revision <id>): <what is wrong>."
enum ScriptDiagnostics {
    static func invalid(_ file: String, line: Int, revision: String? = nil, _ text: String) -> StrataError {
        StrataError(.invalidScript, location(file, line: line, revision: revision) + ": " + sentence(text))
    }

    static func location(_ file: String, line: Int, revision: String? = nil) -> String {
        var where_ = "\(file) line \(line)"
        if let revision { where_ += " (revision \(revision))" }
        return where_
    }

    /// Quotes user text for a message, shortened so a long SQL line cannot swamp the sentence.
    static func quote(_ text: Substring, limit: Int = 60) -> String {
        let short = text.count > limit ? text.prefix(limit) + "…" : text
        return "'" + short + "'"
    }

    /// The same for a slice of a script's UTF-8 bytes (cut at ASCII bytes, so valid UTF-8).
    static func quote(_ bytes: ArraySlice<UInt8>, limit: Int = 60) -> String {
        quote(Substring(ScriptBytes.string(bytes)), limit: limit)
    }

    private static func sentence(_ text: String) -> String {
        text.hasSuffix(".") ? text : text + "."
    }
}
