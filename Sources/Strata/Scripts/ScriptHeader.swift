/// The `-- key: value` lines at the top of a script, validated one line at a time so each
/// error can name the line it is on.
struct ScriptHeader {
    enum Key: String, CaseIterable {
        case revision, revises
        case dependsOn = "depends-on"
        case branchLabels = "branch-labels"
        case message, created, transaction
    }

    static let knownKeys = Key.allCases.map(\.rawValue).joined(separator: ", ")
    /// `Key.allCases` builds a new array on every call; the parser looks keys up on every line.
    private static let keys = Key.allCases

    var revision: String?
    var revises: [String] = []
    var dependsOn: [String] = []
    var branchLabels: [String] = []
    var message = ""
    var created: String?
    var transactional = true
    /// Line of each key seen (in `keys` order), to report duplicates against the first
    /// occurrence. An array rather than a dictionary: a `Key` hashes its raw `String`.
    private var seen = [Int?](repeating: nil, count: keys.count)

    /// Applies one header line, given as the UTF-8 bytes of its key and value (both trimmed).
    mutating func apply(key rawKey: ArraySlice<UInt8>, value: ArraySlice<UInt8>, line: Int, file: String) throws {
        func fail(_ text: String) -> StrataError {
            ScriptDiagnostics.invalid(file, line: line, revision: revision, text)
        }
        // Keys are case-sensitive on purpose: one spelling per key keeps scripts greppable.
        guard let position = Self.keys.firstIndex(where: { ScriptBytes.equal(rawKey, $0.rawValue) }) else {
            throw fail("unknown header key \(ScriptDiagnostics.quote(rawKey)) (known keys: \(Self.knownKeys))")
        }
        let key = Self.keys[position]
        if let first = seen[position] {
            throw fail("duplicate header key '\(key.rawValue)' (first given on line \(first))")
        }
        seen[position] = line

        switch key {
        case .revision:
            guard RevisionIdentifier.isValid(utf8: value) else {
                let shown = value.isEmpty ? "is empty" : "\(ScriptDiagnostics.quote(value)) is not valid"
                throw fail("revision id \(shown) (use letters, digits and _ only, e.g. 1717fa5c6545)")
            }
            revision = ScriptBytes.string(value)
        case .revises:
            revises = try list(value, key: key, valid: RevisionIdentifier.isValid, fail: fail)
        case .dependsOn:
            // Entries may be ids, unique id prefixes or branch labels; all share the id charset.
            dependsOn = try list(value, key: key, valid: RevisionIdentifier.isValid, fail: fail)
        case .branchLabels:
            branchLabels = try list(value, key: key, valid: RevisionIdentifier.isValidLabel, fail: fail)
        case .message:
            message = ScriptBytes.string(value)
        case .created:
            // Informational only (Alembic's "Create Date"), kept exactly as written.
            created = value.isEmpty ? nil : ScriptBytes.string(value)
        case .transaction:
            if ScriptBytes.equal(value, "true") {
                transactional = true
            } else if ScriptBytes.equal(value, "false") {
                transactional = false
            } else {
                throw fail("transaction must be 'true' or 'false', not \(ScriptDiagnostics.quote(value))")
            }
        }
    }

    /// Blank-separated entries, each checked by `valid` and listed at most once.
    private func list(_ value: ArraySlice<UInt8>, key: Key, valid: (String) -> Bool,
                      fail: (String) -> StrataError) throws -> [String] {
        var result: [String] = []
        for bytes in value.split(whereSeparator: ScriptBytes.isBlank) {
            let item = ScriptBytes.string(bytes)
            guard valid(item) else {
                let rule = key == .branchLabels
                    ? "letters, digits and _ only, and not head, heads, base or current"
                    : "letters, digits and _ only; separate several with spaces"
                throw fail("'\(key.rawValue)' entry \(ScriptDiagnostics.quote(item[...])) is not valid (\(rule))")
            }
            guard !result.contains(item) else {
                throw fail("'\(key.rawValue)' lists \(ScriptDiagnostics.quote(item[...])) twice")
            }
            result.append(item)
        }
        return result
    }
}
