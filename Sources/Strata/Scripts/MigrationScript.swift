/// What a migration runs: SQL text (split by SQLite itself) or Swift code over the connection.
public enum MigrationBody: Sendable {
    case sql(String)
    case swift(@Sendable (Connection) throws -> Void)

    /// The SQL text, if this body is SQL.
    public var sql: String? {
        if case .sql(let text) = self { return text }
        return nil
    }
}

/// One revision: its place in the graph plus what it runs each way.
public struct MigrationScript: Sendable {
    public var node: RevisionNode
    public var message: String
    /// The `created` header, as written (ISO-8601).
    public var created: String?
    /// `false` runs each statement on its own, outside a transaction.
    public var transactional: Bool
    public var upgrade: MigrationBody
    /// `nil` when the script has no `-- +downgrade` section.
    public var downgrade: MigrationBody?
    /// The file path for `.sql` scripts; `nil` for Swift revisions.
    public var file: String?
    /// The file's text as read; `nil` for Swift revisions.
    public var source: String?
    /// SHA-256 (lowercase hex) of the canonical form of `source` (Docs/formats.md);
    /// for Swift revisions, of the `checksumSeed` given at registration, or `nil`.
    public var checksum: String?
    /// Line of `file` where the upgrade SQL starts (just after `-- +upgrade`), so the SQL layer
    /// can point at the failing statement's line; `nil` for Swift revisions.
    public var upgradeLine: Int? = nil
    /// Line of `file` where the downgrade SQL starts; `nil` without a downgrade section.
    public var downgradeLine: Int? = nil

    public var id: String { node.id }

    public init(node: RevisionNode, message: String = "", created: String? = nil, transactional: Bool = true,
                upgrade: MigrationBody, downgrade: MigrationBody? = nil, file: String? = nil,
                source: String? = nil, checksum: String? = nil) {
        self.node = node
        self.message = message
        self.created = created
        self.transactional = transactional
        self.upgrade = upgrade
        self.downgrade = downgrade
        self.file = file
        self.source = source
        self.checksum = checksum
    }
}
