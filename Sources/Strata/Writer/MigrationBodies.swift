/// Picks the body a step runs, with a clear error when a script has no downgrade.
enum MigrationBodies {
    static func body(of script: MigrationScript, for step: MigrationStep, heads: [String]) throws -> MigrationBody {
        switch step.direction {
        case .upgrade:
            return script.upgrade
        case .downgrade:
            guard let downgrade = script.downgrade else {
                throw StrataError(.migrationFailed,
                    "Revision \(script.id) has no '-- +downgrade' section (\(script.node.origin)), so it cannot be reverted. The database is still at \(HeadsDescription(heads)).")
            }
            return downgrade
        }
    }
}
