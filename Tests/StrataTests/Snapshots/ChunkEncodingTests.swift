import Foundation
import StrataCZlib
import Testing
@testable import Strata

/// The snapshot write path: the chunk writer, libdeflate's zlib streams (read and written by
/// zlib itself too) and the dumper's pipeline of chunks compressed on two lanes.
@Suite struct ChunkEncodingTests {
    /// Deterministic bytes that do not compress.
    static func noise(_ count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
    }

    @Test func aValueLargerThanTheChunkGrowsItAndDecodesBack() throws {
        let rows: [[SQLiteValue]] = [
            [.integer(-1), .text(String(repeating: "é", count: 3000)), .blob(Self.noise(100_000))],
            [.integer(.max), .text(""), .blob([])],
            [.integer(.min), .null, .real(-0.0)],
        ]
        let bytes = RowCodec.encode(rows)
        var decoded: [[SQLiteValue]] = []
        try bytes.withUnsafeBytes { buffer in
            var decoder = RowDecoder(buffer)
            while !decoder.isAtEnd { decoded.append(try (0..<3).map { _ in try decoder.value() }) }
        }
        #expect(decoded.count == 3)
        #expect(decoded[0] == rows[0])
        #expect(decoded[1] == rows[1])
        #expect(decoded[2][0] == rows[2][0] && decoded[2][1].isNull)
        if case .real(let value) = decoded[2][2] { #expect(value.bitPattern == (-0.0).bitPattern) } else { Issue.record("not a real") }
    }

    @Test func zlibStreamsInteroperateWithZlib() throws {
        let text = Array(String(repeating: "strata snapshot chunk ", count: 5000).utf8)
        for input in [text, [], Self.noise(777)] {
            // Ours, read by zlib.
            let ours = try Zlib.compress(input, level: 2)
            var length = uLong(input.count)
            var inflated = [UInt8](repeating: 0, count: max(input.count, 1))
            #expect(uncompress(&inflated, &length, ours, uLong(ours.count)) == Z_OK)
            #expect(Array(inflated.prefix(Int(length))) == input)
            // zlib's, read by ours; and the same CRC-32.
            var bound = compressBound(uLong(input.count))
            var theirs = [UInt8](repeating: 0, count: Int(bound))
            #expect(compress2(&theirs, &bound, input, uLong(input.count), 1) == Z_OK)
            #expect(try Zlib.decompress(Array(theirs.prefix(Int(bound))), size: input.count) == input)
            #expect(input.withUnsafeBytes { Zlib.crc32($0) } == UInt32(crc32(0, input, uInt(input.count))))
        }
    }

    @Test func aWrongSizeOrCorruptStreamIsAnIntegrityError() throws {
        let input = Array(String(repeating: "abc", count: 1000).utf8)
        let stored = try Zlib.compress(input, level: 1)
        #expect(throws: StrataError.self) { try Zlib.decompress(stored, size: input.count - 1) }
        #expect(throws: StrataError.self) { try Zlib.decompress(stored, size: input.count + 1) }
        var corrupt = stored
        corrupt[corrupt.count / 2] ^= 0xFF
        #expect(throws: StrataError.self) { try Zlib.decompress(corrupt, size: input.count) }
    }

    @Test func anIncompressibleBufferIsNotCompressed() throws {
        let compressor = try Zlib.Compressor(level: 2)
        let noise = Self.noise(10_000)
        #expect(noise.withUnsafeBytes { compressor.compress($0, limit: $0.count - 1) } == nil)
    }

    /// Many small chunks (alternating lanes, buffers reused, one grown by a large blob, one
    /// stored raw) come back in order, each checked, holding exactly the table's rows.
    @Test func aTableDumpedInManyChunksReadsBackInOrder() throws {
        let fixture = try WriterFixture()
        fixture.script("aaaa0001", up: "CREATE TABLE t (id INTEGER PRIMARY KEY, label TEXT, payload BLOB, score REAL);")
        try fixture.migrator().upgrade()
        let store = try SQLiteStore(path: fixture.database)
        let connection = store.connection
        let insert = try connection.prepare("INSERT INTO t (label, payload, score) VALUES (?, ?, ?)")
        try connection.execute("BEGIN")
        for index in 0..<3000 {
            // Rows 1501-1503 each fill a chunk on their own with bytes that do not compress.
            let payload: SQLiteValue = (1500..<1504).contains(index) ? .blob(Self.noise(index == 1500 ? 50_000 : 5_000, seed: UInt64(index)))
                : index % 7 == 0 ? .null : .blob([UInt8(index & 0xFF)])
            try insert.run([.text("row \(index)"), payload, .real(Double(index) / 3)])
        }
        try connection.execute("COMMIT")
        try connection.execute("""
            INSERT INTO strata_snapshots (id, reason, taken_at, heads, schema, codec) VALUES (99, 'test', '', '[]', '{}', 1)
            """)
        let dumper = TableDumper(connection: connection, chunkSize: 4096)
        let columns = try dumper.columns(of: "t", definition: "CREATE TABLE t (...)")
        let summary = try dumper.dump("t", snapshotID: 99, columns: columns)
        #expect(summary.rows == 3000)
        #expect(summary.chunks > 10)

        var decoded: [[SQLiteValue]] = []
        try SnapshotCatalog(connection: connection).forEachChunk(snapshot: 99, table: "t") { raw, rows in
            var decoder = RowDecoder(raw)
            var inChunk: Int64 = 0
            while !decoder.isAtEnd {
                decoded.append(try columns.map { _ in try decoder.value() })
                inChunk += 1
            }
            #expect(inChunk == rows)
        }
        let expected = try connection.query("SELECT id, label, payload, score FROM t ORDER BY id") { row in
            (0..<4).map { row.value($0) }
        }
        #expect(decoded == expected)
        let encodings = try connection.query("SELECT DISTINCT encoding FROM strata_snapshot_chunks WHERE snapshot_id = 99 ORDER BY 1") { $0.int(0) }
        #expect(encodings == [0, 1])
    }
}
