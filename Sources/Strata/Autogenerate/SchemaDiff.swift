/// How a current schema differs from a desired one, as values: what autogenerate turns into
/// SQL, what `check --schema` prints, and what an app can assert on in its own tests
/// (`#expect(try SchemaDiff(from: DatabaseSchema(connection: db), to: desired).isEmpty)`).
///
/// Nothing is guessed: a renamed table or column is a drop plus an add (the generator says
/// where a rename may have been meant). Names compare case-insensitively, as in SQLite;
/// types, defaults and expressions compare by their tokens, so spelling and spacing do not count.
public struct SchemaDiff: Sendable, Equatable {
    public var changes: [SchemaChange]

    public var isEmpty: Bool { changes.isEmpty }

    /// One readable line per change.
    public var descriptions: [String] { changes.map(\.description) }

    public init(changes: [SchemaChange]) { self.changes = changes }

    public init(from current: DatabaseSchema, to desired: DatabaseSchema) {
        var changes: [SchemaChange] = []
        for table in desired.tables {
            if let old = current.table(table.name) {
                let change = TableChange(from: old, to: table)
                if !change.isEmpty { changes.append(.alterTable(change)) }
            } else {
                changes.append(.addTable(table))
            }
        }
        for table in current.tables where desired.table(table.name) == nil { changes.append(.dropTable(table)) }
        for index in desired.indexes {
            if let old = current.index(index.name) {
                if !old.isEquivalent(to: index) { changes.append(.changeIndex(from: old, to: index)) }
            } else {
                changes.append(.addIndex(index))
            }
        }
        for index in current.indexes where desired.index(index.name) == nil { changes.append(.dropIndex(index)) }
        for view in desired.views {
            if let old = current.view(view.name) {
                if SQLTokenizer.normalized(old.sql) != SQLTokenizer.normalized(view.sql) { changes.append(.changeView(from: old, to: view)) }
            } else {
                changes.append(.addView(view))
            }
        }
        for view in current.views where desired.view(view.name) == nil { changes.append(.dropView(view)) }
        for trigger in desired.triggers {
            if let old = current.trigger(trigger.name) {
                if SQLTokenizer.normalized(old.sql) != SQLTokenizer.normalized(trigger.sql) { changes.append(.changeTrigger(from: old, to: trigger)) }
            } else {
                changes.append(.addTrigger(trigger))
            }
        }
        for trigger in current.triggers where desired.trigger(trigger.name) == nil { changes.append(.dropTrigger(trigger)) }
        self.changes = changes
    }
}

public enum SchemaChange: Sendable, Equatable, CustomStringConvertible {
    case addTable(TableSchema)
    case dropTable(TableSchema)
    case alterTable(TableChange)
    case addIndex(IndexSchema)
    case dropIndex(IndexSchema)
    case changeIndex(from: IndexSchema, to: IndexSchema)
    case addView(ViewSchema)
    case dropView(ViewSchema)
    case changeView(from: ViewSchema, to: ViewSchema)
    case addTrigger(TriggerSchema)
    case dropTrigger(TriggerSchema)
    case changeTrigger(from: TriggerSchema, to: TriggerSchema)

    public var description: String {
        switch self {
        case .addTable(let table): "Table \(quoteIdentifier(table.name)) is missing (the desired schema has it)."
        case .dropTable(let table): "Table \(quoteIdentifier(table.name)) is not in the desired schema."
        case .alterTable(let change): "Table \(quoteIdentifier(change.to.name)): \(change.differences.joined(separator: "; "))."
        case .addIndex(let index): "Index \(quoteIdentifier(index.name)) on \(quoteIdentifier(index.table)) is missing: \(SchemaCapture.collapse(index.sql))."
        case .dropIndex(let index): "Index \(quoteIdentifier(index.name)) on \(quoteIdentifier(index.table)) is not in the desired schema."
        case .changeIndex(let old, let new):
            "Index \(quoteIdentifier(new.name)) differs: it is \(old.summary), the desired schema has \(new.summary)."
        case .addView(let view): "View \(quoteIdentifier(view.name)) is missing."
        case .dropView(let view): "View \(quoteIdentifier(view.name)) is not in the desired schema."
        case .changeView(_, let view): "View \(quoteIdentifier(view.name)) differs: the desired schema has \(SchemaCapture.collapse(view.sql))."
        case .addTrigger(let trigger): "Trigger \(quoteIdentifier(trigger.name)) on \(quoteIdentifier(trigger.table)) is missing."
        case .dropTrigger(let trigger): "Trigger \(quoteIdentifier(trigger.name)) is not in the desired schema."
        case .changeTrigger(_, let trigger): "Trigger \(quoteIdentifier(trigger.name)) differs from the desired schema's."
        }
    }
}

/// How one table that exists on both sides differs.
public struct TableChange: Sendable, Equatable {
    public struct ColumnChange: Sendable, Equatable {
        public var from: ColumnSchema
        public var to: ColumnSchema
        /// Readable differences ("type TEXT → INTEGER", "NOT NULL added").
        public var differences: [String]
    }

    public var from: TableSchema
    public var to: TableSchema
    public var addedColumns: [ColumnSchema]
    public var droppedColumns: [ColumnSchema]
    public var changedColumns: [ColumnChange]
    /// Whether the columns would end up in another order than the desired one if the added
    /// columns were appended and the dropped ones removed (ALTER TABLE can do nothing else).
    public var columnOrderChanged: Bool
    /// Readable differences in table constraints and options (foreign keys, CHECK, UNIQUE,
    /// WITHOUT ROWID, STRICT, AUTOINCREMENT).
    public var constraintChanges: [String]

    public var isEmpty: Bool {
        addedColumns.isEmpty && droppedColumns.isEmpty && changedColumns.isEmpty && !columnOrderChanged && constraintChanges.isEmpty
    }

    public init(from: TableSchema, to: TableSchema) {
        self.from = from
        self.to = to
        addedColumns = to.columns.filter { from.column($0.name) == nil }
        droppedColumns = from.columns.filter { to.column($0.name) == nil }
        changedColumns = to.columns.compactMap { new in
            guard let old = from.column(new.name) else { return nil }
            let differences = Self.columnDifferences(old, new)
            return differences.isEmpty ? nil : ColumnChange(from: old, to: new, differences: differences)
        }
        let kept = from.columns.filter { to.column($0.name) != nil }.map { $0.name.lowercased() }
        columnOrderChanged = kept + addedColumns.map { $0.name.lowercased() } != to.columns.map { $0.name.lowercased() }

        var constraints: [String] = []
        func describe(_ key: ForeignKeySchema) -> String {
            "(\(key.columns.joined(separator: ", "))) → \(key.parentTable)(\(key.parentColumns.joined(separator: ", "))) ON DELETE \(key.onDelete) ON UPDATE \(key.onUpdate)"
        }
        let oldKeys = from.foreignKeys.map(Self.normalized), newKeys = to.foreignKeys.map(Self.normalized)
        for (key, normal) in zip(from.foreignKeys, oldKeys) where !newKeys.contains(normal) { constraints.append("foreign key \(describe(key)) removed") }
        for (key, normal) in zip(to.foreignKeys, newKeys) where !oldKeys.contains(normal) { constraints.append("foreign key \(describe(key)) added") }
        for check in from.checks where !to.checks.contains(check) { constraints.append("CHECK (\(check)) removed") }
        for check in to.checks where !from.checks.contains(check) { constraints.append("CHECK (\(check)) added") }
        for unique in from.uniqueConstraints where !to.uniqueConstraints.contains(unique) { constraints.append("UNIQUE (\(unique.joined(separator: ", "))) removed") }
        for unique in to.uniqueConstraints where !from.uniqueConstraints.contains(unique) { constraints.append("UNIQUE (\(unique.joined(separator: ", "))) added") }
        if from.primaryKey.map({ $0.lowercased() }) != to.primaryKey.map({ $0.lowercased() }) {
            constraints.append("primary key (\(from.primaryKey.joined(separator: ", "))) → (\(to.primaryKey.joined(separator: ", ")))")
        }
        if from.withoutRowID != to.withoutRowID { constraints.append(to.withoutRowID ? "WITHOUT ROWID added" : "WITHOUT ROWID removed") }
        if from.strict != to.strict { constraints.append(to.strict ? "STRICT added" : "STRICT removed") }
        if from.autoincrement != to.autoincrement { constraints.append(to.autoincrement ? "AUTOINCREMENT added" : "AUTOINCREMENT removed") }
        constraintChanges = constraints
    }

    /// Every difference, readable, for `check` and script comments.
    public var differences: [String] {
        addedColumns.map { "column \(quoteIdentifier($0.name)) missing" }
            + droppedColumns.map { "column \(quoteIdentifier($0.name)) not in the desired schema" }
            + changedColumns.map { "column \(quoteIdentifier($0.to.name)) \($0.differences.joined(separator: ", "))" }
            + (columnOrderChanged ? ["column order \(from.columns.map(\.name).joined(separator: ", ")) → \(to.columns.map(\.name).joined(separator: ", "))"] : [])
            + constraintChanges
    }

    static func normalized(_ key: ForeignKeySchema) -> ForeignKeySchema {
        ForeignKeySchema(columns: key.columns.map { $0.lowercased() }, parentTable: key.parentTable.lowercased(),
                         parentColumns: key.parentColumns.map { $0.lowercased() }, onUpdate: key.onUpdate.uppercased(),
                         onDelete: key.onDelete.uppercased(), match: key.match.uppercased())
    }

    static func columnDifferences(_ old: ColumnSchema, _ new: ColumnSchema) -> [String] {
        var differences: [String] = []
        func type(_ column: ColumnSchema) -> String { SQLTokenizer.normalized(column.declaredType).uppercased() }
        func expression(_ text: String?) -> String? { text.map(SQLTokenizer.normalized) }
        func collation(_ column: ColumnSchema) -> String { column.collation ?? "binary" }
        if type(old) != type(new) { differences.append("type \(old.declaredType.isEmpty ? "(none)" : old.declaredType) → \(new.declaredType.isEmpty ? "(none)" : new.declaredType)") }
        if old.notNull != new.notNull { differences.append(new.notNull ? "NOT NULL added" : "NOT NULL removed") }
        if expression(old.defaultValue) != expression(new.defaultValue) {
            differences.append("default \(old.defaultValue ?? "(none)") → \(new.defaultValue ?? "(none)")")
        }
        if (old.primaryKeyPosition > 0) != (new.primaryKeyPosition > 0) {
            differences.append(new.primaryKeyPosition > 0 ? "now part of the primary key" : "no longer part of the primary key")
        }
        if collation(old) != collation(new) { differences.append("collation \(collation(old)) → \(collation(new))") }
        if old.generated != new.generated || old.generatedExpression != new.generatedExpression {
            differences.append("generated \(old.generatedExpression.map { "AS (\($0)) \(old.generated.rawValue)" } ?? "(no)") → \(new.generatedExpression.map { "AS (\($0)) \(new.generated.rawValue)" } ?? "(no)")")
        }
        return differences
    }
}

extension IndexSchema {
    /// Same table, uniqueness, keys (column or expression, direction, collation) and WHERE.
    public func isEquivalent(to other: IndexSchema) -> Bool {
        table.lowercased() == other.table.lowercased() && unique == other.unique
            && keys.map(\.comparable) == other.keys.map(\.comparable) && whereClause == other.whereClause
    }

    /// "UNIQUE on t (a DESC, lower(b)) WHERE x" — for diffs.
    public var summary: String {
        let list = keys.map { key in
            key.expression + (key.collation.map { $0 == "binary" ? "" : " COLLATE \($0)" } ?? "") + (key.descending ? " DESC" : "")
        }.joined(separator: ", ")
        return (unique ? "UNIQUE " : "") + "on \(table) (\(list))" + (whereClause.map { " WHERE \($0)" } ?? "")
    }
}

extension IndexSchema.Key {
    var comparable: String {
        (isExpression ? expression : expression.lowercased()) + "|" + (descending ? "desc" : "asc") + "|" + (collation ?? "binary")
    }
}
