import Foundation

/// Loads the `Migrations/` folder: every `*.sql` file directly inside it.
public enum ScriptDirectory {
    /// Parses every non-hidden `*.sql` file in `path` (not recursive), in file-name order so the
    /// result, and any error reported first, is the same on every machine. Other files are
    /// ignored, so a README or `.DS_Store` can sit beside the scripts.
    public static func load(_ path: String) throws -> [MigrationScript] {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw StrataError(.io, "Migrations folder '\(path)' does not exist (set --migrations or STRATA_MIGRATIONS).")
        }
        guard isDirectory.boolValue else {
            throw StrataError(.io, "Migrations folder '\(path)' is a file, not a folder (set --migrations or STRATA_MIGRATIONS).")
        }
        let names: [String]
        do {
            names = try fileManager.contentsOfDirectory(atPath: path)
        } catch {
            throw StrataError(.io, "Migrations folder '\(path)' could not be listed: \(reason(error)).", cause: error as NSError)
        }
        // Byte order: locale-independent. The keys are byte arrays so each comparison is a
        // plain loop rather than a walk over two `String.UTF8View`s.
        let scriptNames = names
            .filter { $0.hasSuffix(".sql") && !$0.hasPrefix(".") }
            .map { (name: $0, key: Array($0.utf8)) }
            .sorted { $0.key.lexicographicallyPrecedes($1.key) }
            .map(\.name)
        var scripts: [MigrationScript] = []
        for name in scriptNames {
            let file = join(path, name)
            let bytes: [UInt8]
            switch ScriptFileReader.contents(of: file) {
            case .bytes(let read): bytes = read
            case .folder: continue // a folder named *.sql is not a script
            case .notRead: bytes = try readThroughFoundation(file)
            }
            scripts.append(try parse(bytes, file: file))
        }
        return scripts
    }

    /// Reads and parses one script file.
    public static func loadFile(_ file: String) throws -> MigrationScript {
        let bytes: [UInt8]
        if case .bytes(let read) = ScriptFileReader.contents(of: file) {
            bytes = read
        } else {
            bytes = try readThroughFoundation(file)
        }
        return try parse(bytes, file: file)
    }

    private static func parse(_ bytes: [UInt8], file: String) throws -> MigrationScript {
        try ScriptParser.parse(try decodeUTF8(bytes, file: file), utf8: bytes, file: file)
    }

    /// The slow path, taken only when the plain read failed: it either reads the file after all
    /// or throws Foundation's error, worded as before.
    private static func readThroughFoundation(_ file: String) throws -> [UInt8] {
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        } catch {
            throw StrataError(.io, "Migration script '\(file)' could not be read: \(reason(error)).", cause: error as NSError)
        }
    }

    /// `decodeUTF8` for Foundation's `Data`.
    static func decodeUTF8(_ data: Data, file: String) throws -> String {
        try decodeUTF8([UInt8](data), file: file)
    }

    /// Strict UTF-8: a lossy decode would silently change the SQL (and its checksum), so an
    /// invalid byte is an error that points at its line.
    static func decodeUTF8(_ bytes: [UInt8], file: String) throws -> String {
        if let text = bytes.withUnsafeBytes({ String(validUTF8: $0) }) {
            // SQLite reads a statement only up to a NUL: the rest of the file would be skipped.
            let nul: Int? = bytes.withUnsafeBytes { raw in
                guard let start = raw.baseAddress, let hit = memchr(start, 0, raw.count) else { return nil }
                return start.distance(to: UnsafeRawPointer(hit))
            }
            guard let offset = nul else { return text }
            throw ScriptDiagnostics.invalid(file, line: line(of: offset, in: bytes),
                "the file holds a NUL byte (offset \(offset)), where SQLite would stop reading; remove it")
        }
        // Name the first byte a repairing decode changes, and its line.
        let text = String(decoding: bytes, as: UTF8.self)
        let valid = zip(text.utf8, bytes).prefix(while: { $0 == $1 }).count
        let byte = String(bytes[valid], radix: 16, uppercase: true)
        throw ScriptDiagnostics.invalid(file, line: line(of: valid, in: bytes),
            "the file is not valid UTF-8 (byte 0x\(byte.count == 1 ? "0" + byte : byte) at offset \(valid)); save it as UTF-8")
    }

    /// The 1-based line holding byte `offset`.
    private static func line(of offset: Int, in bytes: [UInt8]) -> Int {
        1 + bytes[..<offset].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }

    private static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    private static func reason(_ error: any Error) -> String {
        let description = (error as NSError).localizedDescription
        return description.hasSuffix(".") ? String(description.dropLast()) : description
    }
}
