/// Reads a `DatabaseSchema` from a connection through SQLite's own pragmas
/// (`table_xinfo`, `foreign_key_list`, `index_list`, `index_xinfo`), and from the stored CREATE
/// text only what no pragma reports. Strata's `strata_*` tables and SQLite's `sqlite_*` ones
/// are never part of it.
public enum SchemaIntrospector {
    public static func read(_ connection: Connection) throws -> DatabaseSchema {
        var schema = DatabaseSchema()
        // Automatic indexes (no CREATE text) are part of their table: its UNIQUE constraints.
        for entry in try SchemaCapture(connection: connection).entries {
            guard let sql = entry.sql else { continue }
            switch entry.type {
            case "table":
                // Virtual tables have no columns of their own to compare; their CREATE text is.
                schema.tables.append(try table(entry.name, sql: sql, connection))
            case "index":
                schema.indexes.append(try index(entry.name, table: entry.table, sql: sql, connection))
            case "view":
                schema.views.append(ViewSchema(name: entry.name, sql: sql))
            case "trigger":
                schema.triggers.append(TriggerSchema(name: entry.name, table: entry.table, sql: sql))
            default:
                break
            }
        }
        return schema
    }

    static func table(_ name: String, sql: String, _ connection: Connection) throws -> TableSchema {
        let parsed = CreateTableParser(sql)
        let quoted = quoteLiteral(name)
        let columns = try connection.query("SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(\(quoted))") { row in
            let columnName = row.string(0)
            let text = parsed.columns.first { $0.name.lowercased() == columnName.lowercased() }
            let hidden = row.int(5)
            return ColumnSchema(
                name: columnName, declaredType: row.string(1), notNull: row.int(2) != 0,
                defaultValue: row.optionalString(3), primaryKeyPosition: row.int(4),
                collation: text?.collation,
                generated: hidden == 2 ? .virtual : hidden == 3 ? .stored : .none,
                generatedExpression: hidden >= 2 ? text?.generatedExpression : nil,
                definition: text?.definition ?? quoteIdentifier(columnName))
        }
        return TableSchema(
            name: name, sql: sql, columns: columns,
            foreignKeys: try foreignKeys(quoted, connection),
            checks: (parsed.tableChecks + parsed.columns.flatMap(\.checks)).sorted(),
            uniqueConstraints: try uniqueConstraints(quoted, connection),
            withoutRowID: parsed.withoutRowID, strict: parsed.strict, autoincrement: parsed.autoincrement)
    }

    static func foreignKeys(_ quotedTable: String, _ connection: Connection) throws -> [ForeignKeySchema] {
        struct Part { var id: Int; var parent, from: String; var to: String?; var onUpdate, onDelete, match: String }
        let parts = try connection.query("""
            SELECT id, "table", "from", "to", on_update, on_delete, "match" FROM pragma_foreign_key_list(\(quotedTable)) ORDER BY id, seq
            """) { Part(id: $0.int(0), parent: $0.string(1), from: $0.string(2), to: $0.optionalString(3),
                        onUpdate: $0.string(4), onDelete: $0.string(5), match: $0.string(6)) }
        var keys: [ForeignKeySchema] = []
        for id in Set(parts.map(\.id)).sorted() {
            let columns = parts.filter { $0.id == id }
            let first = columns[0]
            keys.append(ForeignKeySchema(
                columns: columns.map(\.from), parentTable: first.parent,
                parentColumns: columns.compactMap(\.to), onUpdate: first.onUpdate, onDelete: first.onDelete, match: first.match))
        }
        // SQLite numbers foreign keys in reverse order of declaration; compare them as a set.
        return keys.sorted { ($0.columns.joined(separator: ",").lowercased(), $0.parentTable.lowercased()) < ($1.columns.joined(separator: ",").lowercased(), $1.parentTable.lowercased()) }
    }

    static func uniqueConstraints(_ quotedTable: String, _ connection: Connection) throws -> [[String]] {
        let names = try connection.query("SELECT name FROM pragma_index_list(\(quotedTable)) WHERE origin = 'u'") { $0.string(0) }
        return try names.map { index in
            try connection.query("SELECT name FROM pragma_index_info(\(quoteLiteral(index))) ORDER BY seqno") { $0.string(0).lowercased() }
        }.sorted { $0.joined(separator: ",") < $1.joined(separator: ",") }
    }

    static func index(_ name: String, table: String, sql: String, _ connection: Connection) throws -> IndexSchema {
        let parsed = CreateIndexParser(sql)
        let quoted = quoteLiteral(name)
        var keys: [IndexSchema.Key] = []
        try connection.query("SELECT cid, name, \"desc\", coll FROM pragma_index_xinfo(\(quoted)) WHERE key = 1 ORDER BY seqno") { row in
            (row.int(0), row.optionalString(1), row.int(2) != 0, row.optionalString(3))
        }.enumerated().forEach { offset, key in
            let isExpression = key.0 == -2
            let expression = isExpression ? (offset < parsed.keys.count ? parsed.keys[offset] : "?") : (key.1 ?? "rowid")
            keys.append(IndexSchema.Key(expression: expression, isExpression: isExpression, descending: key.2, collation: key.3?.lowercased()))
        }
        let unique = try connection.scalar("SELECT \"unique\" FROM pragma_index_list(\(quoteLiteral(table))) WHERE name = ?", [.text(name)])?.integer == 1
        return IndexSchema(name: name, table: table, unique: unique, keys: keys, whereClause: parsed.whereClause, sql: sql)
    }
}

extension DatabaseSchema {
    /// The schema of a live database.
    public init(connection: Connection) throws {
        self = try SchemaIntrospector.read(connection)
    }

    /// The schema a file of CREATE statements describes, as SQLite understands it: the
    /// statements are run in a fresh in-memory database and read back.
    public static func load(sql: String, origin: String) throws -> DatabaseSchema {
        let connection = try Connection(path: ":memory:")
        do {
            try connection.execute(sql)
        } catch {
            throw StrataError(.invalidScript, "The schema in \(origin) does not load into SQLite: \(SQLiteStore.reason(error)).", cause: error)
        }
        return try DatabaseSchema(connection: connection)
    }

    /// The schema the scripts produce: every revision's upgrade replayed, in plan order, in a
    /// fresh in-memory database (Swift revisions run too, on that database).
    public static func replaying(_ migrations: MigrationSet, target: String = "heads") throws -> DatabaseSchema {
        let connection = try Connection(path: ":memory:")
        for step in try migrations.graph.upgradePlan(current: [], target: target) {
            let script = migrations.plannedScript(step.revision)
            do {
                switch script.upgrade {
                case .sql(let sql): try connection.execute(sql)
                case .swift(let code): try code(connection)
                }
            } catch {
                throw StrataError(.migrationFailed, "Replaying revision \(script.id) (\(script.node.origin)) in memory failed: \(SQLiteStore.reason(error)).", cause: error)
            }
        }
        return try DatabaseSchema(connection: connection)
    }
}
