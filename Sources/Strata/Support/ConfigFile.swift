import Foundation

/// A small INI reader for `strata.ini` and MeshView-style `config.ini`:
/// `[section]` headers, `key = value` (or `key: value`) lines, `#` and `;` comment lines.
/// Keys are looked up as `section.key`, lowercased.
public struct ConfigFile: Sendable {
    public let path: String
    public let values: [String: String]

    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw StrataError(.io, "Cannot read config file '\(path)'.")
        }
        self.path = path
        var section = ""
        var values: [String: String] = [:]
        for (number, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else {
                    throw StrataError(.usage, "\(path) line \(number + 1): a section header must end with ']'.")
                }
                section = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces).lowercased()
                continue
            }
            guard let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw StrataError(.usage, "\(path) line \(number + 1): expected 'key = value', found '\(line)'.")
            }
            let key = line[..<separator].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: separator)...].trimmingCharacters(in: .whitespaces)
            values[section.isEmpty ? key : "\(section).\(key)"] = value
        }
        self.values = values
    }

    public subscript(key: String) -> String? { values[key.lowercased()] }
}
