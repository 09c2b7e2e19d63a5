import Foundation
import Testing
@testable import Strata

/// Codec v1 against golden files written by an independent implementation of the spec
/// (archive/snapshot-codec-v1/make.py), and values SQL cannot show round-tripping exactly.
@Suite struct RowCodecTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("archive/snapshot-codec-v1")

    /// The golden rows as values; doubles come as bit patterns.
    func expectedRows() throws -> (rows: [[SQLiteValue]], crc: Int64, columns: Int) {
        let json = try JSONValue.parse(String(contentsOf: Self.golden.appendingPathComponent("rows.json"), encoding: .utf8))
        let rows = try #require(json["rows"]?.array).map { row in
            try #require(row.array).map { cell -> SQLiteValue in
                let pair = cell.array ?? []
                switch pair.first?.string {
                case "null": return .null
                case "integer": return .integer(pair[1].int ?? 0)
                case "real_bits": return .real(Double(bitPattern: UInt64(pair[1].string!, radix: 16)!))
                case "text": return .text(pair[1].string!)
                default: return .blob(Array(hex: pair[1].string!))
                }
            }
        }
        return (rows, json["crc32"]?.int ?? 0, Int(json["columns"]?.int ?? 0))
    }

    /// Values compared bit for bit (NaN payloads and -0.0 included).
    func bits(_ value: SQLiteValue) -> String {
        if case .real(let double) = value { return "real:\(String(double.bitPattern, radix: 16))" }
        return "\(value)|\(value.isNull)"
    }

    @Test func encodingTheGoldenRowsGivesTheGoldenBytes() throws {
        let expected = try expectedRows()
        let golden = try [UInt8](Data(contentsOf: Self.golden.appendingPathComponent("rows.bin")))
        #expect(RowCodec.encode(expected.rows) == golden)
    }

    @Test func decodingTheGoldenBytesGivesTheGoldenRows() throws {
        let expected = try expectedRows()
        let stored = try [UInt8](Data(contentsOf: Self.golden.appendingPathComponent("rows.zlib")))
        let golden = try [UInt8](Data(contentsOf: Self.golden.appendingPathComponent("rows.bin")))
        // The zlib form inflates to the raw form, whose CRC-32 is the recorded one.
        let raw = try Zlib.decompress(stored, size: golden.count)
        #expect(raw == golden)
        #expect(raw.withUnsafeBufferPointer { Int64(crc32(0, $0.baseAddress, UInt32($0.count))) } == expected.crc)
        var decoded: [[SQLiteValue]] = []
        try raw.withUnsafeBytes { buffer in
            var decoder = RowDecoder(buffer)
            while !decoder.isAtEnd {
                decoded.append(try (0..<expected.columns).map { _ in try decoder.value() })
            }
        }
        #expect(decoded.map { $0.map(bits) } == expected.rows.map { $0.map(bits) })
    }

    /// Every truncation either throws a corruption error or yields fewer rows (which the
    /// chunk's row count and CRC-32 then catch); none reads past the buffer.
    @Test func aTruncatedChunkIsCorruptNotACrash() throws {
        let golden = try [UInt8](Data(contentsOf: Self.golden.appendingPathComponent("rows.bin")))
        for cut in 0..<golden.count {
            var rows = 0
            var threw = false
            do {
                try Array(golden.prefix(cut)).withUnsafeBytes { (buffer: UnsafeRawBufferPointer) throws -> Void in
                    var decoder = RowDecoder(buffer)
                    while !decoder.isAtEnd {
                        for _ in 0..<3 { _ = try decoder.value() }
                        rows += 1
                    }
                }
            } catch {
                threw = true
            }
            #expect(threw || rows < 6, "cut at \(cut)")
        }
    }

    @Test func negativeZeroAndSubnormalsSurviveSnapshotAndRestore() throws {
        let fixture = try WriterFixture()
        // No declared type: REAL affinity would store an integral -0.0 as the integer 0.
        fixture.script("aaaa0001", up: "CREATE TABLE t (v);")
        fixture.script("bbbb0002", revises: "aaaa0001", up: "DELETE FROM t;")
        let migrations = try fixture.migrations()
        try fixture.migrator().upgrade(to: "aaaa0001")
        let values: [Double] = [-0.0, .leastNonzeroMagnitude, -.leastNormalMagnitude, .greatestFiniteMagnitude, 0.1]
        let store = try SQLiteStore(path: fixture.database)
        let insert = try store.connection.prepare("INSERT INTO t (v) VALUES (?)")
        for value in values { try insert.run([.real(value)]) }
        try fixture.migrator().upgrade()
        #expect(try store.connection.scalar("SELECT count(*) FROM t") == .integer(0))
        try Restorer(store: store, migrations: migrations).restore(toRevision: "aaaa0001")
        let back = try store.connection.query("SELECT v FROM t ORDER BY rowid") { $0.double(0).bitPattern }
        #expect(back == values.map(\.bitPattern))
    }
}

import StrataCZlib

extension Array where Element == UInt8 {
    init(hex: String) {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        self = bytes
    }
}
