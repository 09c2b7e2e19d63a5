import StrataCZlib

/// `strata_scripts`: the exact text of every script that ran, stored once, addressed by the
/// SHA-256 of its bytes and zlib-compressed, so the log alone can audit and replay history
/// after the files are gone or edited.
public struct ScriptArchive {
    let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// Stores `text` if it is not stored yet; returns its address.
    @discardableResult
    public func store(_ text: String) throws -> String {
        let bytes = Array(text.utf8)
        let address = Self.address(of: bytes)
        let exists = try connection.scalar("SELECT 1 FROM strata_scripts WHERE sha256 = ?", [.text(address)]) != nil
        if !exists {
            try connection.execute("INSERT INTO strata_scripts (sha256, size, compression, content) VALUES (?, ?, 'zlib', ?)",
                                   [.text(address), .integer(Int64(bytes.count)), .blob(try Self.compress(bytes))])
        }
        return address
    }

    /// The text stored at `address`, checked against it; `nil` when nothing is stored there.
    public func text(at address: String) throws -> String? {
        guard let row = try connection.query("SELECT size, compression, content FROM strata_scripts WHERE sha256 = ?",
                                             [.text(address)], { ($0.int(0), $0.string(1), $0.blob(2)) }).first
        else { return nil }
        guard row.1 == "zlib" else {
            throw StrataError(.integrity, "Stored script \(address) uses unknown compression '\(row.1)'.")
        }
        let bytes: [UInt8]
        do {
            bytes = try Zlib.decompress(row.2, size: row.0)
        } catch let error as StrataError {
            // Name the script: the zlib message alone does not say which one is damaged.
            throw StrataError(.integrity, "Stored script \(address) is damaged: \(error.message)", cause: error)
        }
        guard Self.address(of: bytes) == address else {
            throw StrataError(.integrity, "Stored script \(address) does not match its SHA-256: the stored text was altered.")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func address(of bytes: [UInt8]) -> String { SHA256Hex.of(bytes) }

    /// A zlib stream (level 6, as `Zlib.compress`) whose window and hash table are sized to
    /// the text: a script is a few hundred bytes, and setting up zlib's defaults (32 KiB
    /// window, 32k-entry hash) cost several times more than compressing it. Any inflater
    /// reads the result; the window only bounds how far back a match may reach.
    static func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        var windowBits: Int32 = 9  // zlib's smallest
        while windowBits < 15 && (1 << windowBits) < bytes.count { windowBits += 1 }
        var stream = z_stream()
        guard strata_deflateInit2(&stream, 6, windowBits, min(8, windowBits - 6), Z_DEFAULT_STRATEGY) == Z_OK else {
            throw StrataError(.io, "zlib could not start compressing a script.")
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))))
        let result = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard result == Z_STREAM_END else { throw StrataError(.io, "zlib compression of a script failed (code \(result)).") }
        output.removeSubrange(Int(stream.total_out)...)
        return output
    }
}
