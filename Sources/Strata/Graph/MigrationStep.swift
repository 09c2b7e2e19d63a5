/// Which way a migration runs.
public enum MigrationDirection: String, Sendable, Hashable {
    case upgrade
    case downgrade
}

/// One migration to run, with the version-table heads before and after it, so the engine can
/// update `strata_version` in the same transaction as the migration itself.
public struct MigrationStep: Sendable, Hashable, CustomStringConvertible {
    public var revision: String
    public var direction: MigrationDirection
    /// Heads recorded in the version table before this step (sorted).
    public var headsBefore: [String]
    /// Heads recorded in the version table after this step (sorted).
    public var headsAfter: [String]

    public init(revision: String, direction: MigrationDirection, headsBefore: [String], headsAfter: [String]) {
        self.revision = revision
        self.direction = direction
        self.headsBefore = headsBefore
        self.headsAfter = headsAfter
    }

    public var description: String {
        "\(direction == .upgrade ? "+" : "-")\(revision) \(headsBefore) -> \(headsAfter)"
    }
}
