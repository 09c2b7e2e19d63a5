/// Heads as a phrase for messages: "base (no revision applied)", "1717fa5c6545", "a, b".
public struct HeadsDescription: CustomStringConvertible, Sendable {
    public var heads: [String]
    public init(_ heads: [String]) { self.heads = heads }
    public var description: String {
        heads.isEmpty ? "base (no revision applied)" : heads.sorted().joined(separator: ", ")
    }
}
