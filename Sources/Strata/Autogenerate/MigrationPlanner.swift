/// Writes the SQL that turns one schema into another, in an order SQLite accepts:
///
/// 1. drop the triggers and views that are removed or changed, and those that depend on a
///    table about to be rebuilt or dropped (a view left naming a dropped table makes the
///    rebuild's `ALTER TABLE … RENAME` fail, so they go first and come back last);
/// 2. drop removed and changed indexes;
/// 3. create new tables; alter or rebuild changed ones; drop removed ones;
/// 4. create indexes (new, changed, and all of a rebuilt table's), then views, then triggers;
/// 5. `PRAGMA foreign_key_check` after a rebuild.
///
/// The downgrade is the same planner run the other way round.
struct MigrationPlanner {
    let current: DatabaseSchema
    let desired: DatabaseSchema
    /// The database `current` was read from, when there is one: lint counts rows there.
    let data: Connection?

    func plan() -> MigrationPlan {
        let diff = SchemaDiff(from: current, to: desired)
        var lint = DestructiveChangeLint(data: data)
        var sql: [String] = []
        var notes: [String] = []

        var added: [TableSchema] = [], dropped: [TableSchema] = []
        var altered: [(TableChange, TableStrategy)] = []
        var indexesToDrop: [IndexSchema] = [], indexesToCreate: [IndexSchema] = []
        var viewsChanged = Set<String>(), triggersChanged = Set<String>()
        for change in diff.changes {
            switch change {
            case .addTable(let table): added.append(table)
            case .dropTable(let table): dropped.append(table)
            case .alterTable(let change): altered.append((change, TableStrategy(change)))
            case .addIndex(let index): indexesToCreate.append(index)
            case .dropIndex(let index): indexesToDrop.append(index)
            case .changeIndex(let old, let new): indexesToDrop.append(old); indexesToCreate.append(new)
            case .addView(let view), .dropView(let view): viewsChanged.insert(view.name.lowercased())
            case .changeView(_, let view): viewsChanged.insert(view.name.lowercased())
            case .addTrigger(let trigger), .dropTrigger(let trigger): triggersChanged.insert(trigger.name.lowercased())
            case .changeTrigger(_, let trigger): triggersChanged.insert(trigger.name.lowercased())
            }
        }
        let rebuilt = Set(altered.compactMap { change, strategy -> String? in
            if case .rebuild = strategy { return change.to.name.lowercased() } else { return nil }
        })
        let columnsDropped = Set(altered.compactMap { change, strategy -> String? in
            if case .alter(_, let drop) = strategy, !drop.isEmpty { return change.to.name.lowercased() } else { return nil }
        })
        let droppedNames = Set(dropped.map { $0.name.lowercased() })

        // Views and triggers to take down first and put back last.
        let shaken = rebuilt.union(columnsDropped).union(droppedNames)
        let viewsDown = SchemaDependencies.views(of: current, dependingOn: shaken.union(viewsChanged))
            .map { $0.name.lowercased() }.reduce(into: viewsChanged) { $0.insert($1) }
        let triggersDown = SchemaDependencies.triggers(of: current, dependingOn: shaken.union(viewsDown))
            .map { $0.name.lowercased() }.reduce(into: triggersChanged) { $0.insert($1) }

        for trigger in current.triggers where triggersDown.contains(trigger.name.lowercased()) {
            sql.append("DROP TRIGGER \(quoteIdentifier(trigger.name));")
        }
        for view in current.views.reversed() where viewsDown.contains(view.name.lowercased()) {
            sql.append("DROP VIEW \(quoteIdentifier(view.name));")
        }
        for index in indexesToDrop where !shaken.subtracting(columnsDropped).contains(index.table.lowercased()) {
            sql.append("DROP INDEX \(quoteIdentifier(index.name));")
        }
        for table in added {
            sql.append(Self.statement(table.sql))
        }
        for (change, strategy) in altered {
            let name = quoteIdentifier(change.to.name)
            switch strategy {
            case .alter(let add, let drop):
                for column in add { sql.append("ALTER TABLE \(name) ADD COLUMN \(column.definition);") }
                for column in drop { sql.append("ALTER TABLE \(name) DROP COLUMN \(quoteIdentifier(column.name));") }
                lint.alter(change, dropping: drop)
            case .rebuild(let reasons):
                sql.append(TableRebuild(from: change.from, to: change.to, reasons: reasons).sql)
                lint.rebuild(change)
            }
            if !change.droppedColumns.isEmpty, !change.addedColumns.isEmpty {
                let gone = change.droppedColumns.map { quoteIdentifier($0.name) }.joined(separator: ", ")
                let new = change.addedColumns.map { quoteIdentifier($0.name) }.joined(separator: ", ")
                notes.append("Table \(name) loses \(gone) and gains \(new). Renames are not guessed: if one is the other renamed, replace this with ALTER TABLE \(name) RENAME COLUMN old TO new, which keeps the data.")
            }
        }
        for table in dropped {
            sql.append("DROP TABLE \(quoteIdentifier(table.name));")
            lint.dropTable(table)
        }
        if !dropped.isEmpty, !added.isEmpty {
            notes.append("Tables \(dropped.map { quoteIdentifier($0.name) }.joined(separator: ", ")) are dropped and \(added.map { quoteIdentifier($0.name) }.joined(separator: ", ")) created. Renames are not guessed: if one is the other renamed, use ALTER TABLE old RENAME TO new instead, which keeps the rows.")
        }

        // Re-create, in the desired schema's own order (an order in which it was created).
        let created = Set(indexesToCreate.map { $0.name.lowercased() })
        for index in desired.indexes where created.contains(index.name.lowercased()) || rebuilt.contains(index.table.lowercased()) {
            sql.append(Self.statement(index.sql))
        }
        for view in desired.views where viewsDown.contains(view.name.lowercased()) {
            sql.append(Self.statement(view.sql))
        }
        for trigger in desired.triggers where triggersDown.contains(trigger.name.lowercased()) || rebuilt.contains(trigger.table.lowercased()) {
            sql.append(Self.statement(trigger.sql))
        }
        if !rebuilt.isEmpty {
            sql.append("-- Strata also runs this check itself before COMMIT and rolls back on a violation.\nPRAGMA foreign_key_check;")
        }
        return MigrationPlan(diff: diff, sql: sql.joined(separator: "\n"), warnings: lint.warnings, notes: notes)
    }

    /// SQLite stores CREATE text without the final `;`.
    static func statement(_ text: String) -> String {
        text.hasSuffix(";") ? text : text + ";"
    }
}

/// One direction of a generated migration.
public struct MigrationPlan: Sendable {
    /// What differs, from the side this plan starts at.
    public var diff: SchemaDiff
    /// The SQL, statements separated by new lines; empty when there is nothing to do.
    public var sql: String
    /// Operations that can lose data (or will fail on existing data), for the script and the terminal.
    public var warnings: [LintWarning]
    /// Where a rename may have been meant.
    public var notes: [String]

    public var isEmpty: Bool { diff.isEmpty }
}
