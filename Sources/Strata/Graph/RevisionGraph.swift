/// The revision DAG with Alembic's semantics. Pure value: no I/O, no database.
///
/// STUB: the public surface is fixed; the bodies are being written (issue 2).
public struct RevisionGraph: Sendable {
    /// Every revision, in the order given.
    public let nodes: [RevisionNode]

    /// Validates the graph: duplicate ids, duplicate branch labels, missing parents or
    /// dependencies, self-loops and cycles are `StrataError.invalidGraph` naming the origins.
    public init(_ nodes: [RevisionNode]) throws {
        self.nodes = nodes
    }

    public func node(_ id: String) -> RevisionNode? { nodes.first { $0.id == id } }

    /// Revisions nothing revises (sorted).
    public var heads: [String] { [] }
    /// Revisions that revise nothing (sorted).
    public var bases: [String] { [] }
    /// Revisions revised by two or more others (sorted).
    public var branchPoints: [String] { [] }
    /// Revisions that list `id` in `revises` (sorted).
    public func children(of id: String) -> [String] { [] }

    /// Resolves one target (`head`, `heads`, `base`, an id or 4+ char prefix, `label@head`,
    /// `rev@label`, `+N`, `rev-N`, ...) to revision ids; `base` resolves to `[]`.
    /// `current` is the version table's heads, used by relative targets.
    public func resolve(_ target: String, current: [String]) throws -> [String] {
        throw StrataError(.unknownTarget, "not implemented")
    }

    /// The migrations to run, in order, to bring `current` up to `target`.
    public func upgradePlan(current: [String], target: String) throws -> [MigrationStep] {
        throw StrataError(.unknownTarget, "not implemented")
    }

    /// The migrations to revert, in order, to bring `current` down to `target`.
    public func downgradePlan(current: [String], target: String) throws -> [MigrationStep] {
        throw StrataError(.unknownTarget, "not implemented")
    }

    /// The version-table heads after `stamp targets...` (with `purge`, `current` is ignored).
    public func stampHeads(current: [String], targets: [String], purge: Bool) throws -> [String] {
        throw StrataError(.unknownTarget, "not implemented")
    }

    /// Every revision applied when the version table holds `heads` (ancestors and dependencies).
    public func appliedRevisions(heads: [String]) throws -> Set<String> {
        throw StrataError(.unknownTarget, "not implemented")
    }

    /// Revision ids newest first (a valid reverse topological order), limited by an Alembic
    /// range such as `base:head`, `rev:`, `:rev`, `-2:current`, `current:heads`.
    public func history(range: String?, current: [String]) throws -> [String] {
        throw StrataError(.unknownTarget, "not implemented")
    }
}
