/// Reads snapshots back: listing, per-table metadata, chunk streaming with integrity checks.
public struct SnapshotCatalog {
    public struct Table: Sendable, Hashable {
        public var name: String
        public var existed: Bool
        public var columns: [String]
        public var rows: Int64
        public var rawBytes: Int64
        public var storedBytes: Int64
        public var chunks: Int64
    }

    public struct Snapshot: Sendable {
        public var id: Int64
        public var eventSeq: Int64?
        /// The migration it was taken before; `nil` for a restore's own snapshot.
        public var revision: String?
        /// `upgrade`, `downgrade` or `restore`.
        public var reason: String
        public var takenAt: String
        public var heads: [String]
        /// The `schema` column as stored: the whole schema, or changes from an earlier
        /// snapshot's (`SchemaDelta`). `SnapshotCatalog.schemaJSON(of:)` gives it whole.
        public var storedSchema: String
        public var codec: Int
        public var prunedAt: String?
        public var tables: [Table]

        public var rows: Int64 { tables.reduce(0) { $0 + $1.rows } }
        public var rawBytes: Int64 { tables.reduce(0) { $0 + $1.rawBytes } }
        public var storedBytes: Int64 { tables.reduce(0) { $0 + $1.storedBytes } }
        public func table(_ name: String) -> Table? { tables.first { $0.name == name } }
    }

    let connection: Connection
    /// The last schema resolved: listing every snapshot resolves each delta against the one
    /// before instead of walking back to a whole schema each time; one only, so memory holds
    /// one schema however many snapshots are listed.
    private let resolved = LastResolvedSchema()

    public init(connection: Connection) { self.connection = connection }

    /// Every snapshot, oldest first.
    public func all() throws -> [Snapshot] {
        guard try connection.tableExists(StrataSchema.snapshotsTable) else { return [] }
        return try connection.query("SELECT id FROM strata_snapshots ORDER BY id") { $0.int64(0) }.map { try snapshot($0)! }
    }

    public func snapshot(_ id: Int64) throws -> Snapshot? {
        guard var snapshot = try connection.query("""
            SELECT id, event_seq, revision, reason, taken_at, heads, schema, codec, pruned_at FROM strata_snapshots WHERE id = ?
            """, [.integer(id)], { row in
            Snapshot(id: row.int64(0), eventSeq: row.isNull(1) ? nil : row.int64(1), revision: row.optionalString(2),
                     reason: row.string(3), takenAt: row.string(4),
                     heads: (try? JSONValue.parse(row.string(5)))?.stringArray ?? [],
                     storedSchema: row.string(6), codec: row.int(7), prunedAt: row.optionalString(8), tables: [])
        }).first else { return nil }
        snapshot.tables = try connection.query("""
            SELECT name, existed, columns, rows, raw_bytes, stored_bytes, chunks FROM strata_snapshot_tables
            WHERE snapshot_id = ? ORDER BY rowid
            """, [.integer(id)]) { row in
            Table(name: row.string(0), existed: row.int(1) == 1,
                  columns: (try? JSONValue.parse(row.string(2)))?.stringArray ?? [], rows: row.int64(3),
                  rawBytes: row.int64(4), storedBytes: row.int64(5), chunks: row.int64(6))
        }
        return snapshot
    }

    /// `snapshot`'s whole schema as JSON text (the array a layout-1 file stored), resolved
    /// when it is stored as changes. Only this is costly for a delta, so listing and planning
    /// read snapshots without it.
    public func schemaJSON(of snapshot: Snapshot) throws -> String {
        try schemaJSON(id: snapshot.id, stored: snapshot.storedSchema)
    }

    /// The same for snapshot `id` whose `schema` column holds `stored`.
    func schemaJSON(id: Int64, stored: String) throws -> String {
        guard SchemaDelta.isDelta(stored) else { return stored }
        return String(decoding: try wholeSchema(of: id, stored: stored).bytes, as: UTF8.self)
    }

    /// `snapshot`'s whole schema.
    public func schema(of snapshot: Snapshot) throws -> SchemaCapture {
        try SchemaCapture(json: try schemaJSON(of: snapshot))
    }

    private func wholeSchema(of id: Int64, stored: String) throws -> SchemaDelta.Whole {
        if let last = resolved.last, last.id == id { return last.schema }
        let whole = try SchemaDelta.whole(stored, snapshot: id, in: connection.path) { base in
            if let last = resolved.last, last.id == base { return last.schema }
            guard let text = try connection.scalar("SELECT schema FROM strata_snapshots WHERE id = ?", [.integer(base)])?.text else {
                throw StrataError(.integrity, "Snapshot \(id)'s schema is stored as changes from snapshot \(base), which is missing from '\(connection.path)'; nothing was changed.")
            }
            return try wholeSchema(of: base, stored: text)
        }
        resolved.last = (id, whole)
        return whole
    }

    /// For each of `revisions`, the newest snapshot taken before it ran in `reason`'s direction
    /// (absent when it has none). One read of the snapshots table, however many revisions:
    /// snapshots are not indexed by revision (one index page fewer in every migration's commit).
    public func latest(before revisions: [String], reason: String = "upgrade") throws -> [String: Snapshot] {
        var latest: [String: Snapshot] = [:]
        // In batches, well below SQLite's limit on bound parameters.
        for start in stride(from: 0, to: revisions.count, by: 500) {
            let batch = revisions[start..<min(start + 500, revisions.count)]
            let ids = try connection.query("""
                SELECT revision, max(id) FROM strata_snapshots WHERE reason = ? AND revision IN (\(batch.map { _ in "?" }.joined(separator: ", ")))
                GROUP BY revision
                """, [.text(reason)] + batch.map(SQLiteValue.text)) { ($0.string(0), $0.int64(1)) }
            for (revision, id) in ids { latest[revision] = try snapshot(id) }
        }
        return latest
    }

    /// Calls `body` with each chunk's raw (decompressed, checked) bytes, in order. The next
    /// chunk inflates on another core while `body` handles this one (`ChunkInflation`), so
    /// memory holds about three chunks.
    public func forEachChunk(snapshot: Int64, table: String,
                             _ body: (_ raw: UnsafeRawBufferPointer, _ rows: Int64) throws -> Void) throws {
        var expected: Int64 = 0
        var pending: ChunkInflation?
        func finish(_ chunk: ChunkInflation) throws {
            let output = try chunk.wait()
            try output.raw.withUnsafeBytes { try body($0, output.rows) }
        }
        try connection.prepare("""
            SELECT chunk, rows, raw_size, encoding, crc32, data FROM strata_snapshot_chunks
            WHERE snapshot_id = ? AND name = ? ORDER BY chunk
            """).forEachRow([.integer(snapshot), .text(table)]) { row in
            let chunk = row.int64(0)
            guard chunk == expected else {
                throw StrataError(.integrity, "Snapshot \(snapshot) is missing chunk \(expected) of table '\(table)'.")
            }
            expected += 1
            let next = ChunkInflation(stored: row.blob(5), encoding: row.int64(3), rawSize: row.int(2), crc32: row.int64(4),
                                      rows: row.int64(1), place: "chunk \(chunk) of table '\(table)' in snapshot \(snapshot)")
            if let pending { try finish(pending) }
            pending = next
        }
        if let pending { try finish(pending) }
        if let recorded = try connection.scalar(
            "SELECT chunks FROM strata_snapshot_tables WHERE snapshot_id = ? AND name = ?", [.integer(snapshot), .text(table)])?.integer,
           recorded != expected {
            throw StrataError(.integrity, "Snapshot \(snapshot) holds \(expected) chunk(s) of table '\(table)' but recorded \(recorded).")
        }
    }

    /// Whether this build can read the snapshot's rows at all: not pruned, a known codec.
    public func checkReadable(_ snapshot: Snapshot) throws {
        guard snapshot.prunedAt == nil else {
            throw StrataError(.databaseState, "Snapshot \(snapshot.id) was pruned at \(snapshot.prunedAt!); its rows are no longer stored in this database. Import them back from an archive with 'strata archive import PATH' (or 'strata restore --from-archive PATH ...'); nothing was changed.")
        }
        guard snapshot.codec == RowCodec.version else {
            throw StrataError(.integrity, "Snapshot \(snapshot.id) uses codec v\(snapshot.codec), which this build cannot read.")
        }
    }

    /// Checks every chunk of a snapshot (checksums and row decoding) without changing anything.
    public func verify(_ snapshot: Snapshot) throws {
        try checkReadable(snapshot)
        for table in snapshot.tables where table.existed {
            var rows: Int64 = 0
            try forEachChunk(snapshot: snapshot.id, table: table.name) { raw, chunkRows in
                var decoder = RowDecoder(raw)
                var decoded: Int64 = 0
                while !decoder.isAtEnd {
                    for _ in table.columns { try decoder.skipValue() }
                    decoded += 1
                }
                guard decoded == chunkRows else {
                    throw StrataError(.integrity, "A chunk of table '\(table.name)' in snapshot \(snapshot.id) decodes to \(decoded) rows, not \(chunkRows).")
                }
                rows += decoded
            }
            guard rows == table.rows else {
                throw StrataError(.integrity, "Table '\(table.name)' in snapshot \(snapshot.id) holds \(rows) rows, not the \(table.rows) recorded.")
            }
        }
    }
}

/// `SnapshotCatalog`'s last resolved schema: a catalog is a value, this shared by its copies.
private final class LastResolvedSchema {
    var last: (id: Int64, schema: SchemaDelta.Whole)?
}
