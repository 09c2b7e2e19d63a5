/// Reads back from a CREATE TABLE statement what `pragma table_xinfo` does not report: column
/// collations, CHECK constraints, generated-column expressions, each column's definition text,
/// and where the table's name is (so a rebuild can create the new table under another name from
/// the very same text).
struct CreateTableParser {
    struct Column {
        var name: String
        var definition: String
        var collation: String?
        var checks: [String]
        var generatedExpression: String?
    }

    let sql: String
    let tokens: [SQLToken]
    /// The token holding the table's name.
    private(set) var nameToken = 0
    private(set) var columns: [Column] = []
    private(set) var tableChecks: [String] = []
    private(set) var withoutRowID = false
    private(set) var strict = false
    private(set) var autoincrement = false

    init(_ sql: String) {
        self.sql = sql
        tokens = SQLTokenizer.tokens(sql)
        parse()
    }

    /// The same statement with the table's name replaced by `newName` (quoted).
    func renamed(to newName: String) -> String {
        let bytes = Array(sql.utf8)
        var start = tokens[nameToken].start
        // `main."x"` : the schema prefix goes too, as the new name is in the same schema.
        if nameToken >= 2, tokens[nameToken - 1].isSymbol(".") { start = tokens[nameToken - 2].start }
        return String(decoding: bytes[..<start], as: UTF8.self) + quoteIdentifier(newName)
            + String(decoding: bytes[tokens[nameToken].end...], as: UTF8.self)
    }

    private mutating func parse() {
        guard let open = tokens.firstIndex(where: { $0.isSymbol("(") }),
              let close = SQLTokenizer.closingParenthesis(tokens, from: open) else { return }
        nameToken = open - 1
        autoincrement = tokens[open..<close].contains { $0.isKeyword("AUTOINCREMENT") }
        for option in tokens[(close + 1)...] {
            if option.isKeyword("ROWID") { withoutRowID = true }
            if option.isKeyword("STRICT") { strict = true }
        }
        for item in SQLTokenizer.splitAtCommas(tokens, (open + 1)..<close) where !item.isEmpty {
            let first = tokens[item.lowerBound]
            if ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"].contains(where: first.isKeyword) {
                tableChecks += checks(in: item)
            } else {
                columns.append(column(item))
            }
        }
    }

    private func column(_ item: Range<Int>) -> Column {
        var column = Column(name: tokens[item.lowerBound].identifier ?? tokens[item.lowerBound].text,
                            definition: SQLTokenizer.text(sql, tokens, item), checks: checks(in: item))
        var index = item.lowerBound + 1
        while index < item.upperBound {
            let token = tokens[index]
            if token.isSymbol("("), let close = SQLTokenizer.closingParenthesis(tokens, from: index) {
                // `AS (expr)` is a generated column (GENERATED ALWAYS is optional).
                if index > item.lowerBound, tokens[index - 1].isKeyword("AS") {
                    column.generatedExpression = SQLTokenizer.normalized(tokens[(index + 1)..<close])
                }
                index = close + 1
                continue
            }
            if token.isKeyword("COLLATE"), index + 1 < item.upperBound {
                column.collation = tokens[index + 1].identifier?.lowercased()
            }
            index += 1
        }
        return column
    }

    /// The normalized expressions of the `CHECK (…)` clauses at the top level of `item`.
    private func checks(in item: Range<Int>) -> [String] {
        var found: [String] = []
        var index = item.lowerBound
        while index < item.upperBound {
            if tokens[index].isSymbol("("), let close = SQLTokenizer.closingParenthesis(tokens, from: index) {
                if index > item.lowerBound, tokens[index - 1].isKeyword("CHECK") {
                    found.append(SQLTokenizer.normalized(tokens[(index + 1)..<close]))
                }
                index = close + 1
                continue
            }
            index += 1
        }
        return found
    }
}

/// Reads back from a CREATE INDEX statement the key expressions and the partial-index WHERE
/// clause, which `pragma index_xinfo` reports only as "an expression" and not at all.
struct CreateIndexParser {
    /// Normalized text of each key, in order, without its ASC/DESC and COLLATE.
    private(set) var keys: [String] = []
    private(set) var whereClause: String?

    init(_ sql: String) {
        let tokens = SQLTokenizer.tokens(sql)
        guard let on = tokens.firstIndex(where: { $0.isKeyword("ON") }),
              let open = tokens[on...].firstIndex(where: { $0.isSymbol("(") }),
              let close = SQLTokenizer.closingParenthesis(tokens, from: open) else { return }
        for part in SQLTokenizer.splitAtCommas(tokens, (open + 1)..<close) {
            var end = part.upperBound
            // Strip trailing ASC/DESC and COLLATE name: those are read from index_xinfo.
            if end > part.lowerBound, tokens[end - 1].isKeyword("ASC") || tokens[end - 1].isKeyword("DESC") { end -= 1 }
            if end - 2 >= part.lowerBound, tokens[end - 2].isKeyword("COLLATE") { end -= 2 }
            keys.append(SQLTokenizer.normalized(tokens[part.lowerBound..<end]))
        }
        if close + 1 < tokens.count, tokens[close + 1].isKeyword("WHERE") {
            var end = tokens.count
            if end > close + 2, tokens[end - 1].isSymbol(";") { end -= 1 }
            whereClause = SQLTokenizer.normalized(tokens[(close + 2)..<end])
        }
    }
}
