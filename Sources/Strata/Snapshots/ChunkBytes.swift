/// The raw bytes of one snapshot chunk. One thread owns it at a time: the encoder fills it, a
/// compressor reads it, and it comes back to be filled again, so a snapshot allocates a few
/// of these, not one per chunk.
final class ChunkBytes: @unchecked Sendable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    fileprivate(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Moves the first `used` bytes to a block that holds at least `needed` bytes.
    fileprivate func grow(used: Int, needed: Int) {
        let larger = max(needed, capacity * 2)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.update(from: base, count: used)
        base.deallocate()
        base = moved
        capacity = larger
    }
}

/// Appends to a `ChunkBytes` through a cursor. The row encoder writes a few bytes per value;
/// a bounds check and plain stores cost far less there than `Array.append`'s per-call checks.
/// Callers `reserve` room for what they write next, then write it.
struct ChunkWriter {
    let chunk: ChunkBytes
    private var cursor: UnsafeMutablePointer<UInt8>
    private var end: UnsafeMutablePointer<UInt8>

    /// Starts writing `chunk` from its beginning.
    init(_ chunk: ChunkBytes) {
        self.chunk = chunk
        cursor = chunk.base
        end = chunk.base + chunk.capacity
    }

    var count: Int { cursor - chunk.base }

    @inline(__always) mutating func reserve(_ bytes: Int) {
        if end - cursor < bytes { grow(bytes) }
    }

    private mutating func grow(_ bytes: Int) {
        let used = count
        chunk.grow(used: used, needed: used + bytes)
        cursor = chunk.base + used
        end = chunk.base + chunk.capacity
    }

    @inline(__always) mutating func write(_ byte: UInt8) {
        cursor.pointee = byte
        cursor += 1
    }

    @inline(__always) mutating func write(_ bytes: UnsafeRawPointer, count: Int) {
        UnsafeMutableRawPointer(cursor).copyMemory(from: bytes, byteCount: count)
        cursor += count
    }

    /// The chunk, its count set to what was written.
    func finish() -> ChunkBytes {
        chunk.count = count
        return chunk
    }
}
