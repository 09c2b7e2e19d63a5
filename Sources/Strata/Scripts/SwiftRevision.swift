extension MigrationScript {
    /// A revision written in Swift, for data migrations that need logic rather than SQL. It
    /// joins the same graph as the `.sql` scripts.
    ///
    /// Swift code has no text to checksum, so edits are detected only through `checksumSeed`:
    /// give a string you change whenever the closure's behaviour changes (e.g. "v2"). Without a
    /// seed, `checksum` is `nil` and edits go unnoticed.
    public static func swift(
        id: String,
        revises: [String] = [],
        dependsOn: [String] = [],
        branchLabels: [String] = [],
        message: String = "",
        checksumSeed: String? = nil,
        transactional: Bool = true,
        upgrade: @escaping @Sendable (Connection) throws -> Void,
        downgrade: (@Sendable (Connection) throws -> Void)? = nil
    ) throws -> MigrationScript {
        let origin = "Swift revision \(id)"
        func fail(_ text: String) -> StrataError { StrataError(.invalidScript, "\(origin): \(text).") }
        guard RevisionIdentifier.isValid(id) else {
            throw fail("the id is not valid (use letters, digits and _ only, e.g. 3c1d9e0f7a42)")
        }
        for (name, entries) in [("revises", revises), ("dependsOn", dependsOn)] {
            if let bad = entries.first(where: { !RevisionIdentifier.isValid($0) }) {
                throw fail("'\(name)' entry '\(bad)' is not valid (letters, digits and _ only)")
            }
        }
        if let bad = branchLabels.first(where: { !RevisionIdentifier.isValidLabel($0) }) {
            throw fail("branch label '\(bad)' is not valid (letters, digits and _ only, and not head, heads, base or current)")
        }
        return MigrationScript(
            node: RevisionNode(id: id, revises: revises, dependsOn: dependsOn, branchLabels: branchLabels, origin: origin),
            message: message,
            transactional: transactional,
            upgrade: .swift(upgrade),
            downgrade: downgrade.map { .swift($0) },
            checksum: checksumSeed.map(ScriptChecksum.hex(of:))
        )
    }
}
