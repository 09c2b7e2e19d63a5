import StrataCSQLite

/// One call of SQLite's authorizer (`sqlite3_set_authorizer`), made while a statement is
/// *prepared*, so a caller learns what a statement will do before it runs.
public struct AuthorizerEvent: Sendable, CustomStringConvertible {
    /// The action code (`SQLITE_INSERT`, `SQLITE_DROP_TABLE`, `SQLITE_ALTER_TABLE`, ...).
    public var action: Int32
    public var first: String?
    public var second: String?
    /// The database name (`main`, `temp`, an attached name), when SQLite gives one.
    public var database: String?
    /// The innermost trigger or view responsible, when any.
    public var source: String?

    /// The user table this event writes, alters or drops, if any. The action codes' argument
    /// layouts are from SQLite's "Authorizer Action Codes" table. SQLite's own bookkeeping
    /// writes (DDL updates `sqlite_master` through `SQLITE_DELETE`/`SQLITE_UPDATE`) are left
    /// out: "Table names that begin with sqlite_ are reserved for internal use".
    public var writtenTable: String? {
        guard let table = rawWrittenTable, !table.lowercased().hasPrefix("sqlite_") else { return nil }
        return table
    }

    private var rawWrittenTable: String? {
        switch action {
        case SQLITE_INSERT, SQLITE_DELETE, SQLITE_UPDATE, SQLITE_DROP_TABLE, SQLITE_DROP_TEMP_TABLE:
            return first
        case SQLITE_ALTER_TABLE:
            return second  // (database name, table name)
        case SQLITE_CREATE_INDEX, SQLITE_DROP_INDEX, SQLITE_CREATE_TRIGGER, SQLITE_DROP_TRIGGER,
             SQLITE_CREATE_TEMP_INDEX, SQLITE_DROP_TEMP_INDEX, SQLITE_CREATE_TEMP_TRIGGER, SQLITE_DROP_TEMP_TRIGGER:
            return second  // (index or trigger name, table name)
        default:
            return nil
        }
    }

    public var description: String {
        "authorizer(\(action), \(first ?? "-"), \(second ?? "-"), \(database ?? "-"), \(source ?? "-"))"
    }
}

public enum AuthorizerDecision: Sendable {
    case allow
    case deny
    case ignore

    var code: Int32 {
        switch self {
        case .allow: SQLITE_OK
        case .deny: SQLITE_DENY
        case .ignore: SQLITE_IGNORE
        }
    }
}

final class AuthorizerBox {
    let callback: (AuthorizerEvent) -> AuthorizerDecision
    init(_ callback: @escaping (AuthorizerEvent) -> AuthorizerDecision) { self.callback = callback }
}

extension Connection {
    /// Installs `authorizer` while `body` runs (statements prepared inside `body` are seen),
    /// then restores the previous one.
    public func withAuthorizer<T>(_ authorizer: @escaping (AuthorizerEvent) -> AuthorizerDecision,
                                  _ body: () throws -> T) rethrows -> T {
        let previous = self.authorizer
        install(AuthorizerBox(authorizer))
        defer { install(previous) }
        return try body()
    }

    private func install(_ box: AuthorizerBox?) {
        self.authorizer = box
        guard let box else {
            sqlite3_set_authorizer(handle, nil, nil)
            return
        }
        let context = Unmanaged.passUnretained(box).toOpaque()
        sqlite3_set_authorizer(handle, { context, action, first, second, database, source in
            guard let context else { return SQLITE_OK }
            let box = Unmanaged<AuthorizerBox>.fromOpaque(context).takeUnretainedValue()
            let event = AuthorizerEvent(
                action: action,
                first: first.map { String(cString: $0) },
                second: second.map { String(cString: $0) },
                database: database.map { String(cString: $0) },
                source: source.map { String(cString: $0) })
            return box.callback(event).code
        }, context)
    }
}
