import Foundation
import Testing
@testable import Strata

/// The byte-level shortcuts of the migration path give the same results as the plain forms
/// they replaced.
@Suite struct ApplyPathTests {
    let directory = TemporaryDirectory("apply")

    @Test func theSchemaJSONTextIsTheCaptureEncodedByJSONValue() throws {
        let db = try Connection(path: directory.file("schema.db"))
        try db.execute("""
            CREATE TABLE "we""ird" (a TEXT DEFAULT 'tab\there', b, UNIQUE (a, b));
            CREATE INDEX "idx\\back" ON "we""ird" (b);
            CREATE VIEW v AS SELECT '\u{1F600} "quoted" é' AS x;
            CREATE TABLE strata_own (x);
            CREATE INDEX on_strata ON strata_own (x);
            CREATE TABLE STRATA_upper (x);
            CREATE TABLE stratax_kept (x);
            """)
        // Control characters straight from the bytes: a newline and \u{1} in a CHECK.
        try db.execute("CREATE TABLE ctl (x CHECK (x <> '\n\u{1}'))")
        let capture = try SchemaCapture(connection: db)
        // The byte filter keeps exactly the rows the former LIKE ... ESCAPE query kept.
        let byLike = try db.query("""
            SELECT type, name, tbl_name, sql FROM main.sqlite_master
            WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND tbl_name NOT LIKE 'strata\\_%' ESCAPE '\\'
            ORDER BY rowid
            """) { SchemaCapture.Entry(type: $0.string(0), name: $0.string(1), table: $0.string(2), sql: $0.optionalString(3)) }
        #expect(capture.entries == byLike)
        #expect(try SchemaCapture.storedText(connection: db).text == capture.json.text)
        #expect(try SchemaCapture(json: SchemaCapture.storedText(connection: db).text) == capture)
        #expect(!capture.entries.contains { $0.table.hasPrefix("strata_") })
        #expect(capture.entries.contains { $0.name == "sqlite_autoindex_we\"ird_1" } == false)
        #expect(capture.table("STRATA_upper") == nil, "LIKE ignores ASCII case")
        #expect(capture.table("stratax_kept") != nil)
    }

    @Test func stringsWithEscapesAnywhereRoundTrip() throws {
        // Specials at every offset of the eight-byte scan, and none at all.
        let specials = ["\"", "\\", "\n", "\u{1}", "\u{1F}", "é", "\u{1F600}", "/", " ", "\u{7F}"]
        for length in 0..<20 {
            for special in specials {
                for position in 0...length {
                    var text = String(repeating: "a", count: length)
                    text.insert(contentsOf: special, at: text.index(text.startIndex, offsetBy: position))
                    let encoded = JSONValue.string(text).text
                    #expect(try JSONValue.parse(encoded) == .string(text), "\(encoded)")
                    #expect(!encoded.utf8.dropFirst().dropLast().contains { $0 < 0x20 })
                }
            }
        }
    }

    @Test func anEmptySchemaIsAnEmptyArray() throws {
        let db = try Connection(path: directory.file("empty.db"))
        #expect(try SchemaCapture.storedText(connection: db).text == "[]")
    }

    @Test func theSchemaLookupAgreesWithSqliteMaster() throws {
        let db = try Connection(path: directory.file("lookup.db"))
        try db.execute("CREATE TABLE t (x); CREATE VIEW v AS SELECT 1; CREATE INDEX i ON t (x);")
        #expect(db.hasTable(named: "t") == true && db.hasTable(named: "T") == true)
        #expect(db.hasTable(named: "v") == false && db.hasTable(named: "i") == false && db.hasTable(named: "missing") == false)
        try db.transaction { try db.execute("CREATE TABLE inside (x)"); #expect(db.hasTable(named: "inside") == true) }
        #expect(try db.tableExists("inside"))
    }

    @Test func quotingDoublesTheMarkOnly() {
        #expect(quoteIdentifier("plain") == "\"plain\"")
        #expect(quoteIdentifier("a\"b\"\"") == "\"a\"\"b\"\"\"\"\"")
        #expect(quoteIdentifier("é'\u{1F600}") == "\"é'\u{1F600}\"")
        #expect(quoteLiteral("it's") == "'it''s'")
        #expect(quoteLiteral("") == "''")
    }

    @Test func reusedSchemaRowsGiveTheSameTextAsAFreshCapture() throws {
        let db = try Connection(path: directory.file("reuse.db"))
        try db.execute("CREATE TABLE a (x); CREATE TABLE b (y UNIQUE); CREATE INDEX a_x ON a (x); CREATE VIEW v AS SELECT 1")
        let changes = [
            "ALTER TABLE a ADD COLUMN z TEXT",            // a row rewritten in place (same rowid)
            "DROP INDEX a_x",                             // a row gone
            "CREATE TABLE c (q); CREATE INDEX a_x ON a (z)", // new rows, a name back at a new rowid
            "DROP VIEW v; CREATE VIEW v AS SELECT 2",     // same name, new text
            "ALTER TABLE b RENAME TO b2",                  // name, tbl_name and sql change
            "",                                           // nothing changed: every row reused
        ]
        for change in changes {
            if !change.isEmpty { try db.execute(change) }
            #expect(try SchemaCapture.storedText(connection: db).text == SchemaCapture(connection: db).json.text)
        }
        // Another connection on another file starts with nothing cached.
        let other = try Connection(path: directory.file("other.db"))
        #expect(try SchemaCapture.storedText(connection: other).text == "[]")
    }

    @Test(arguments: [0, 1, 300, 511, 512, 513, 40_000, 200_000])
    func scriptsCompressToStreamsZlibInflates(size: Int) throws {
        var generator = SystemRandomNumberGenerator()
        let words = ["CREATE", "TABLE", "INSERT", "(", ")", ";", "\n", "x", "é"]
        var text = ""
        while text.utf8.count < size { text += words.randomElement(using: &generator)! + " " }
        let bytes = Array(text.utf8.prefix(size))
        let stored = try ScriptArchive.compress(bytes)
        #expect(try Zlib.decompress(stored, size: bytes.count) == bytes)
    }

    @Test func aBatchAppendChainsLikeSingleAppends() throws {
        let db = try Connection(path: directory.file("log.db"))
        try db.execute(StrataSchema.create)
        let log = EventLog(connection: db)
        let events = (0..<3).map { NewEvent(.stamped, status: .idle, heads: ["r\($0)"], detail: ["n": .int(Int64($0))]) }
        try db.transaction {
            try log.append(events[0])
            let tail = try log.tail()
            try log.append(Array(events[1...]), after: tail)
        }
        var previous = EventHash.genesis
        var seqs: [Int64] = []
        try log.forEach { event in
            #expect(event.prevHash == previous)
            #expect(EventHash.hash(of: event) == event.hash)
            previous = event.hash
            seqs.append(event.seq)
        }
        #expect(seqs == [1, 2, 3])
        // A stale tail cannot fork the chain: the seq is taken.
        #expect(throws: (any Error).self) {
            try db.transaction { try log.append([events[0]], after: (seq: 1, hash: EventHash.genesis)) }
        }
    }
}
