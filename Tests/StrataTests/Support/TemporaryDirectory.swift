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

/// Writes a `-journal` beside `database` that SQLite's hot-journal check takes for hot (a
/// rollback journal's magic number, no lock held): what a read-only connection can see as a
/// writer begins a transaction. Zeroing its header (`zeroJournalHeader`) is the writer's commit.
func writeJournalThatLooksHot(beside database: String) throws {
    var header = [UInt8](repeating: 0, count: 512)
    header.replaceSubrange(0..<8, with: [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7])
    try Data(header).write(to: URL(fileURLWithPath: database + "-journal"))
}

func zeroJournalHeader(beside database: String) throws {
    try Data(repeating: 0, count: 512).write(to: URL(fileURLWithPath: database + "-journal"))
}
