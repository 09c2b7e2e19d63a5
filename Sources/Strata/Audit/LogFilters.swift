import Foundation

/// The order `strata log` lists events in.
public enum LogOrder: String, Sendable, Hashable, CaseIterable {
    /// Oldest first (log order); with a limit, still the newest N.
    case ascending = "asc"
    /// Newest first.
    case descending = "desc"
}

/// `--actor`: who wrote an event, matched against the `actor` JSON of each event.
///
/// - `alice` matches an event whose user *or* host is `alice`;
/// - `alice@db1` matches user `alice` on host `db1`;
/// - `4242` (digits only) matches process id 4242.
///
/// A log holds few distinct actors (one per writer process) and many events each, so the log
/// has one index on the whole `actor` text, `strata_events_by_actor (actor, seq)`: the filter
/// first walks the index's distinct actors (one seek each, `actors(in:)`), tests their JSON,
/// then reads each matching actor's events from the same index. One index entry per appended
/// event instead of one per field (user, host, pid) keeps a migration's commit small.
public enum ActorFilter: Sendable, Hashable {
    case userOrHost(String)
    case userAtHost(user: String, host: String)
    case pid(Int64)

    /// Parses the `--actor` forms above. An empty text is a usage error.
    public init(_ text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw StrataError(.usage, "--actor needs a user, a host, user@host or a process id.") }
        if !trimmed.isEmpty, trimmed.allSatisfy(\.isASCIIDigit), let pid = Int64(trimmed) {
            self = .pid(pid)
        } else if let at = trimmed.lastIndex(of: "@"), at != trimmed.startIndex, trimmed.index(after: at) != trimmed.endIndex {
            self = .userAtHost(user: String(trimmed[..<at]), host: String(trimmed[trimmed.index(after: at)...]))
        } else {
            self = .userOrHost(trimmed)
        }
    }

    /// The test on one actor's JSON text (`actor`).
    var condition: (sql: String, values: [SQLiteValue]) {
        let userField = "json_extract(actor, '$.user')", hostField = "json_extract(actor, '$.host')"
        switch self {
        case .userOrHost(let name): return ("(\(userField) = ? OR \(hostField) = ?)", [.text(name), .text(name)])
        case .userAtHost(let user, let host): return ("\(userField) = ? AND \(hostField) = ?", [.text(user), .text(host)])
        case .pid(let pid): return ("json_extract(actor, '$.pid') = ?", [.integer(pid)])
        }
    }

    /// The distinct `actor` texts of the log that match: a skip-scan of `strata_events_by_actor`,
    /// one index seek per distinct actor, however many events each wrote.
    func actors(in connection: Connection) throws -> [String] {
        try connection.query(actorsStatement.sql, actorsStatement.values) { $0.string(0) }
    }

    /// The statement `actors(in:)` runs (`LogQuery.queryPlan` shows its plan).
    var actorsStatement: (sql: String, values: [SQLiteValue]) {
        let (test, values) = condition
        return ("""
            WITH RECURSIVE actors(actor) AS (
                SELECT min(actor) FROM strata_events
                UNION ALL
                SELECT (SELECT min(actor) FROM strata_events WHERE actor > actors.actor) FROM actors WHERE actors.actor IS NOT NULL
            )
            SELECT actor FROM actors WHERE actor IS NOT NULL AND
            """ + " " + test, values)
    }

    /// The same test on a decoded event (`log --follow`).
    public func matches(_ event: Event) -> Bool {
        let actor = EventActorInfo(event.actor)
        switch self {
        case .userOrHost(let name): return actor.user == name || actor.host == name
        case .userAtHost(let user, let host): return actor.user == user && actor.host == host
        case .pid(let pid): return actor.pid == pid
        }
    }
}

/// An event's `actor` JSON, decoded: who wrote it.
public struct EventActorInfo: Sendable, Hashable, CustomStringConvertible {
    public var user: String?
    public var host: String?
    public var pid: Int64?
    public var tool: String?

    public init(user: String? = nil, host: String? = nil, pid: Int64? = nil, tool: String? = nil) {
        self.user = user
        self.host = host
        self.pid = pid
        self.tool = tool
    }

    public init(_ json: JSONValue) {
        guard case .object(let fields) = json else { return }
        if case .string(let user)? = fields["user"] { self.user = user }
        if case .string(let host)? = fields["host"] { self.host = host }
        if case .int(let pid)? = fields["pid"] { self.pid = pid }
        if case .string(let tool)? = fields["tool"] { self.tool = tool }
    }

    /// `alice@db1 (pid 4242)`.
    public var description: String {
        var text = "\(user ?? "?")@\(host ?? "?")"
        if let pid { text += " (pid \(pid))" }
        return text
    }

    /// `alice@db1`: the short form of the log table.
    public var short: String { "\(user ?? "?")@\(host ?? "?")" }
}

/// `--since` / `--until` values: an ISO-8601 time (`2026-11-25`, `2026-11-25T18:00`,
/// `2026-11-25T18:00:00Z`, `2026-11-25T18:00:00+01:00`, with or without milliseconds; no zone
/// means UTC) or a time before now (`90s`, `15m`, `2h`, `3d`, `1w`).
public enum LogTime {
    public static func parse(_ text: String, now: Date = Date()) throws -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let date = relative(trimmed).map({ now.addingTimeInterval(-$0) }) ?? iso8601(trimmed) else {
            throw StrataError(.usage, "'\(text)' is not a time: use ISO-8601 (2026-11-25, 2026-11-25T18:00:00Z, 2026-11-25T18:00+01:00) or a span before now (90s, 15m, 2h, 3d, 1w).")
        }
        // The log's times are written with four-digit years.
        guard date.timeIntervalSince1970 >= firstSecond, date.timeIntervalSince1970 < endSecond else {
            throw StrataError(.usage, "'\(text)' is outside the years 0001 to 9999 that the log's times can hold.")
        }
        return date
    }

    /// 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z, in seconds since 1970.
    private static let firstSecond: TimeInterval = -62_135_596_800
    private static let endSecond: TimeInterval = 253_402_300_800

    /// `YYYY-MM-DD[(T| )HH:MM[:SS[.fff]]][Z|±HH:MM|±HHMM]`, strictly: no zone means UTC.
    static func iso8601(_ text: String) -> Date? {
        var rest = Substring(text)
        func number(_ digits: Int) -> Int? {
            let head = rest.prefix(digits)
            guard head.count == digits, head.allSatisfy(\.isASCIIDigit) else { return nil }
            rest = rest.dropFirst(digits)
            return Int(head)
        }
        func take(_ character: Character) -> Bool {
            guard rest.first == character else { return false }
            rest = rest.dropFirst()
            return true
        }
        guard let year = number(4), take("-"), let month = number(2), take("-"), let day = number(2),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        var hour = 0, minute = 0, second = 0
        var fraction = 0.0
        var offset = 0
        if take("T") || take("t") || take(" ") {
            guard let h = number(2), take(":"), let m = number(2), h < 24, m < 60 else { return nil }
            (hour, minute) = (h, m)
            if take(":") {
                guard let s = number(2), s < 61 else { return nil }
                second = s
                if take(".") || take(",") {
                    let digits = rest.prefix { $0.isASCIIDigit }
                    guard !digits.isEmpty, let value = Double("0." + digits) else { return nil }
                    fraction = value
                    rest = rest.dropFirst(digits.count)
                }
            }
            if take("Z") || take("z") {
            } else if let sign = rest.first, sign == "+" || sign == "-" {
                rest = rest.dropFirst()
                guard let h = number(2) else { return nil }
                _ = take(":")
                guard let m = number(2), h < 24, m < 60 else { return nil }
                offset = (h * 3600 + m * 60) * (sign == "-" ? -1 : 1)
            }
        }
        guard rest.isEmpty else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = timegm(&parts)
        guard parts.tm_mday == Int32(day) else { return nil }  // 2026-02-31 normalised away
        return Date(timeIntervalSince1970: TimeInterval(seconds - offset) + fraction)
    }

    /// Seconds for `90s`, `15m`, `2h`, `3d`, `1w`.
    static func relative(_ text: String) -> TimeInterval? {
        guard let unit = text.last, let amount = Double(text.dropLast()), amount >= 0,
              text.dropLast().allSatisfy({ $0.isASCIIDigit || $0 == "." }) else { return nil }
        switch unit {
        case "s": return amount
        case "m": return amount * 60
        case "h": return amount * 3600
        case "d": return amount * 86400
        case "w": return amount * 7 * 86400
        default: return nil
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
