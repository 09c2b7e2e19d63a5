/// `strata_scripts`: the exact text of every script that ran (a run stores its whole plan's
/// with its start event), stored once, addressed by the SHA-256 of its bytes and
/// zlib-compressed, so the log alone can audit and replay history after the files are gone or
/// edited.
public struct ScriptArchive {
    let connection: Connection
    /// Kept by the caller across many scripts (a run archives one per migration), since
    /// setting a compressor up costs more than compressing one script; `nil`: one per call.
    let compressor: Zlib.Compressor?

    public init(connection: Connection, compressor: Zlib.Compressor? = nil) {
        self.connection = connection
        self.compressor = compressor
    }

    /// Stores `text` if it is not stored yet; returns its address.
    @discardableResult
    public func store(_ text: String) throws -> String {
        let bytes = Array(text.utf8)
        let address = Self.address(of: bytes)
        // One statement rather than a look-up first: a run archives new scripts, and a text
        // stored already (a re-run after a downgrade) costs one needless compression.
        try connection.execute("""
            INSERT INTO strata_scripts (sha256, size, compression, content) VALUES (?, ?, 'zlib', ?)
            ON CONFLICT (sha256) DO NOTHING
            """, [.text(address), .integer(Int64(bytes.count)), .blob(try Self.compress(bytes, with: compressor))])
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

    /// Where `store` puts `text` (and finds it): the SHA-256 of its UTF-8 bytes.
    public static func address(of text: String) -> String { address(of: Array(text.utf8)) }

    /// A zlib stream made with libdeflate like every other payload; any inflater reads it, and
    /// the address is the text's SHA-256, not the stream's.
    static func compress(_ bytes: [UInt8], with compressor: Zlib.Compressor? = nil) throws -> [UInt8] {
        let compressor = try compressor ?? Zlib.Compressor(level: Self.level)
        return try bytes.withUnsafeBytes { input in
            guard let output = compressor.compress(input, limit: compressor.bound(input.count)) else {
                throw StrataError(.io, "zlib compression of a script failed (the output did not fit its bound).")
            }
            return output
        }
    }

    /// The compression level scripts are stored at. For scripts (a few hundred bytes to a few
    /// KB) libdeflate's levels differ by a few bytes in all: the 200 scripts of the apply
    /// benchmark take 41,889 bytes at level 6 and 41,900 at level 1, which costs 20% less.
    public static let level: Int32 = 1
}
