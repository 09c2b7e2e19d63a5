import Foundation

/// A migration written from two schemas: the upgrade turns `current` into `desired`, the
/// downgrade (the same planner, run the other way) turns it back.
public struct GeneratedMigration: Sendable {
    public var upgrade: MigrationPlan
    public var downgrade: MigrationPlan

    public var isEmpty: Bool { upgrade.isEmpty }

    /// `data`: the database `current` was read from, if any, so warnings can count the rows
    /// at stake.
    public init(from current: DatabaseSchema, to desired: DatabaseSchema, data: Connection? = nil) {
        upgrade = MigrationPlanner(current: current, desired: desired, data: data).plan()
        downgrade = MigrationPlanner(current: desired, desired: current, data: nil).plan()
    }

    /// What is said about snapshots wherever data can be lost.
    public static let recoveryNote = "Strata snapshots the tables a migration touches before it runs (strata upgrade --backup touched, the default), so 'strata restore' can bring the data back."

    /// A complete script (Docs/script-format.md): `ScriptTemplate`'s header, then the two
    /// sections, with every warning and rename note written in as comments.
    public func script(revision: String, revises: [String], dependsOn: [String] = [], branchLabels: [String] = [],
                       message: String, source: String, created: Date = Date()) -> String {
        let template = ScriptTemplate.render(revision: revision, revises: revises, dependsOn: dependsOn,
                                             branchLabels: branchLabels, message: message, created: created)
        let header = template.components(separatedBy: ScriptParser.upgradeMarker)[0]
        var lines = [ScriptParser.upgradeMarker]
        lines.append("-- Written by 'strata revision --autogenerate' from \(source.replacingOccurrences(of: "\n", with: " ")); review it before applying.")
        lines += section(upgrade, forward: true)
        lines += ["", ScriptParser.downgradeMarker]
        lines += section(downgrade, forward: false)
        return header + lines.joined(separator: "\n") + "\n"
    }

    private func section(_ plan: MigrationPlan, forward: Bool) -> [String] {
        guard !plan.isEmpty else { return ["-- No differences: nothing to do."] }
        var lines: [String] = []
        if plan.sql.contains("strata_new_") || plan.sql.contains("DROP TABLE") {
            lines += [
                "-- Strata runs each migration with foreign_keys OFF (the pragma is a no-op inside a",
                "-- transaction, so it is switched before BEGIN) and PRAGMA foreign_key_check before COMMIT:",
                "-- dropping a table neither cascades into child tables nor leaves a broken reference behind.",
            ]
        }
        for warning in plan.warnings { lines.append("-- WARNING (\(warning.kind)): \(warning.message)") }
        if !plan.warnings.isEmpty { lines.append("-- " + Self.recoveryNote) }
        if forward { for note in plan.notes { lines.append("-- NOTE: \(note)") } }
        lines.append(plan.sql)
        return lines
    }
}
