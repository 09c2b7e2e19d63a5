import StrataCSQLite

/// One SQLite connection. Not Sendable: use it from one task or thread at a time.
/// STUB: being written (issue 2).
public final class Connection {
    let handle: OpaquePointer

    init(handle: OpaquePointer) { self.handle = handle }
}
