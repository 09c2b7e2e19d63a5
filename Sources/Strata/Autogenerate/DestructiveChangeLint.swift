/// An operation in a generated migration that can lose data, or fail on the data there is.
public struct LintWarning: Sendable, Equatable, CustomStringConvertible {
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public static let dropTable = Kind(name: "drop-table")
        public static let dropColumn = Kind(name: "drop-column")
        public static let typeNarrowing = Kind(name: "type-narrowing")
        public static let notNullAdded = Kind(name: "not-null-added")
        public static let constraintDropped = Kind(name: "constraint-dropped")
        public var description: String { name }
    }

    public var kind: Kind
    public var table: String
    public var column: String?
    public var message: String

    public var description: String { message }
}

/// Finds what a plan can lose. With the database at hand it counts the rows at stake, so the
/// warning says "drops 1,204 rows" rather than "may drop rows".
struct DestructiveChangeLint {
    let data: Connection?
    private(set) var warnings: [LintWarning] = []

    init(data: Connection?) { self.data = data }

    mutating func dropTable(_ table: TableSchema) {
        add(.dropTable, table.name, nil, "Drops table \(quoteIdentifier(table.name))\(rows(table.name, where: nil, "rows")).")
    }

    mutating func alter(_ change: TableChange, dropping columns: [ColumnSchema]) {
        for column in columns { dropColumn(change.to.name, column) }
    }

    mutating func rebuild(_ change: TableChange) {
        let table = change.to.name
        for column in change.droppedColumns { dropColumn(table, column) }
        for column in change.changedColumns {
            let (old, new) = (column.from, column.to)
            if Self.narrows(old.affinity, to: new.affinity) {
                add(.typeNarrowing, table, new.name,
                    "Converts \(quoteIdentifier(table)).\(quoteIdentifier(new.name)) from \(old.affinity.rawValue) to \(new.affinity.rawValue) affinity with CAST: values that are not \(new.affinity == .integer ? "integers" : "numbers") are changed (text becomes 0, reals are truncated)\(rows(table, where: "\(quoteIdentifier(old.name)) IS NOT NULL", "non-NULL values")).")
            }
            if new.notNull, !old.notNull {
                let outcome = new.defaultValue.map { "NULLs become the default \($0)" } ?? "the copy fails (and the migration rolls back) if any row holds NULL"
                add(.notNullAdded, table, new.name,
                    "Adds NOT NULL to \(quoteIdentifier(table)).\(quoteIdentifier(new.name)): \(outcome)\(rows(table, where: "\(quoteIdentifier(old.name)) IS NULL", "rows hold NULL now", always: true)).")
            }
        }
        for column in change.addedColumns where column.notNull && column.defaultValue == nil && column.generated == .none {
            add(.notNullAdded, table, column.name,
                "Adds NOT NULL column \(quoteIdentifier(table)).\(quoteIdentifier(column.name)) without a default: the copy fails if the table has rows\(rows(table, where: nil, "rows now", always: true)).")
        }
        // A constraint that goes with a dropped column was already said with the column.
        let dropped = Set(change.droppedColumns.map { $0.name.lowercased() })
        let kept = Set(change.to.foreignKeys.map(TableChange.normalized))
        for key in change.from.foreignKeys where !kept.contains(TableChange.normalized(key)) && !Set(key.columns.map { $0.lowercased() }).isSubset(of: dropped) {
            add(.constraintDropped, table, nil, "The rebuild of \(quoteIdentifier(table)) drops the foreign key (\(key.columns.joined(separator: ", "))) → \(key.parentTable).")
        }
        for unique in change.from.uniqueConstraints where !change.to.uniqueConstraints.contains(unique) && !Set(unique).isSubset(of: dropped) {
            add(.constraintDropped, table, nil, "The rebuild of \(quoteIdentifier(table)) drops UNIQUE (\(unique.joined(separator: ", "))).")
        }
        for check in change.from.checks where !change.to.checks.contains(check) {
            add(.constraintDropped, table, nil, "The rebuild of \(quoteIdentifier(table)) drops CHECK (\(check)).")
        }
        if change.from.primaryKey.map({ $0.lowercased() }) != change.to.primaryKey.map({ $0.lowercased() }) {
            add(.constraintDropped, table, nil, "The rebuild of \(quoteIdentifier(table)) changes the primary key from (\(change.from.primaryKey.joined(separator: ", "))) to (\(change.to.primaryKey.joined(separator: ", "))).")
        }
    }

    private mutating func dropColumn(_ table: String, _ column: ColumnSchema) {
        add(.dropColumn, table, column.name,
            "Drops column \(quoteIdentifier(table)).\(quoteIdentifier(column.name))\(rows(table, where: "\(quoteIdentifier(column.name)) IS NOT NULL", "rows have a value")).")
    }

    /// Affinity changes where CAST changes values: to INTEGER from anything but INTEGER; to
    /// REAL or NUMERIC from TEXT or BLOB.
    static func narrows(_ from: TypeAffinity, to: TypeAffinity) -> Bool {
        guard from != to else { return false }
        switch to {
        case .integer: return true
        case .real, .numeric: return from == .text || from == .blob
        case .text, .blob: return false
        }
    }

    private mutating func add(_ kind: LintWarning.Kind, _ table: String, _ column: String?, _ message: String) {
        warnings.append(LintWarning(kind: kind, table: table, column: column, message: message))
    }

    /// " (12 rows)" counted in the live database; "" without one (or for 0, unless `always`).
    private func rows(_ table: String, where condition: String?, _ noun: String, always: Bool = false) -> String {
        guard let data else { return "" }
        let filter = condition.map { " WHERE \($0)" } ?? ""
        guard let count = try? data.scalar("SELECT count(*) FROM \(quoteIdentifier(table))\(filter)")?.integer else { return "" }
        if count == 0, !always { return "" }
        return " (\(count) \(noun))"
    }
}
