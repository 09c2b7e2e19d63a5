/// Turns what users write for a database into a file path: a plain path, `sqlite:///rel.db`,
/// `sqlite:////abs/path.db`, or SQLAlchemy-style `sqlite+aiosqlite:///packets.db` (so a
/// MeshView `config.ini` works unchanged).
public enum DatabaseURL {
    public static func path(from value: String) throws -> String {
        let path = try filePath(from: value)
        guard !path.isEmpty else {
            throw StrataError(.usage, "The database is an empty path; give a file (--database app.db, STRATA_DATABASE or the config file).")
        }
        // An in-memory database ends with the process: a migration there would report success
        // and leave nothing behind.
        let lowered = path.lowercased()
        if lowered == ":memory:" || lowered.hasPrefix("file::memory:") || (lowered.hasPrefix("file:") && lowered.contains("mode=memory")) {
            throw StrataError(.usage, "'\(value)' is an in-memory database, which ends with the process; give a file path.")
        }
        return path
    }

    private static func filePath(from value: String) throws -> String {
        guard let schemeEnd = value.range(of: "://") else { return value }
        let scheme = value[..<schemeEnd.lowerBound].lowercased()
        let rest = String(value[schemeEnd.upperBound...])
        guard scheme == "sqlite" || scheme.hasPrefix("sqlite+") else {
            if scheme.hasPrefix("postgres") {
                throw StrataError(.usage, "PostgreSQL databases ('\(value)') are not supported yet; use an SQLite file path or sqlite:/// URL.")
            }
            throw StrataError(.usage, "Unknown database URL scheme '\(scheme)' in '\(value)'; use an SQLite file path or sqlite:///path.db.")
        }
        // SQLAlchemy: "sqlite:///relative.db" and "sqlite:////absolute.db"; drop any ?query.
        guard rest.hasPrefix("/") else {
            throw StrataError(.usage, "Database URL '\(value)' has a host part; write sqlite:///relative.db or sqlite:////absolute/path.db.")
        }
        var path = String(rest.dropFirst())
        if let query = path.firstIndex(of: "?") { path = String(path[..<query]) }
        guard !path.isEmpty else {
            throw StrataError(.usage, "Database URL '\(value)' names no file (in-memory databases cannot be migrated across processes).")
        }
        return path
    }
}
