import ArgumentParser
import Foundation
import Strata

/// `log --order asc|desc`.
enum LogOrderArgument: String, ExpressibleByArgument, CaseIterable {
    case asc
    case desc

    var value: LogOrder { self == .asc ? .ascending : .descending }
}

extension EventRendering {
    /// The whole listing as one table, each column as wide as its widest cell: SEQ, AT, KIND,
    /// REVISION, STATUS, ACTOR (user@host), HEADS, NOTE (duration, error, targets).
    static func table(_ events: [Event]) -> String {
        let header = ["SEQ", "AT", "KIND", "REVISION", "STATUS", "ACTOR", "HEADS", "NOTE"]
        let rows = events.map { event in
            [String(event.seq), event.at, event.kind.rawValue, event.revision ?? "-", event.status.rawValue,
             EventActorInfo(event.actor).short, event.heads.isEmpty ? "base" : event.heads.joined(separator: ","),
             note(event)]
        }
        var widths = header.map(\.count)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        return ([header] + rows).map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count + 2)
            }.joined().trimmingTrailingSpaces()
        }.joined(separator: "\n")
    }

    /// A few words from `detail`: what a reader of the table wants without the JSON.
    static func note(_ event: Event) -> String {
        let detail = event.detail
        var parts: [String] = []
        if let ms = detail["duration_ms"], let text = milliseconds(ms) { parts.append(text) }
        switch event.kind {
        case .migrationFailed, .restoreFailed:
            if let error = detail["sqlite_error"]?.string ?? detail["error"]?.string ?? detail["message"]?.string {
                parts.append(error.split(separator: "\n").first.map(String.init) ?? error)
            }
        case .stamped:
            if let targets = detail["targets"]?.stringArray { parts.append("targets " + targets.joined(separator: ",")) }
        case .upgradeCompleted, .downgradeCompleted:
            if let applied = detail["applied"]?.int { parts.append("\(applied) migration(s)") }
        case .snapshotTaken:
            if let id = detail["snapshot"]?.int ?? detail["id"]?.int { parts.append("snapshot \(id)") }
        default:
            break
        }
        return parts.joined(separator: ", ")
    }

    static func milliseconds(_ value: JSONValue) -> String? {
        switch value {
        case .int(let ms): return "\(ms) ms"
        case .double(let ms): return ms < 10 ? String(format: "%.1f ms", ms) : "\(Int(ms.rounded())) ms"
        default: return nil
        }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
