import ArgumentParser
import Foundation
import Strata

/// `strata log`: the event log, filtered; `--follow` keeps printing events as they are appended.
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show the event log, oldest first; --follow prints new events as they are appended.")

    @OptionGroup var options: GlobalOptions

    @Option(parsing: .upToNextOption, help: "Only events of these kinds (e.g. migration_applied migration_failed; commas work too).")
    var kind: [String] = []

    @Option(help: "Only events about this revision.")
    var revision: String?

    @Option(help: "Only the newest N matching events (in --order; oldest first by default).")
    var limit: Int?

    @Option(help: "Only events at or after this time: ISO-8601 (2026-11-25, 2026-11-25T18:00Z) or a span before now (30m, 2h, 3d, 1w).")
    var since: String?

    @Option(help: "Only events before this time (same forms as --since).")
    var until: String?

    @Option(help: "Only events written by this user or host, user@host, or process id.")
    var actor: String?

    @Option(help: "asc (oldest first, the default) or desc (newest first).")
    var order: LogOrderArgument = .asc

    @Flag(help: "After the existing events, print each new one as it is appended, until interrupted (JSON Lines with --format json).")
    var follow = false

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more.") }
        let known = Set(EventKind.all)
        for name in query.kinds where !known.contains(name) {
            throw ValidationError("Unknown event kind '\(name)'; kinds are: \(EventKind.all.map(\.rawValue).joined(separator: ", ")).")
        }
        _ = try filters()
        if follow && order == .desc { throw ValidationError("--follow prints events as they come, oldest first; drop --order desc.") }
    }

    var query: LogQuery {
        let kinds = kind.flatMap { $0.split(separator: ",") }.map { EventKind(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
        var query = LogQuery(kinds: kinds, revision: revision, limit: limit, order: order.value)
        if let filters = try? filters() { (query.since, query.until, query.actor) = filters }
        return query
    }

    /// --since, --until and --actor parsed (relative times against now); bad values are usage errors.
    private func filters() throws -> (Date?, Date?, ActorFilter?) {
        do {
            return (try since.map { try LogTime.parse($0) }, try until.map { try LogTime.parse($0) },
                    try actor.map { try ActorFilter($0) })
        } catch let error as StrataError {
            throw ValidationError(error.message)
        }
    }

    func run() async throws {
        let path = try options.databasePath()
        if follow {
            try await self.follow(path)
            return
        }
        let connection = try options.openReader().connection
        var query = self.query
        if let revision = query.revision { query.revision = try LogQuery.resolveRevision(revision, in: connection) }
        let events = try query.events(in: connection)
        switch options.format {
        case .json:
            print(try EventRendering.prettyJSON(events))
        case .text:
            print(EventRendering.table(events))
        }
    }

    /// Prints the existing events (per --limit), then tails the log. Each line is flushed, so a
    /// pipe or file sees it at once.
    private func follow(_ path: String) async throws {
        var after: Int64 = 0
        if FileManager.default.fileExists(atPath: path) {
            // The listing and the position to follow from come from one read, so no event
            // appended in between is skipped or printed twice.
            let connection = try options.openReader().connection
            let (existing, newest) = try connection.transaction(.deferred) {
                (try query.events(in: connection), try LogQuery(limit: 1).events(in: connection).last?.seq ?? 0)
            }
            after = newest
            if options.format == .text { emit(EventRendering.header) }
            for event in existing { emit(line(event)) }
        } else if options.format == .text {
            emit(EventRendering.header)
        }
        var tailQuery = query
        tailQuery.limit = nil
        for try await event in EventTail(databasePath: path, after: after, filter: tailQuery) {
            emit(line(event))
        }
    }

    private func line(_ event: Event) -> String {
        options.format == .json ? EventRendering.json(event).text : EventRendering.row(event)
    }

    private func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

/// SPEC §4's `log` shape, `{"seq", "at", "kind", "revision", "status", "heads", "detail"}`, and
/// the text table.
enum EventRendering {
    static func json(_ event: Event) -> JSONValue {
        [
            "seq": .int(event.seq), "at": .string(event.at), "kind": .string(event.kind.rawValue),
            "revision": JSONValue(event.revision), "status": .string(event.status.rawValue),
            "heads": JSONValue(event.heads), "detail": event.detail, "actor": event.actor,
        ]
    }

    /// The array, indented, keys sorted; detail keys are printed as stored.
    static func prettyJSON(_ events: [Event]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(JSONValue.array(events.map(json))), as: UTF8.self)
    }

    /// Fixed column widths, so rows printed one at a time (--follow) line up too.
    static let header = columns("SEQ", "AT", "KIND", "REVISION", "STATUS", "HEADS")

    static func row(_ event: Event) -> String {
        columns(String(event.seq), event.at, event.kind.rawValue, event.revision ?? "-", event.status.rawValue,
                event.heads.isEmpty ? "base" : event.heads.joined(separator: ","))
    }

    private static func columns(_ seq: String, _ at: String, _ kind: String, _ revision: String, _ status: String,
                                _ heads: String) -> String {
        pad(seq, 6) + pad(at, 26) + pad(kind, 21) + pad(revision, 16) + pad(status, 11) + heads
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width - 1 ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
