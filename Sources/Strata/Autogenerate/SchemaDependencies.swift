/// Which views and triggers depend on which tables, found by the names their SQL mentions.
///
/// A mention is any identifier token equal to the name (case-insensitive). That can only
/// over-count (a column that happens to share a table's name), and over-counting costs one more
/// view or trigger dropped and re-created around a rebuild, which is harmless; missing one
/// would make `ALTER TABLE … RENAME` fail ("error in view v: no such table: main.x").
enum SchemaDependencies {
    static func names(in sql: String) -> Set<String> {
        Set(SQLTokenizer.tokens(sql).compactMap { token in
            token.kind == .word || token.kind == .quotedIdentifier ? token.identifier?.lowercased() : nil
        })
    }

    /// The views of `schema` that depend on `names` (tables or views), directly or through
    /// other views, in schema order.
    static func views(of schema: DatabaseSchema, dependingOn names: Set<String>) -> [ViewSchema] {
        var affected = names
        var found: [String] = []
        var changed = true
        while changed {
            changed = false
            for view in schema.views where !found.contains(view.name.lowercased()) {
                if !self.names(in: view.sql).subtracting([view.name.lowercased()]).isDisjoint(with: affected) {
                    found.append(view.name.lowercased())
                    affected.insert(view.name.lowercased())
                    changed = true
                }
            }
        }
        return schema.views.filter { found.contains($0.name.lowercased()) }
    }

    /// The triggers of `schema` on, or mentioning, any of `names`.
    static func triggers(of schema: DatabaseSchema, dependingOn names: Set<String>) -> [TriggerSchema] {
        schema.triggers.filter { names.contains($0.table.lowercased()) || !self.names(in: $0.sql).isDisjoint(with: names) }
    }
}
