/// Everything Strata does to a database goes through this protocol, so PostgreSQL is a second
/// implementation rather than a fork. A store is used from one task at a time.
public protocol Store: AnyObject {
    /// Where the store lives, for messages: a file path or URL.
    var location: String { get }

    /// The heads recorded in the version table (sorted); empty when Strata's tables do not
    /// exist yet.
    func heads() throws -> [String]

    /// Creates Strata's own tables when missing.
    func prepareSchema() throws

    /// Runs one migration step and records the version table's new heads, atomically: either
    /// both happen or neither does (for non-transactional scripts, see `StepExecution`).
    func run(_ step: MigrationStep, of script: MigrationScript) throws -> StepExecution

    /// Replaces the version table's heads without running any migration.
    func stamp(heads: [String]) throws
}

/// What running one step cost.
public struct StepExecution: Sendable {
    public var step: MigrationStep
    /// Statements run (SQL bodies), or 0 for Swift bodies.
    public var statementCount: Int
    public var duration: Duration
}
