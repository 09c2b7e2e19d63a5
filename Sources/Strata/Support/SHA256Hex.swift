import Crypto

/// Lowercase hex SHA-256: the one spelling of a digest everywhere Strata stores or prints one.
public enum SHA256Hex {
    public static func of<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        of(Array(bytes))
    }

    public static func of(_ bytes: [UInt8]) -> String {
        // Through the raw bytes: they know their count (the digest as a sequence does not), so
        // the text is allocated once.
        SHA256.hash(data: bytes).withUnsafeBytes { Hex.lowercase($0) }
    }
}
