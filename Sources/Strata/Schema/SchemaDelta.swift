/// A snapshot's schema stored as the changes from an earlier snapshot's
/// (Docs/formats.md, "Snapshot schema v2"): consecutive snapshots of a run of migrations share
/// all but a row or two of `sqlite_master`, and storing every schema whole made the file grow
/// with the square of the number of migrations (and cost ~10 ms of a 240 ms run of 200
/// migrations, in overflow pages written).
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

    /// A whole schema as JSON text, with where each entry lies in it: resolving a delta copies
    /// runs of its base's entries as they are stored, so nothing large is parsed (a full
    /// parse of a 64 KB schema took 160 ms).
    struct Whole {
        var bytes: [UInt8]
        var entries: [Range<Int>]
    }

    /// `stored` as a whole schema: itself when it is whole, else its delta applied to its
    /// base's whole schema, which `base` returns (by snapshot id; bases are older snapshots).
    /// `file` is the database, for errors.
    static func whole(_ stored: String, snapshot id: Int64, in file: String, base: (Int64) throws -> Whole) throws -> Whole {
        let bytes = Array(stored.utf8)
        guard isDelta(stored) else { return Whole(bytes: bytes, entries: try elements(of: bytes, snapshot: id, in: file)) }
        // A delta is small: a run of unchanged entries is two numbers.
        guard let value = try? JSONValue.parse(stored), let baseID = value["base"]?.int, baseID < id,
              let delta = value["entries"]?.array else {
            throw damaged(id, file, "is neither a JSON array nor a delta from an earlier snapshot")
        }
        let malformed = damaged(id, file, "is a delta with a malformed entry")
        let baseSchema = try base(baseID)
        var whole = Whole(bytes: [UInt8(ascii: "[")], entries: [])
        whole.bytes.reserveCapacity(baseSchema.bytes.count + bytes.count)
        whole.entries.reserveCapacity(baseSchema.entries.count + 4)
        for item in delta {
            guard let fields = item.array else { throw malformed }
            if fields.count == 2, let start = fields[0].int, let count = fields[1].int {
                guard start >= 0, count > 0, start + count <= Int64(baseSchema.entries.count) else { throw malformed }
                let run = baseSchema.entries[Int(start)..<Int(start + count)]
                if !whole.entries.isEmpty { whole.bytes.append(UInt8(ascii: ",")) }
                let shift = whole.bytes.count - run.first!.lowerBound
                whole.bytes += baseSchema.bytes[run.first!.lowerBound..<run.last!.upperBound]
                whole.entries += run.map { ($0.lowerBound + shift)..<($0.upperBound + shift) }
            } else if fields.count == 4 {
                if !whole.entries.isEmpty { whole.bytes.append(UInt8(ascii: ",")) }
                let start = whole.bytes.count
                whole.bytes += item.text.utf8
                whole.entries.append(start..<whole.bytes.count)
            } else {
                throw malformed
            }
        }
        whole.bytes.append(UInt8(ascii: "]"))
        return whole
    }

    /// Where each element of a JSON array lies in `bytes`: one pass that follows strings (and
    /// their escapes) and nesting, without building values.
    static func elements(of bytes: [UInt8], snapshot id: Int64, in file: String) throws -> [Range<Int>] {
        let notAnArray = damaged(id, file, "is not a JSON array")
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }
        var index = 0
        while index < bytes.count, isSpace(bytes[index]) { index += 1 }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "[") else { throw notAnArray }
        index += 1
        var elements: [Range<Int>] = []
        var start: Int?
        var depth = 0
        var inString = false
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if byte == UInt8(ascii: "\\") { index += 1 } else if byte == UInt8(ascii: "\"") { inString = false }
            } else if depth == 0 && (byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]")) {
                if let first = start {
                    var end = index
                    while end > first, isSpace(bytes[end - 1]) { end -= 1 }
                    elements.append(first..<end)
                } else if byte == UInt8(ascii: ",") || !elements.isEmpty {
                    throw notAnArray  // an empty element
                }
                start = nil
                if byte == UInt8(ascii: "]") {
                    guard bytes[(index + 1)...].allSatisfy(isSpace) else { throw notAnArray }
                    return elements
                }
            } else if !isSpace(byte) {
                if start == nil { start = index }
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
                case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
                default: break
                }
            }
            index += 1
        }
        throw notAnArray
    }

    private static func damaged(_ id: Int64, _ file: String, _ what: String) -> StrataError {
        StrataError(.integrity, "Snapshot \(id)'s schema in '\(file)' \(what); nothing was changed.")
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
