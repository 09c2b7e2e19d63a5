import Testing
import Foundation

/// A fresh folder under the system temp dir, removed when the value is released.
final class TemporaryDirectory: Sendable {
    let path: String

    init(_ label: String = "strata") {
        path = NSTemporaryDirectory() + "\(label)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ name: String, _ text: String) {
        try! text.write(toFile: file(name), atomically: true, encoding: .utf8)
    }
}

/// The journal modes every store test runs under.
enum JournalMode: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case wal
    case delete
    var testDescription: String { rawValue }
}
