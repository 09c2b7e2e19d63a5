import StrataCSQLite

/// Streams one table into `strata_snapshot_chunks`: rows are encoded (RowCodec v1) into a
/// chunk; each time it reaches `chunkSize` raw bytes it is compressed (a zlib stream, fast
/// level) on another core while the next is encoded, then inserted, so memory stays at about
/// four chunks whatever the table's size.
struct TableDumper {
    struct Summary: Sendable {
        var rows: Int64 = 0
        var rawBytes: Int64 = 0
        var storedBytes: Int64 = 0
        var chunks: Int64 = 0
    }

    static let defaultChunkSize = 1 << 20

    let connection: Connection
    var progress: SnapshotProgressHandler? = nil
    var chunkSize = TableDumper.defaultChunkSize
    /// libdeflate's level: 2 is its fastest that still stores less than zlib's level 1 did.
    var compressionLevel: Int32 = 2

    /// The columns a dump reads, in row order: the rowid first (under a name that is not a
    /// column) when the table has one that no INTEGER PRIMARY KEY column already carries;
    /// generated columns are left out, since they are computed, not stored.
    func columns(of table: String, definition: String) throws -> [String] {
        // The pragma itself, not its table-valued form: that one prepares this same pragma
        // inside a SELECT of its own, about twice the work for every table recorded.
        let info = try connection.query("PRAGMA main.table_xinfo(\(quoteIdentifier(table)))") {
            (name: $0.string(1), type: $0.string(2), pk: $0.int(5), hidden: $0.int(6))
        }
        let stored = info.filter { $0.hidden == 0 }.map(\.name)
        let withoutRowid = Self.isWithoutRowid(definition)
        let primaryKey = info.filter { $0.pk > 0 }
        // Compared as SQLite compares names and types (ASCII case only).
        let rowidAlias = primaryKey.count == 1 && sameIdentifier(primaryKey[0].type, "INTEGER")
        guard !withoutRowid, !rowidAlias else { return stored }
        let free = ["rowid", "_rowid_", "oid"].first { alias in !info.contains { sameIdentifier($0.name, alias) } }
        guard let rowid = free else { return stored }
        return [rowid] + stored
    }

    /// Whether a CREATE TABLE text declares WITHOUT ROWID: table options follow the closing
    /// parenthesis of the column list ("WITHOUT ROWID", "STRICT", comma-separated).
    static func isWithoutRowid(_ definition: String) -> Bool {
        guard let close = definition.lastIndex(of: ")") else { return false }
        let options = definition[definition.index(after: close)...].uppercased()
            .split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" || $0 == "," })
        return zip(options, options.dropFirst()).contains { $0 == "WITHOUT" && $1 == "ROWID" }
    }

    func dump(_ table: String, snapshotID: Int64, columns: [String]) throws -> Summary {
        let list = columns.map(quoteIdentifier).joined(separator: ", ")
        let select = try connection.prepare("SELECT \(list) FROM main.\(quoteIdentifier(table))")
        let insert = try connection.prepare("""
            INSERT INTO strata_snapshot_chunks (snapshot_id, name, chunk, rows, raw_size, encoding, crc32, data)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        var summary = Summary()
        // The largest rowid is a cheap estimate of the row count for a progress display.
        let expected = progress == nil ? nil : (try? connection.scalar("SELECT max(rowid) FROM main.\(quoteIdentifier(table))"))??.integer
        func report(finished: Bool) {
            progress?(SnapshotProgress(operation: "snapshot", table: table, rows: summary.rows, expectedRows: expected,
                                       bytes: summary.rawBytes, finished: finished))
        }

        /// Stores a compressed chunk (they arrive in order) and keeps its raw buffer for reuse.
        var spare: [ChunkBytes] = []
        func store(_ chunk: ChunkCompression.Output) throws {
            let raw = chunk.raw.bytes
            let stored = chunk.compressed ?? Array(raw)
            try insert.run([
                .integer(snapshotID), .text(table), .integer(summary.chunks), .integer(chunk.rows),
                .integer(Int64(raw.count)), .integer(chunk.encoding), .integer(Int64(chunk.crc32)), .blob(stored),
            ])
            summary.chunks += 1
            summary.rawBytes += Int64(raw.count)
            summary.storedBytes += Int64(stored.count)
            // A buffer grown for one huge value is let go rather than kept for the whole table.
            if chunk.raw.capacity <= 2 * chunkSize { spare.append(chunk.raw) }
            report(finished: false)
        }
        // Chunks alternate between two lanes, each compressing on its own thread while the
        // next chunk is encoded here: with two in flight and one being filled, both cores stay
        // busy whichever stage is slower, in about four chunks of memory.
        let lanes = [try ChunkCompression.Lane(level: compressionLevel), try ChunkCompression.Lane(level: compressionLevel)]
        var inFlight: [ChunkCompression] = []
        func freshChunk() -> ChunkBytes { spare.popLast() ?? ChunkBytes(capacity: chunkSize + chunkSize / 8) }
        var out = ChunkWriter(freshChunk())
        var rowsInChunk: Int64 = 0
        var started = 0
        func flush() throws {
            inFlight.append(ChunkCompression(raw: out.finish(), rows: rowsInChunk, on: lanes[started % lanes.count]))
            started += 1
            rowsInChunk = 0
            if inFlight.count > 2 { try store(inFlight.removeFirst().wait()) }
            out = ChunkWriter(freshChunk())
        }

        let columnCount = Int32(columns.count)
        while try select.step() {
            RowCodec.encodeRow(of: select.handle, columns: columnCount, into: &out)
            rowsInChunk += 1
            summary.rows += 1
            if out.count >= chunkSize { try flush() }
        }
        select.reset()
        if rowsInChunk > 0 { try flush() }
        // On an error above, the chunks still in flight finish on their own and are dropped.
        for pending in inFlight { try store(pending.wait()) }
        report(finished: true)
        return summary
    }
}
