/// A snapshot's schema stored as the changes from an earlier snapshot's
/// (Docs/formats.md, "Snapshot schema v2"): consecutive snapshots of a run of migrations share
/// all but a row or two of `sqlite_master`, and storing every schema whole made the file grow
/// with the square of the number of migrations (and cost each migration ~10 ms of 240 in
/// writing several overflow pages).
///
/// Stored text: `{"base":ID,"entries":[...]}`, where each entry is either `[start, count]`
/// (entries `start..<start+count` of snapshot ID's schema, once resolved) or a literal
/// `[type, name, tbl_name, sql]`; a whole schema is the plain JSON array it always was. The
/// writer stores a whole schema again after `maximumChain` deltas in a row, so resolving one
/// reads at most that many rows.
enum SchemaDelta {
    /// Deltas in a row before the writer stores a whole schema again.
    static let maximumChain = 32

    /// Whether `stored` is a delta rather than a whole schema.
    static func isDelta(_ stored: String) -> Bool { stored.utf8.first == UInt8(ascii: "{") }

    /// The whole schema's entries: `stored` itself when it is whole, else resolved against its
    /// base, whose entries `base` returns (by snapshot id; bases are older snapshots).
    static func entries(of stored: String, snapshot id: Int64, base: (Int64) throws -> [JSONValue]) throws -> [JSONValue] {
        let value = try JSONValue.parse(stored)
        if let whole = value.array { return whole }
        guard let baseID = value["base"]?.int, baseID < id, let delta = value["entries"]?.array else {
            throw StrataError(.integrity, "Snapshot \(id)'s schema is neither a JSON array nor a delta from an earlier snapshot.")
        }
        let baseEntries = try base(baseID)
        var entries: [JSONValue] = []
        entries.reserveCapacity(baseEntries.count + 4)
        for item in delta {
            guard let fields = item.array else { throw malformed(id) }
            if fields.count == 2, let start = fields[0].int, let count = fields[1].int {
                guard start >= 0, count > 0, start + count <= Int64(baseEntries.count) else { throw malformed(id) }
                entries += baseEntries[Int(start)..<Int(start + count)]
            } else if fields.count == 4 {
                entries.append(item)
            } else {
                throw malformed(id)
            }
        }
        return entries
    }

    private static func malformed(_ id: Int64) -> StrataError {
        StrataError(.integrity, "Snapshot \(id)'s schema delta has a malformed entry.")
    }
}

/// Writes a delta while a capture walks `sqlite_master`: runs of rows unchanged since the base
/// become `[start, count]`, other rows their JSON.
struct SchemaDeltaWriter {
    private var output: [UInt8]
    private var run: (start: Int, count: Int)?
    private var isFirst = true

    init(base: Int64, capacity: Int) {
        output = []
        output.reserveCapacity(capacity)
        output += "{\"base\":\(base),\"entries\":[".utf8
    }

    /// The next row is entry `index` of the base's schema.
    mutating func unchanged(baseIndex index: Int) {
        if let run, run.start + run.count == index {
            self.run = (run.start, run.count + 1)
        } else {
            flushRun()
            run = (index, 1)
        }
    }

    /// The next row is new or changed: its JSON.
    mutating func literal(_ json: [UInt8]) {
        flushRun()
        separate()
        output += json
    }

    mutating func finish() -> [UInt8] {
        flushRun()
        output += "]}".utf8
        return output
    }

    private mutating func flushRun() {
        guard let run else { return }
        separate()
        output += "[\(run.start),\(run.count)]".utf8
        self.run = nil
    }

    private mutating func separate() {
        if !isFirst { output.append(UInt8(ascii: ",")) }
        isFirst = false
    }
}
