/// The user's full schema (`sqlite_master` rows other than SQLite's and Strata's own): the one
/// reading of it. Captured with every snapshot (what restore rebuilds tables, indexes, triggers
/// and views from), compared after a replay, and the starting point of autogenerate's
/// introspection.
public struct SchemaCapture: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var type: String
        public var name: String
        public var table: String
        /// `nil` for indexes SQLite creates itself (UNIQUE and PRIMARY KEY constraints).
        public var sql: String?
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    public init(connection: Connection) throws {
        var entries: [Entry] = []
        try Self.forEachUserRow(in: connection) { row in
            entries.append(Entry(type: row.string(0), name: row.string(1), table: row.string(2), sql: row.optionalString(3)))
        }
        self.entries = entries
    }

    /// The live schema as a snapshot stores it: `json.text`, written straight from SQLite's
    /// row buffers, or a delta from the connection's previous capture when that one was stored
    /// (`SchemaDelta`). A snapshot stores the schema for every migration, and going through an
    /// `Entry` and a `JSONValue` per object cost more than the rest of the snapshot. A row
    /// whose bytes are the same as at the previous capture reuses that capture's JSON for it
    /// (`SchemaJSONFragments`): a run of migrations changes a few rows between snapshots.
    /// Returns the text and how many deltas lead from it to a whole schema.
    static func storedText(connection: Connection) throws -> (text: String, chainLength: Int) {
        var fragments = SchemaJSONFragments()
        swap(&fragments, &connection.schemaFragments)
        let base = fragments.snapshotID.flatMap { fragments.chainLength < SchemaDelta.maximumChain ? $0 : nil }
        var whole: [UInt8] = [UInt8(ascii: "[")]
        var delta = base.map { SchemaDeltaWriter(base: $0, capacity: 1024) }
        if delta == nil { whole.reserveCapacity(max(16 * 1024, fragments.byteCount + 1024)) }
        var next = SchemaJSONFragments()
        next.reserveCapacity(fragments.fragments.count + 8)
        try forEachUserRow(in: connection) { row in
            let columns = (row.textBytes(0), row.textBytes(1), row.textBytes(2), row.textBytes(3))
            let rowid = row.int64(4)
            let fragment: SchemaJSONFragments.Fragment
            if let (known, index) = fragments.fragment(rowid: rowid, matching: columns) {
                fragment = known
                delta?.unchanged(baseIndex: index)
            } else {
                var json: [UInt8] = [UInt8(ascii: "[")]
                for (index, bytes) in [columns.0, columns.1, columns.2, columns.3].enumerated() {
                    if index > 0 { json.append(UInt8(ascii: ",")) }
                    if let bytes {
                        JSONValue.writeString(bytes, into: &json)
                    } else {
                        json += "null".utf8
                    }
                }
                json.append(UInt8(ascii: "]"))
                fragment = .init(rowid: rowid, columns: columns, json: json)
                delta?.literal(json)
            }
            if delta == nil {
                if whole.count > 1 { whole.append(UInt8(ascii: ",")) }
                whole += fragment.json
            }
            next.append(fragment)
        }
        connection.schemaFragments = next
        if var delta { return (String(decoding: delta.finish(), as: UTF8.self), fragments.chainLength + 1) }
        whole.append(UInt8(ascii: "]"))
        return (String(decoding: whole, as: UTF8.self), 0)
    }

    /// Calls `body` with each user row of `sqlite_master` (`type, name, tbl_name, sql, rowid`) in
    /// creation order. SQLite's own objects (`sqlite_*`) and Strata's (on `strata_*` tables)
    /// are skipped here, by their bytes: two LIKE ... ESCAPE filters in the query cost more
    /// than reading the table.
    private static func forEachUserRow(in connection: Connection, _ body: (Row) throws -> Void) throws {
        try connection.prepare("SELECT type, name, tbl_name, sql, rowid FROM main.sqlite_master ORDER BY rowid").forEachRow { row in
            guard let name = row.textBytes(1), let table = row.textBytes(2),
                  !hasPrefix(name, "sqlite_"), !hasPrefix(table, "strata_") else { return }
            try body(row)
        }
    }

    /// Whether `bytes` starts with `prefix`, ASCII case ignored (as LIKE compares).
    private static func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, _ prefix: StaticString) -> Bool {
        guard bytes.count >= prefix.utf8CodeUnitCount else { return false }
        let expected = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        for (byte, lower) in zip(bytes, expected) where byte | 0x20 != lower && byte != lower { return false }
        return true
    }

    public var tables: [Entry] { entries.filter { $0.type == "table" } }

    public func table(_ name: String) -> Entry? { entries.first { $0.type == "table" && $0.name == name } }

    /// As stored whole in `strata_snapshots.schema`: a JSON array of `[type, name, tbl_name, sql]`
    /// (`storedText(connection:)` writes the same text for the live schema, or a delta).
    public var json: JSONValue {
        .array(entries.map { [.string($0.type), .string($0.name), .string($0.table), JSONValue($0.sql)] })
    }

    public init(json text: String) throws {
        guard let rows = try JSONValue.parse(text).array else {
            throw StrataError(.integrity, "A snapshot's schema is not a JSON array.")
        }
        entries = try rows.map { row in
            guard let fields = row.array, fields.count == 4, let type = fields[0].string, let name = fields[1].string,
                  let table = fields[2].string else {
                throw StrataError(.integrity, "A snapshot's schema has a malformed entry.")
            }
            return Entry(type: type, name: name, table: table, sql: fields[3].string)
        }
    }

    /// Lines describing how `other` differs from `self` ("only in A", "only in B", "differs"),
    /// comparing CREATE statements with white space collapsed: what "the schema equals" means
    /// for replay checks.
    public func differences(from other: SchemaCapture, selfName: String, otherName: String) -> [String] {
        func byKey(_ capture: SchemaCapture) -> [String: String?] {
            Dictionary(capture.entries.map { ("\($0.type) \($0.name)", $0.sql.map(Self.collapse)) }, uniquingKeysWith: { a, _ in a })
        }
        let mine = byKey(self), theirs = byKey(other)
        var lines: [String] = []
        for key in Set(mine.keys).union(theirs.keys).sorted() {
            switch (mine[key], theirs[key]) {
            case (let a?, nil): lines.append("\(key) only in \(selfName): \(a ?? "(automatic)")")
            case (nil, let b?): lines.append("\(key) only in \(otherName): \(b ?? "(automatic)")")
            case (let a?, let b?) where a != b:
                lines.append("\(key) differs: \(selfName) has \(a ?? "-"); \(otherName) has \(b ?? "-")")
            default: break
            }
        }
        return lines
    }

    /// SQL on one line, runs of white space as one space, for comparisons and messages.
    static func collapse(_ sql: String) -> String {
        sql.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
    }

    /// Makes `connection`'s user schema exactly this one (objects only, no rows): every user
    /// object is dropped, then every captured one created in its original order.
    func recreate(in connection: Connection) throws {
        let current = try SchemaCapture(connection: connection)
        for entry in current.entries.reversed() where entry.sql != nil && entry.type != "index" {
            try connection.execute("DROP \(entry.type.uppercased()) IF EXISTS main.\(quoteIdentifier(entry.name))")
        }
        for entry in entries {
            if let sql = entry.sql { try connection.execute(sql) }
        }
    }
}
