/// An `ALTER TABLE … RENAME` statement, read from its text: SQLite's authorizer reports an
/// ALTER TABLE, but not which kind or the new name.
///
/// A rename changes more than its table: SQLite rewrites the REFERENCES of every table whose
/// foreign keys name the renamed table (or column), and a renamed table appears under a name
/// that did not exist before. A migration's snapshot has to hold both, so a restore can put the
/// referencing tables' definitions back and drop the new name (`TableWrites`).
struct TableRename: Equatable {
    /// The table as named before the statement.
    var table: String
    /// The table's new name; `nil` for `RENAME COLUMN`.
    var newName: String?

    /// `ALTER TABLE [schema.]table RENAME TO new` or `... RENAME [COLUMN] a TO b`; `nil` for any
    /// other statement (ADD or DROP COLUMN) and for another schema than `main`.
    init?(_ sql: String) {
        var tokens = SQLTokenizer.tokens(sql)
        while tokens.last?.isSymbol(";") == true { tokens.removeLast() }
        guard tokens.count >= 6, tokens[0].isKeyword("ALTER"), tokens[1].isKeyword("TABLE") else { return nil }
        var index = 2
        if tokens.count > 4, tokens[3].isSymbol(".") {
            guard tokens[2].identifier?.lowercased() == "main" else { return nil }
            index = 4
        }
        guard let table = tokens[index].identifier, index + 1 < tokens.count, tokens[index + 1].isKeyword("RENAME") else { return nil }
        self.table = table
        let rest = tokens[(index + 2)...]
        if rest.count == 2, rest.first!.isKeyword("TO") {
            guard let newName = rest.last!.identifier else { return nil }
            self.newName = newName
        } else {
            newName = nil
        }
    }
}
