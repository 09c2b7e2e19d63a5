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

    var revision: String?
    var revises: [String] = []
    var dependsOn: [String] = []
    var branchLabels: [String] = []
    var message = ""
    var created: String?
    var transactional = true
    /// Line of each key seen, to report duplicates against the first occurrence.
    private var seen: [Key: Int] = [:]

    mutating func apply(key rawKey: Substring, value: Substring, line: Int, file: String) throws {
        func fail(_ text: String) -> StrataError {
            ScriptDiagnostics.invalid(file, line: line, revision: revision, text)
        }
        guard let key = Key(rawValue: String(rawKey)) else {
            // Keys are case-sensitive on purpose: one spelling per key keeps scripts greppable.
            throw fail("unknown header key \(ScriptDiagnostics.quote(rawKey)) (known keys: \(Self.knownKeys))")
        }
        if let first = seen[key] {
            throw fail("duplicate header key '\(key.rawValue)' (first given on line \(first))")
        }
        seen[key] = line

        switch key {
        case .revision:
            guard RevisionIdentifier.isValid(value) else {
                let shown = value.isEmpty ? "is empty" : "\(ScriptDiagnostics.quote(value)) is not valid"
                throw fail("revision id \(shown) (use letters, digits and _ only, e.g. 1717fa5c6545)")
            }
            revision = String(value)
        case .revises:
            revises = try list(value, key: key, valid: RevisionIdentifier.isValid, fail: fail)
        case .dependsOn:
            // Entries may be ids, unique id prefixes or branch labels; all share the id charset.
            dependsOn = try list(value, key: key, valid: RevisionIdentifier.isValid, fail: fail)
        case .branchLabels:
            branchLabels = try list(value, key: key, valid: RevisionIdentifier.isValidLabel, fail: fail)
        case .message:
            message = String(value)
        case .created:
            // Informational only (Alembic's "Create Date"), kept exactly as written.
            created = value.isEmpty ? nil : String(value)
        case .transaction:
            switch value {
            case "true": transactional = true
            case "false": transactional = false
            default:
                throw fail("transaction must be 'true' or 'false', not \(ScriptDiagnostics.quote(value))")
            }
        }
    }

    private func list(_ value: Substring, key: Key, valid: (Substring) -> Bool,
                      fail: (String) -> StrataError) throws -> [String] {
        let items = value.split(whereSeparator: { $0 == " " || $0 == "\t" })
        var result: [String] = []
        for item in items {
            guard valid(item) else {
                let rule = key == .branchLabels
                    ? "letters, digits and _ only, and not head, heads, base or current"
                    : "letters, digits and _ only; separate several with spaces"
                throw fail("'\(key.rawValue)' entry \(ScriptDiagnostics.quote(item)) is not valid (\(rule))")
            }
            guard !result.contains(String(item)) else {
                throw fail("'\(key.rawValue)' lists \(ScriptDiagnostics.quote(item)) twice")
            }
            result.append(String(item))
        }
        return result
    }
}
