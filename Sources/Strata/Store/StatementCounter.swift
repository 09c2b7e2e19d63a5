import Foundation
import StrataCSQLite

/// Counts the statements of an SQL script with SQLite's own tokenizer (`sqlite3_complete`),
/// without preparing anything, so an error can say "statement 3 of 7" even when the statements
/// after the failing one could not be prepared yet.
enum StatementCounter {
    static func count(_ sql: String) -> Int {
        var count = 0
        var pending: [UInt8] = []
        for byte in sql.utf8 {
            pending.append(byte)
            guard byte == UInt8(ascii: ";") else { continue }
            pending.append(0)
            // "sqlite3_complete() returns 1 if the input string appears to be a complete SQL
            // statement": a ';' inside a string, comment or trigger body does not end one.
            let complete = pending.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { sqlite3_complete($0.baseAddress!) }
            }
            pending.removeLast()
            if complete == 1 {
                if containsCode(pending) { count += 1 }
                pending.removeAll(keepingCapacity: true)
            }
        }
        if containsCode(pending) { count += 1 }
        return count
    }

    /// Whether text holds more than white space, comments and semicolons.
    private static func containsCode(_ bytes: [UInt8]) -> Bool {
        // A lone ";" after only comments is "complete" but empty.
        let string = String(decoding: bytes, as: UTF8.self)
        var index = string.startIndex
        while index < string.endIndex {
            let rest = string[index...]
            if rest.hasPrefix("--") {
                guard let newline = rest.firstIndex(of: "\n") else { return false }
                index = string.index(after: newline)
            } else if rest.hasPrefix("/*") {
                guard let close = rest.range(of: "*/") else { return false }
                index = close.upperBound
            } else if string[index].isWhitespace || string[index] == ";" {
                index = string.index(after: index)
            } else {
                return true
            }
        }
        return false
    }
}
