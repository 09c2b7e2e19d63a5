import Foundation

/// The writer lock in `strata_lock`: one row naming the writer at work (host, pid, user,
/// operation) with a lease. A second writer waits for it; a row left by a dead writer (same
/// host and its pid gone, or its lease expired) is taken over, and the caller records that as
/// a `recovered` event.
struct WriterLock {
    struct Owner: Sendable {
        var host: String
        var pid: Int64
        var user: String
        var operation: String
        var acquiredAt: String
        var leaseExpiresMs: Int64

        var description: String { "\(user)@\(host) pid \(pid) (\(operation) since \(acquiredAt))" }

        var json: JSONValue {
            ["host": .string(host), "pid": .int(pid), "user": .string(user), "operation": .string(operation),
             "acquired_at": .string(acquiredAt)]
        }
    }

    enum Attempt {
        case acquired
        /// A dead writer's lock was taken over; why, and whose it was.
        case tookOver(Owner, reason: String)
        case held(Owner)
    }

    let connection: Connection
    /// How long a lease lasts without a heartbeat. Only writers on other hosts rely on it: on
    /// the same host, the owner's pid is checked directly.
    let lease: Duration

    static var nowMs: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// One attempt, in its own IMMEDIATE transaction.
    func tryAcquire(operation: String) throws -> Attempt {
        try connection.transaction(.immediate) {
            let existing = try owner()
            let me = Owner(host: EventActor.hostName, pid: Int64(getpid()), user: EventActor.userName,
                           operation: operation, acquiredAt: Timestamp.string(),
                           leaseExpiresMs: Self.nowMs + lease.milliseconds)
            var attempt = Attempt.acquired
            if let existing, !(existing.host == me.host && existing.pid == me.pid) {
                if let reason = deadReason(existing) {
                    attempt = .tookOver(existing, reason: reason)
                } else {
                    return .held(existing)
                }
            }
            try connection.execute("""
                INSERT OR REPLACE INTO strata_lock (id, host, pid, user, operation, acquired_at, lease_expires_ms)
                VALUES (1, ?, ?, ?, ?, ?, ?)
                """, [.text(me.host), .integer(me.pid), .text(me.user), .text(me.operation), .text(me.acquiredAt),
                      .integer(me.leaseExpiresMs)])
            return attempt
        }
    }

    /// Extends this process's lease; called inside each migration's transaction.
    func heartbeat() throws {
        try connection.execute("UPDATE strata_lock SET lease_expires_ms = ? WHERE host = ? AND pid = ?",
                               [.integer(Self.nowMs + lease.milliseconds), .text(EventActor.hostName), .integer(Int64(getpid()))])
    }

    func release() throws {
        try connection.transaction(.immediate) {
            try connection.execute("DELETE FROM strata_lock WHERE host = ? AND pid = ?",
                                   [.text(EventActor.hostName), .integer(Int64(getpid()))])
        }
    }

    func owner() throws -> Owner? {
        try connection.query("SELECT host, pid, user, operation, acquired_at, lease_expires_ms FROM strata_lock WHERE id = 1") {
            Owner(host: $0.string(0), pid: $0.int64(1), user: $0.string(2), operation: $0.string(3),
                  acquiredAt: $0.string(4), leaseExpiresMs: $0.int64(5))
        }.first
    }

    /// Why `owner` is no longer working, or `nil` if it may still be.
    private func deadReason(_ owner: Owner) -> String? {
        if owner.host == EventActor.hostName {
            // kill(pid, 0) probes without signalling; EPERM means it exists under another user.
            if kill(pid_t(owner.pid), 0) == 0 || errno == EPERM { return nil }
            return "its process (pid \(owner.pid)) is gone"
        }
        if owner.leaseExpiresMs < Self.nowMs { return "its lease expired at \(Timestamp.string(Date(timeIntervalSince1970: Double(owner.leaseExpiresMs) / 1000)))" }
        return nil
    }
}
