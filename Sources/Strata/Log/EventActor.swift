import Foundation

/// Who wrote an event: host, process, user and tool version, as one JSON object.
public enum EventActor {
    /// This process, computed once.
    public static let current: JSONValue = [
        "host": .string(hostName),
        "pid": .int(Int64(ProcessInfo.processInfo.processIdentifier)),
        "user": .string(userName),
        "tool": .string("strata \(StrataVersion.current)"),
    ]

    public static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    public static let userName: String = {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "uid \(geteuid())"
    }()
}
