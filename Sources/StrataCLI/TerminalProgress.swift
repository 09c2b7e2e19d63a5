import Foundation
import Strata

/// A one-line progress bar on stderr for long snapshots and restores: rows, bytes, rate, ETA.
/// Only on a terminal; redrawn at most ten times a second; nothing at all for quick tables.
final class TerminalProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var started: [String: Date] = [:]
    private var lastDraw = Date.distantPast
    private var drawn = false

    /// The handler to install, or `nil` when stderr is not a terminal.
    static func handlerIfTerminal() -> SnapshotProgressHandler? {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        let bar = TerminalProgress()
        return { bar.update($0) }
    }

    func update(_ progress: SnapshotProgress) {
        lock.lock()
        defer { lock.unlock() }
        let key = progress.operation + " " + progress.table
        let now = Date()
        let start = started[key] ?? now
        started[key] = start
        let elapsed = now.timeIntervalSince(start)
        if progress.finished {
            if drawn { write(line(progress, elapsed: elapsed) + "\n") }
            drawn = false
            started[key] = nil
            return
        }
        // Quick tables never show a bar; long ones redraw at most every 100 ms.
        guard elapsed > 0.5, now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        drawn = true
        write("\r" + line(progress, elapsed: elapsed) + "\u{1B}[K")
    }

    private func line(_ progress: SnapshotProgress, elapsed: Double) -> String {
        let rate = elapsed > 0 ? Double(progress.bytes) / elapsed : 0
        var text = "\r\(progress.operation) \(progress.table): \(progress.rows) rows, \(ByteCount(progress.bytes)), \(ByteCount(Int64(rate)))/s"
        if let expected = progress.expectedRows, expected > 0 {
            let fraction = min(1, Double(progress.rows) / Double(expected))
            let filled = Int(fraction * 20)
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled)
            let remaining = fraction > 0 ? elapsed / fraction - elapsed : 0
            text = "\r[\(bar)] " + text.dropFirst() + (progress.finished ? "" : String(format: ", ETA %.0fs", remaining))
        }
        return text
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
