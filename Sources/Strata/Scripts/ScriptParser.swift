/// Parses one `.sql` migration script (SPEC §2, Docs/script-format.md).
///
/// Layout: a header of `-- key: value` lines (blank lines allowed), a `-- +upgrade` line, the
/// upgrade SQL, and optionally a `-- +downgrade` line and the downgrade SQL. Section text is
/// kept exactly as written (line endings included): SQLite splits it into statements later.
public enum ScriptParser {
    static let upgradeMarker = "-- +upgrade"
    static let downgradeMarker = "-- +downgrade"

    /// - Parameters:
    ///   - text: the file's text (a leading BOM and CRLF/CR line endings are accepted).
    ///   - file: the path used in errors and as the revision's origin.
    public static func parse(_ text: String, file: String) throws -> MigrationScript {
        try parse(text, utf8: Array(text.utf8), file: file)
    }

    /// `parse(_:file:)` for a caller that already holds the text's UTF-8 bytes (`bytes` must be
    /// exactly `text.utf8`): the parser reads the bytes and cuts the sections out of them.
    static func parse(_ text: String, utf8 bytes: [UInt8], file: String) throws -> MigrationScript {
        let lines = ScriptLines.split(bytes, from: ScriptLines.startAfterBOM(bytes))

        guard let upgradeIndex = lines.firstIndex(where: { $0.isMarker(upgradeMarker) }) else {
            let last = max(lines.count, 1)
            throw ScriptDiagnostics.invalid(file, line: last,
                "the file ends without a '\(upgradeMarker)' line (every script needs one, even when the upgrade does nothing)")
        }
        let header = try parseHeader(lines[..<upgradeIndex], file: file)
        let upgradeLine = lines[upgradeIndex]
        guard let revision = header.revision else {
            throw ScriptDiagnostics.invalid(file, line: upgradeLine.number,
                "the header has no 'revision' key (add '-- revision: <id>' above '\(upgradeMarker)')")
        }
        let downgradeLine = try findDowngradeMarker(after: upgradeIndex, in: lines, file: file, revision: revision)

        let upgradeEnd = downgradeLine?.start ?? bytes.count
        var script = MigrationScript(
            node: RevisionNode(id: revision, revises: header.revises, dependsOn: header.dependsOn,
                               branchLabels: header.branchLabels, origin: file),
            message: header.message,
            created: header.created,
            transactional: header.transactional,
            upgrade: .sql(ScriptBytes.string(bytes[upgradeLine.end..<upgradeEnd])),
            downgrade: downgradeLine.map { .sql(ScriptBytes.string(bytes[$0.end...])) },
            file: file,
            source: text,
            checksum: ScriptChecksum.hex(lines: lines, byteCount: bytes.count)
        )
        script.upgradeLine = upgradeLine.number + 1
        script.downgradeLine = downgradeLine.map { $0.number + 1 }
        return script
    }

    private static func parseHeader(_ lines: ArraySlice<ScriptLine>, file: String) throws -> ScriptHeader {
        var header = ScriptHeader()
        for line in lines {
            let text = line.trimmedTrailing
            if text.isEmpty { continue }
            func fail(_ message: String) -> StrataError {
                ScriptDiagnostics.invalid(file, line: line.number, revision: header.revision, message)
            }
            if ScriptBytes.equal(text, downgradeMarker) {
                throw fail("'\(downgradeMarker)' comes before '\(upgradeMarker)' (the upgrade section must come first)")
            }
            guard text.starts(with: "--".utf8) else {
                throw fail("found text \(ScriptDiagnostics.quote(text)) before '\(upgradeMarker)' (the header holds only '-- key: value' lines and blank lines; SQL goes after '\(upgradeMarker)')")
            }
            let body = text.dropFirst(2).drop(while: ScriptBytes.isBlank)
            if body.first == UInt8(ascii: "+") {
                throw fail("\(ScriptDiagnostics.quote(text)) is not a section marker (the markers are '\(upgradeMarker)' and '\(downgradeMarker)', each alone on its line)")
            }
            guard let colon = body.firstIndex(of: UInt8(ascii: ":")) else {
                throw fail("expected a header line '-- key: value' but found \(ScriptDiagnostics.quote(text)) (the header holds only such lines and blank lines)")
            }
            let key = ScriptBytes.trimmed(body[..<colon])
            let value = ScriptBytes.trimmed(body[(colon + 1)...])
            try header.apply(key: key, value: value, line: line.number, file: file)
        }
        return header
    }

    /// Finds the `-- +downgrade` line, ignoring marker-looking lines inside multi-line string
    /// literals, quoted identifiers and block comments (see `SQLLexicalState`).
    private static func findDowngradeMarker(after upgradeIndex: Int, in lines: [ScriptLine],
                                            file: String, revision: String) throws -> ScriptLine? {
        var state = SQLLexicalState()
        var downgrade: ScriptLine?
        // A marker swallowed by a token that never closes is almost surely a missing quote:
        // report it rather than silently folding the downgrade into the upgrade.
        var swallowed: (line: ScriptLine, state: SQLLexicalState)?
        for line in lines[(upgradeIndex + 1)...] {
            let isUpgrade = line.isMarker(upgradeMarker)
            let isMarker = isUpgrade || line.isMarker(downgradeMarker)
            if isMarker && state.isInCode {
                func fail(_ message: String) -> StrataError {
                    ScriptDiagnostics.invalid(file, line: line.number, revision: revision, message)
                }
                if isUpgrade {
                    throw fail("a second '\(upgradeMarker)' line (the first is on line \(lines[upgradeIndex].number))")
                }
                if let first = downgrade {
                    throw fail("a second '\(downgradeMarker)' line (the first is on line \(first.number))")
                }
                downgrade = line
                continue
            }
            if isMarker && swallowed == nil { swallowed = (line, state) }
            state.consume(line: line.text, number: line.number)
        }
        if let swallowed, !state.isInCode {
            throw ScriptDiagnostics.invalid(file, line: swallowed.line.number, revision: revision,
                "\(ScriptDiagnostics.quote(swallowed.line.trimmedTrailing)) is inside \(swallowed.state.openDescription) opened on line \(swallowed.state.openedOnLine) that never closes, so it is not read as a section marker (close the quote or comment)")
        }
        return downgrade
    }
}
