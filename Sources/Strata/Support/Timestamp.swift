import Foundation

/// UTC ISO-8601 timestamps with milliseconds, `2026-11-25T15:57:03.123Z`: the form of every
/// `at` in the event log. Fixed width, so text order is time order.
public enum Timestamp {
    public static func string(_ date: Date = Date()) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                      Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(milliseconds % 1000))
    }

    /// Parses a stored `at` (`2026-11-25T15:57:03.123Z`) or the same without milliseconds.
    /// Nothing looser: a partial time is `nil`, never silently midnight. (User input such as
    /// `log --since` goes through `LogTime`, which says what it accepts.)
    public static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
