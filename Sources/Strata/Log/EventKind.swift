/// What an event records. A struct over a string, so kinds written by a newer Strata still
/// read (and verify) in an older one.
public struct EventKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }

    public static let upgradeStarted: EventKind = "upgrade_started"
    public static let migrationApplied: EventKind = "migration_applied"
    public static let migrationFailed: EventKind = "migration_failed"
    public static let upgradeCompleted: EventKind = "upgrade_completed"
    public static let downgradeStarted: EventKind = "downgrade_started"
    public static let migrationReverted: EventKind = "migration_reverted"
    public static let downgradeCompleted: EventKind = "downgrade_completed"
    public static let stamped: EventKind = "stamped"
    public static let recovered: EventKind = "recovered"
    /// An edited applied script was accepted on purpose (`upgrade --accept-edited`).
    public static let checksumAccepted: EventKind = "checksum_accepted"
    /// `replay` found `strata_version` out of step with the log and rebuilt it.
    public static let projectionRebuilt: EventKind = "projection_rebuilt"
    public static let snapshotTaken: EventKind = "snapshot_taken"
    public static let restoreStarted: EventKind = "restore_started"
    public static let restoreCompleted: EventKind = "restore_completed"
    /// A restore failed and was rolled back whole; the status stays what it was before.
    public static let restoreFailed: EventKind = "restore_failed"
    public static let snapshotPruned: EventKind = "snapshot_pruned"
    public static let archiveExported: EventKind = "archive_exported"
    /// Pruned snapshots' rows were brought back from an archive file.
    public static let archiveImported: EventKind = "archive_imported"

    /// Every kind this version writes.
    public static let all: [EventKind] = [
        .upgradeStarted, .migrationApplied, .migrationFailed, .upgradeCompleted, .downgradeStarted,
        .migrationReverted, .downgradeCompleted, .stamped, .recovered, .checksumAccepted,
        .projectionRebuilt, .snapshotTaken, .restoreStarted, .restoreCompleted, .restoreFailed, .snapshotPruned, .archiveExported, .archiveImported,
    ]
}

/// The writer's status after an event: what a reader needs to decide between waiting and failing.
public enum WriterStatus: String, Sendable, Codable, CaseIterable {
    case idle
    case migrating
    case failed
    case restoring
}
