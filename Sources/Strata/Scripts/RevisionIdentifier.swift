/// The rules for revision ids and branch labels, shared by the parser, Swift revisions and
/// the template, so all three accept exactly the same names.
public enum RevisionIdentifier {
    /// Words with a meaning of their own in targets (`head`, `base@…`), so they cannot be labels
    /// or revision ids (`GraphBuilder`, `revision --rev-id`).
    public static let reservedLabels: Set<String> = ["head", "heads", "base", "current"]

    /// Letters, digits and `_` (ASCII), at least one: the id appears in file names, targets
    /// such as `rev+2` and `rev@label`, and SQL, so it must not carry punctuation or spaces.
    public static func isValid(_ id: some StringProtocol) -> Bool {
        isValid(utf8: id.utf8)
    }

    /// The same rule over UTF-8 bytes, for the script parser (which reads bytes).
    static func isValid(utf8 id: some Collection<UInt8>) -> Bool {
        !id.isEmpty && id.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "_")
        }
    }

    /// Branch labels follow the id rules (target syntax such as `label@+1` and `rev-2` leaves
    /// no room for punctuation) and must not be one of the reserved target words.
    public static func isValidLabel(_ label: some StringProtocol) -> Bool {
        isValid(label) && !reservedLabels.contains(label.lowercased())
    }

    /// A fresh 12-hex-digit id, the shape Alembic uses, from 48 random bits.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }

    public static func generate<G: RandomNumberGenerator>(using generator: inout G) -> String {
        let value = UInt64.random(in: 0..<(1 << 48), using: &generator)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 12 - hex.count) + hex
    }
}
