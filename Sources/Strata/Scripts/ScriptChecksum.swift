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

    /// The same, for a script the parser has already split into lines (after any BOM).
    static func hex(lines: [ScriptLine], byteCount: Int) -> String {
        SHA256Hex.of(canonicalForm(lines: lines, byteCount: byteCount))
    }

    /// The canonical form, as UTF-8 bytes (no Unicode normalisation is applied):
    /// 1. a leading BOM (EF BB BF) is removed;
    /// 2. CR LF and lone CR become LF;
    /// 3. spaces (20) and tabs (09) at the end of every line are removed;
    /// 4. empty lines at the end are removed, and a non-empty result ends with exactly one LF
    ///    (an all-blank text has the empty canonical form).
    public static func canonicalForm(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        return canonicalForm(lines: ScriptLines.split(bytes, from: ScriptLines.startAfterBOM(bytes)), byteCount: bytes.count)
    }

    /// Works line by line, copying each line's text in one piece: scripts are read on every
    /// boot, and a byte-at-a-time copy cost more than the hash itself.
    private static func canonicalForm(lines: [ScriptLine], byteCount: Int) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(byteCount + 1)
        for line in lines {
            output.append(contentsOf: line.trimmedTrailing)
            output.append(0x0A)
        }
        while output.last == 0x0A { output.removeLast() }
        if !output.isEmpty { output.append(0x0A) }
        return output
    }
}
