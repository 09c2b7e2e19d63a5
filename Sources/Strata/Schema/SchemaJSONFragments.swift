import Foundation

/// One capture's JSON for each `sqlite_master` row, in rowid order, with the row's bytes it
/// was written from. A row is reused only when all four columns are byte for byte the same
/// (the rowid merely finds the candidate), so the text written is always exactly what
/// escaping the row afresh writes: the cache changes the cost, never the snapshot.
struct SchemaJSONFragments {
    typealias Columns = (UnsafeBufferPointer<UInt8>?, UnsafeBufferPointer<UInt8>?,
                         UnsafeBufferPointer<UInt8>?, UnsafeBufferPointer<UInt8>?)

    struct Fragment {
        var rowid: Int64
        /// The four columns' bytes one after another, and each one's length (-1 for NULL).
        var bytes: [UInt8]
        var lengths: (Int, Int, Int, Int)
        /// `[type,name,tbl_name,sql]` as JSON.
        var json: [UInt8]

        init(rowid: Int64, columns: Columns, json: [UInt8]) {
            self.rowid = rowid
            self.json = json
            bytes = []
            lengths = (-1, -1, -1, -1)
            func add(_ column: UnsafeBufferPointer<UInt8>?) -> Int {
                guard let column else { return -1 }
                bytes.append(contentsOf: column)
                return column.count
            }
            lengths = (add(columns.0), add(columns.1), add(columns.2), add(columns.3))
        }

        func matches(_ columns: Columns) -> Bool {
            guard length(columns.0) == lengths.0, length(columns.1) == lengths.1,
                  length(columns.2) == lengths.2, length(columns.3) == lengths.3 else { return false }
            return bytes.withUnsafeBufferPointer { stored in
                var offset = 0
                func same(_ column: UnsafeBufferPointer<UInt8>?) -> Bool {
                    guard let column, !column.isEmpty else { return true }
                    defer { offset += column.count }
                    return memcmp(stored.baseAddress! + offset, column.baseAddress!, column.count) == 0
                }
                return same(columns.0) && same(columns.1) && same(columns.2) && same(columns.3)
            }
        }

        private func length(_ column: UnsafeBufferPointer<UInt8>?) -> Int { column?.count ?? -1 }
    }

    /// In rowid order, as `sqlite_master` is read.
    private(set) var fragments: [Fragment] = []
    /// The snapshot whose schema is exactly these rows, in this order, once it is stored
    /// (`SnapshotRecorder`): the base of the next capture's delta. Cleared when its
    /// transaction rolls back (`Connection`'s rollback hook), since then it was never stored.
    var snapshotID: Int64?
    /// How many deltas lead from that snapshot's schema to a whole one (0: stored whole).
    var chainLength = 0
    /// Where the next lookup starts: rows come in rowid order, so each search is a step or two.
    private var cursor = 0
    /// The JSON bytes held, to size the next capture's buffer.
    private(set) var byteCount = 0

    mutating func reserveCapacity(_ count: Int) { fragments.reserveCapacity(count) }

    /// Adds the next row's fragment (rowids increasing).
    mutating func append(_ fragment: Fragment) {
        fragments.append(fragment)
        byteCount += fragment.json.count
    }

    /// The fragment written for `rowid` when its columns were exactly `columns`, and its index;
    /// lookups go in increasing rowid order.
    mutating func fragment(rowid: Int64, matching columns: Columns) -> (fragment: Fragment, index: Int)? {
        while cursor < fragments.count && fragments[cursor].rowid < rowid { cursor += 1 }
        guard cursor < fragments.count, fragments[cursor].rowid == rowid, fragments[cursor].matches(columns) else { return nil }
        return (fragments[cursor], cursor)
    }
}
