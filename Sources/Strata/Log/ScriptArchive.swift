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
                                   [.text(address), .integer(Int64(bytes.count)), .blob(try Zlib.compress(bytes))])
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
}
