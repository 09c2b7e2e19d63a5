/// How a changed table gets from its current shape to the desired one: with ALTER TABLE
/// where SQLite allows it (https://sqlite.org/lang_altertable.html), otherwise a rebuild.
enum TableStrategy: Equatable {
    /// `ADD COLUMN` for each added column (in order), then `DROP COLUMN` for each dropped one.
    case alter(add: [ColumnSchema], drop: [ColumnSchema])
    /// The 12-step rebuild; `reasons` say why ALTER TABLE could not do it.
    case rebuild(reasons: [String])

    init(_ change: TableChange) {
        var reasons: [String] = []
        if !change.changedColumns.isEmpty {
            reasons += change.changedColumns.map { "column \(quoteIdentifier($0.to.name)) \($0.differences.joined(separator: ", "))" }
        }
        if change.columnOrderChanged { reasons.append("the column order changes (ADD COLUMN can only append)") }
        reasons += Self.constraintChangesAlterCannotMake(change)
        for column in change.addedColumns {
            if let refusal = Self.addColumnRefusal(column, in: change.to) { reasons.append("column \(quoteIdentifier(column.name)) \(refusal)") }
        }
        for column in change.droppedColumns {
            if let refusal = Self.dropColumnRefusal(column, in: change.from) { reasons.append("column \(quoteIdentifier(column.name)) \(refusal)") }
        }
        self = reasons.isEmpty ? .alter(add: change.addedColumns, drop: change.droppedColumns) : .rebuild(reasons: reasons)
    }

    /// Constraint changes, less the foreign keys that come with added columns (ADD COLUMN can
    /// carry a REFERENCES clause) and go with dropped ones.
    static func constraintChangesAlterCannotMake(_ change: TableChange) -> [String] {
        let added = Set(change.addedColumns.map { $0.name.lowercased() })
        let dropped = Set(change.droppedColumns.map { $0.name.lowercased() })
        func onlyOn(_ key: ForeignKeySchema, _ columns: Set<String>) -> Bool {
            key.columns.count == 1 && columns.contains(key.columns[0].lowercased())
        }
        let oldKeys = change.from.foreignKeys.filter { !onlyOn($0, dropped) }.map(TableChange.normalized)
        let newKeys = change.to.foreignKeys.filter { !onlyOn($0, added) }.map(TableChange.normalized)
        var remaining = change.constraintChanges.filter { !$0.hasPrefix("foreign key") }
        if Set(oldKeys) != Set(newKeys) {
            remaining += change.constraintChanges.filter { $0.hasPrefix("foreign key") }
        }
        return remaining
    }

    /// Why `ALTER TABLE ADD COLUMN` cannot add `column`, or `nil` when it can. SQLite's rules:
    /// no PRIMARY KEY or UNIQUE, no CURRENT_* or parenthesized default, NOT NULL needs a
    /// non-NULL default, a REFERENCES column needs a NULL default, no STORED generated column.
    static func addColumnRefusal(_ column: ColumnSchema, in table: TableSchema) -> String? {
        let tokens = SQLTokenizer.tokens(column.definition)
        let defaultText = column.defaultValue.map { SQLTokenizer.normalized($0) }
        let isNullDefault = defaultText == nil || defaultText == "null"
        if column.primaryKeyPosition > 0 { return "is part of the primary key" }
        if tokens.contains(where: { $0.isKeyword("UNIQUE") }) { return "is UNIQUE" }
        if let defaultText, defaultText.hasPrefix("(") || ["current_time", "current_date", "current_timestamp"].contains(defaultText) {
            return "has a default ADD COLUMN cannot use (\(column.defaultValue ?? ""))"
        }
        if column.notNull, isNullDefault, column.generated == .none { return "is NOT NULL without a default" }
        if tokens.contains(where: { $0.isKeyword("REFERENCES") }), !isNullDefault { return "references another table and has a non-NULL default" }
        if tokens.contains(where: { $0.isKeyword("CHECK") }) { return "has a CHECK constraint (ADD COLUMN would not test existing rows)" }
        if column.generated == .stored { return "is a STORED generated column" }
        return nil
    }

    /// Why `ALTER TABLE DROP COLUMN` cannot drop `column`, or `nil`. SQLite refuses a column
    /// in the primary key, a UNIQUE constraint, an index, a foreign key, a CHECK constraint or
    /// a generated column's expression (indexes on it are dropped first, as the desired schema
    /// cannot still have them).
    static func dropColumnRefusal(_ column: ColumnSchema, in table: TableSchema) -> String? {
        let name = column.name.lowercased()
        func mentions(_ text: String) -> Bool { SchemaDependencies.names(in: text).contains(name) }
        if column.primaryKeyPosition > 0 { return "is part of the primary key" }
        if table.uniqueConstraints.contains(where: { $0.contains(name) }) { return "is in a UNIQUE constraint" }
        if table.foreignKeys.contains(where: { $0.columns.contains { $0.lowercased() == name } }) { return "is in a foreign key" }
        if table.checks.contains(where: mentions) { return "is named in a CHECK constraint" }
        if table.columns.contains(where: { $0.generatedExpression.map(mentions) ?? false }) { return "is used by a generated column" }
        return nil
    }
}
