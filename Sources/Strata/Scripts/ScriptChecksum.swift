/// Script checksum v1: SHA-256 over a canonical form of the script text, so that a change of
/// line endings, an editor's trailing-whitespace cleanup or a BOM does not count as an edit,
/// while any change to the SQL does. Defined in Docs/formats.md ("Script checksum") and pinned
/// by the golden files in archive/scripts/: changing this algorithm would flag every applied
/// script as edited, so a new algorithm must be a new version, never a change to this one.
public enum ScriptChecksum {
    /// The version stored next to checksums, for when a v2 is ever needed.
    public static let version = 1

    /// Lowercase hex SHA-256 of `canonicalForm(text)`.
    public static func hex(of text: String) -> String {
        SHA256Hex.of(canonicalForm(text))
    }

    /// The canonical form, as UTF-8 bytes (no Unicode normalisation is applied):
    /// 1. a leading BOM (EF BB BF) is removed;
    /// 2. CR LF and lone CR become LF;
    /// 3. spaces (20) and tabs (09) at the end of every line are removed;
    /// 4. empty lines at the end are removed, and a non-empty result ends with exactly one LF
    ///    (an all-blank text has the empty canonical form).
    public static func canonicalForm(_ text: String) -> [UInt8] {
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }

        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 1)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0D || byte == 0x0A {
                stripTrailingBlanks(&output)
                output.append(0x0A)
                // CR LF is one line break, not two.
                if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
            } else {
                output.append(byte)
            }
            index += 1
        }
        stripTrailingBlanks(&output)
        while output.last == 0x0A { output.removeLast() }
        if !output.isEmpty { output.append(0x0A) }
        return output
    }

    private static func stripTrailingBlanks(_ bytes: inout [UInt8]) {
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
    }
}
