/// The user's schema as SQLite stores it (`sqlite_master`), without Strata's own tables and
/// SQLite's internal ones: what "the schema equals" means for replay and drift checks.
public struct SchemaObjects: Sendable, Equatable {
    public struct Object: Sendable, Hashable, Comparable {
        public var type: String
        public var name: String
        public var table: String
        /// The CREATE statement, white space collapsed; `nil` for automatic indexes.
        public var sql: String?

        public static func < (a: Object, b: Object) -> Bool { (a.type, a.name) < (b.type, b.name) }
    }

    public var objects: [Object]

    public init(connection: Connection) throws {
        objects = try connection.query("""
            SELECT type, name, tbl_name, sql FROM sqlite_master
            WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND tbl_name NOT LIKE 'strata\\_%' ESCAPE '\\'
            ORDER BY type, name
            """) { row in
            Object(type: row.string(0), name: row.string(1), table: row.string(2),
                   sql: row.optionalString(3).map(Self.collapse))
        }
    }

    /// Lines describing how `other` differs from `self` ("only in A", "only in B", "differs").
    public func differences(from other: SchemaObjects, selfName: String, otherName: String) -> [String] {
        let mine = Dictionary(objects.map { ("\($0.type) \($0.name)", $0) }, uniquingKeysWith: { a, _ in a })
        let theirs = Dictionary(other.objects.map { ("\($0.type) \($0.name)", $0) }, uniquingKeysWith: { a, _ in a })
        var lines: [String] = []
        for key in Set(mine.keys).union(theirs.keys).sorted() {
            switch (mine[key], theirs[key]) {
            case (let a?, nil): lines.append("\(key) only in \(selfName): \(a.sql ?? "(automatic)")")
            case (nil, let b?): lines.append("\(key) only in \(otherName): \(b.sql ?? "(automatic)")")
            case (let a?, let b?) where a.sql != b.sql:
                lines.append("\(key) differs: \(selfName) has \(a.sql ?? "-"); \(otherName) has \(b.sql ?? "-")")
            default: break
            }
        }
        return lines
    }

    static func collapse(_ sql: String) -> String {
        sql.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
    }
}
