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
        let scriptNames = names
            .filter { $0.hasSuffix(".sql") && !$0.hasPrefix(".") }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } // byte order: locale-independent
        var scripts: [MigrationScript] = []
        for name in scriptNames {
            let file = join(path, name)
            var isSubfolder: ObjCBool = false
            if fileManager.fileExists(atPath: file, isDirectory: &isSubfolder), isSubfolder.boolValue { continue }
            scripts.append(try loadFile(file))
        }
        return scripts
    }

    /// Reads and parses one script file.
    public static func loadFile(_ file: String) throws -> MigrationScript {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw StrataError(.io, "Migration script '\(file)' could not be read: \(reason(error)).", cause: error as NSError)
        }
        return try ScriptParser.parse(try decodeUTF8(data, file: file), file: file)
    }

    /// Strict UTF-8: a lossy decode would silently change the SQL (and its checksum), so an
    /// invalid byte is an error that points at its line.
    static func decodeUTF8(_ data: Data, file: String) throws -> String {
        let bytes = [UInt8](data)
        let text = String(decoding: bytes, as: UTF8.self)
        if text.utf8.elementsEqual(bytes) { return text }
        // The decode replaced something: find the first byte that differs to name its line.
        let valid = zip(text.utf8, bytes).prefix(while: { $0 == $1 }).count
        let line = 1 + bytes[..<valid].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        let byte = String(bytes[valid], radix: 16, uppercase: true)
        throw ScriptDiagnostics.invalid(file, line: line,
            "the file is not valid UTF-8 (byte 0x\(byte.count == 1 ? "0" + byte : byte) at offset \(valid)); save it as UTF-8")
    }

    private static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    private static func reason(_ error: any Error) -> String {
        let description = (error as NSError).localizedDescription
        return description.hasSuffix(".") ? String(description.dropLast()) : description
    }
}
