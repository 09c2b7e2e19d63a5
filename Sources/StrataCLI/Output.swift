import Foundation

/// Prints a result as text or as JSON (SPEC §4 shapes: snake_case keys, stable fields).
struct Output {
    let format: OutputFormat

    func emit<T: Encodable>(_ value: T, text: () -> String) throws {
        switch format {
        case .text:
            let rendered = text()
            if !rendered.isEmpty { print(rendered) }
        case .json:
            print(try Self.json(value))
        }
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// Prints to stderr.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
