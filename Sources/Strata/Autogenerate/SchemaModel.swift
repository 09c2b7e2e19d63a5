/// A database schema as values: what autogenerate compares and what `check --schema` reports.
///
/// Everything is read through SQLite itself (pragmas, and the CREATE text SQLite stored) so
/// "the same schema" means the same to Strata as to SQLite, not the same spelling. Names
/// compare case-insensitively, as SQLite's do.
public struct DatabaseSchema: Sendable, Equatable {
    /// Tables, indexes, views and triggers in `sqlite_master` order (creation order), which is
    /// also an order in which they can be re-created.
    public var tables: [TableSchema]
    /// Explicit indexes (`CREATE INDEX`); the automatic ones behind UNIQUE and PRIMARY KEY
    /// constraints belong to their table.
    public var indexes: [IndexSchema]
    public var views: [ViewSchema]
    public var triggers: [TriggerSchema]

    public init(tables: [TableSchema] = [], indexes: [IndexSchema] = [], views: [ViewSchema] = [], triggers: [TriggerSchema] = []) {
        self.tables = tables
        self.indexes = indexes
        self.views = views
        self.triggers = triggers
    }

    public func table(_ name: String) -> TableSchema? { tables.first { $0.name.lowercased() == name.lowercased() } }
    public func index(_ name: String) -> IndexSchema? { indexes.first { $0.name.lowercased() == name.lowercased() } }
    public func view(_ name: String) -> ViewSchema? { views.first { $0.name.lowercased() == name.lowercased() } }
    public func trigger(_ name: String) -> TriggerSchema? { triggers.first { $0.name.lowercased() == name.lowercased() } }
}

public struct TableSchema: Sendable, Equatable {
    public var name: String
    /// The CREATE TABLE statement as SQLite stores it.
    public var sql: String
    public var columns: [ColumnSchema]
    public var foreignKeys: [ForeignKeySchema]
    /// CHECK constraints (column and table ones), normalized expression text, sorted.
    public var checks: [String]
    /// UNIQUE constraints (not indexes), each a list of lowercased column names.
    public var uniqueConstraints: [[String]]
    public var withoutRowID: Bool
    public var strict: Bool
    public var autoincrement: Bool

    public func column(_ name: String) -> ColumnSchema? { columns.first { $0.name.lowercased() == name.lowercased() } }

    /// Primary key columns in key order.
    public var primaryKey: [String] {
        columns.filter { $0.primaryKeyPosition > 0 }.sorted { $0.primaryKeyPosition < $1.primaryKeyPosition }.map(\.name)
    }
}

public struct ColumnSchema: Sendable, Equatable {
    public enum Generated: String, Sendable, Equatable {
        case none, virtual, stored
    }

    public var name: String
    /// The declared type as written (`VARCHAR(100)`), or "" for none.
    public var declaredType: String
    public var notNull: Bool
    /// The DEFAULT expression's text, or `nil`.
    public var defaultValue: String?
    /// 1-based position in the primary key, 0 when not part of it.
    public var primaryKeyPosition: Int
    /// `COLLATE` name from the column definition, lowercased; `nil` for the default (BINARY).
    public var collation: String?
    public var generated: Generated
    /// The generated column's expression, normalized; `nil` for ordinary columns.
    public var generatedExpression: String?
    /// The column definition as written in the CREATE TABLE (for ALTER TABLE ADD COLUMN).
    public var definition: String

    /// SQLite's type affinity of the declared type (https://sqlite.org/datatype3.html §3.1).
    public var affinity: TypeAffinity { TypeAffinity(declaredType: declaredType) }
}

public struct ForeignKeySchema: Sendable, Hashable {
    public var columns: [String]
    public var parentTable: String
    /// Parent columns; empty when the REFERENCES clause names none (the parent's primary key).
    public var parentColumns: [String]
    public var onUpdate: String
    public var onDelete: String
    public var match: String
}

public struct IndexSchema: Sendable, Equatable {
    public struct Key: Sendable, Equatable {
        /// The column name, or the normalized expression text for an expression key.
        public var expression: String
        public var isExpression: Bool
        public var descending: Bool
        /// Lowercased collation; `nil` for the column's default.
        public var collation: String?
    }

    public var name: String
    public var table: String
    public var unique: Bool
    public var keys: [Key]
    /// The partial index's WHERE expression, normalized; `nil` for a full index.
    public var whereClause: String?
    public var sql: String
}

public struct ViewSchema: Sendable, Equatable {
    public var name: String
    public var sql: String
}

public struct TriggerSchema: Sendable, Equatable {
    public var name: String
    public var table: String
    public var sql: String
}

/// SQLite's five column affinities, by the rules of https://sqlite.org/datatype3.html §3.1.
public enum TypeAffinity: String, Sendable, Equatable {
    case integer = "INTEGER", text = "TEXT", blob = "BLOB", real = "REAL", numeric = "NUMERIC"

    public init(declaredType: String) {
        let type = declaredType.uppercased()
        if type.contains("INT") { self = .integer }
        else if type.contains("CHAR") || type.contains("CLOB") || type.contains("TEXT") { self = .text }
        else if type.contains("BLOB") || type.isEmpty { self = .blob }
        else if type.contains("REAL") || type.contains("FLOA") || type.contains("DOUB") { self = .real }
        else { self = .numeric }
    }
}
