import Foundation

/// The text `strata revision` writes for a new script. It parses back to the same header
/// (tested), and its placeholder comments are plain SQL comments, so the fresh file is a
/// valid no-op revision until the user fills it in.
public enum ScriptTemplate {
    public static func render(revision: String, revises: [String], dependsOn: [String] = [],
                              branchLabels: [String] = [], message: String, created: Date = Date()) -> String {
        var lines = ["-- revision: \(revision)", "-- revises: \(revises.joined(separator: " "))"]
        if !dependsOn.isEmpty { lines.append("-- depends-on: \(dependsOn.joined(separator: " "))") }
        if !branchLabels.isEmpty { lines.append("-- branch-labels: \(branchLabels.joined(separator: " "))") }
        lines.append("-- message: \(singleLine(message))")
        lines.append("-- created: \(timestamp(created))")
        lines += [
            "",
            ScriptParser.upgradeMarker,
            "-- SQL that applies this revision. SQLite splits the statements itself, so triggers",
            "-- and ';' inside strings are fine.",
            "",
            ScriptParser.downgradeMarker,
            "-- SQL that reverts the upgrade exactly. Delete this section if it cannot be reverted.",
        ]
        // `-- revises:` with nothing after it would leave a trailing space for editors to strip.
        return lines.map { $0.hasSuffix(": ") ? String($0.dropLast()) : $0 }.joined(separator: "\n") + "\n"
    }

    /// `<revision>_<slug>.sql`, the name `strata revision` gives a new script.
    public static func fileName(revision: String, message: String) -> String {
        let slug = slug(message)
        return slug.isEmpty ? "\(revision).sql" : "\(revision)_\(slug).sql"
    }

    /// Lowercase ASCII letters and digits, every other run of characters one `_`, at most
    /// `maxLength` characters, no `_` at either end: "Add example table!" → "add_example_table".
    public static func slug(_ message: String, maxLength: Int = 40) -> String {
        var slug = ""
        for scalar in message.lowercased().unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty, !slug.hasSuffix("_") {
                slug += "_"
            }
        }
        slug = String(slug.prefix(maxLength))
        while slug.hasSuffix("_") { slug.removeLast() }
        return slug
    }

    /// A fresh revision id: 12 lowercase hex digits.
    public static func newRevisionID() -> String { RevisionIdentifier.generate() }

    /// ISO-8601 in UTC to the second, e.g. `2025-10-26T20:59:04Z`.
    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// The header is line-based, so a multi-line message is folded onto one line.
    private static func singleLine(_ message: String) -> String {
        message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
    }
}
