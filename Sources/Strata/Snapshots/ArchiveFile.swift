import Crypto
import Foundation

/// The file-system side of writing an archive: paths are not trusted blindly.
///
/// A new archive is created beside its final name under a temporary name with
/// `open(O_CREAT | O_EXCL | O_NOFOLLOW, 0600)` before SQLite ever opens it, so it is never
/// readable by others, never an existing file, never reached through a symbolic link. It gets
/// its final name only when complete, by a hard link that fails if the name exists (an atomic
/// "rename without replace"), with `rename` after a fresh check as the fallback on file
/// systems without hard links.
struct ArchiveFile {
    /// The absolute path the archive ends up at.
    let path: String
    /// Where it is written first: a hidden name in the same folder.
    let temporaryPath: String

    /// Checks `path` without creating anything: it names a file, its folder exists, and nothing
    /// exists at it (not even a symbolic link). Returns the absolute path, folder and name.
    static func check(_ path: String) throws -> (absolute: String, folder: String, name: String) {
        guard !path.isEmpty, !path.hasSuffix("/") else {
            throw StrataError(.usage, "The archive path '\(path)' does not name a file; nothing was written.")
        }
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let folder = (absolute as NSString).deletingLastPathComponent
        let name = (absolute as NSString).lastPathComponent
        guard !name.isEmpty, name != ".", name != ".." else {
            throw StrataError(.usage, "The archive path '\(path)' does not name a file; nothing was written.")
        }
        var folderStatus = stat()
        guard stat(folder, &folderStatus) == 0, folderStatus.st_mode & S_IFMT == S_IFDIR else {
            throw StrataError(.io, "The folder of archive '\(path)' ('\(folder)') does not exist; create it first. Nothing was written.")
        }
        try refuseExisting(absolute, shown: path)
        return (absolute, folder, name)
    }

    /// Checks `path` and creates the empty temporary file (mode 0600).
    static func create(at path: String) throws -> ArchiveFile {
        let (absolute, folder, name) = try check(path)
        removeAbandoned(in: folder, name: name)
        let temporary = folder + "/." + name + ".tmp-\(getpid())-\(UInt32.random(in: .min ... .max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(0o600))
        guard descriptor >= 0 else {
            throw StrataError(.io, "Cannot create archive '\(path)' in '\(folder)': \(String(cString: strerror(errno))); nothing was written.")
        }
        // The umask can only take bits away from 0600; fchmod makes the mode exact regardless.
        _ = fchmod(descriptor, 0o600)
        close(descriptor)
        return ArchiveFile(path: absolute, temporaryPath: temporary)
    }

    /// Removes the temporary files (and their journals) an export of the same name left when
    /// its process died, killed before it could discard them: `.NAME.tmp-PID-N` whose PID is
    /// gone. A live export's files are left alone.
    static func removeAbandoned(in folder: String, name: String) {
        let prefix = "." + name + ".tmp-"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for entry in entries where entry.hasPrefix(prefix) {
            guard let pid = entry.dropFirst(prefix.count).split(separator: "-").first.flatMap({ pid_t($0) }),
                  kill(pid, 0) != 0, errno == ESRCH else { continue }
            unlink(folder + "/" + entry)
        }
    }

    /// Refuses a name that exists in any form, a symbolic link included (`lstat` does not follow it).
    static func refuseExisting(_ absolute: String, shown: String) throws {
        var status = stat()
        guard lstat(absolute, &status) != 0 else {
            if status.st_mode & S_IFMT == S_IFLNK {
                throw StrataError(.usage, "Archive path '\(shown)' is a symbolic link; Strata does not write through links. Nothing was written.")
            }
            throw StrataError(.usage, "Archive '\(shown)' already exists; Strata does not overwrite files (choose a new name). Nothing was written.")
        }
    }

    /// Flushes the complete temporary file and gives it its final name.
    func publish() throws {
        try Self.sync(temporaryPath)
        if link(temporaryPath, path) == 0 {
            unlink(temporaryPath)
        } else {
            let failure = errno
            guard failure != EEXIST else {
                throw StrataError(.io, "Archive '\(path)' appeared while it was being written; Strata does not overwrite files. Nothing was written.")
            }
            // No hard links here (some network and FAT file systems): check again, then rename.
            try Self.refuseExisting(path, shown: path)
            guard rename(temporaryPath, path) == 0 else {
                throw StrataError(.io, "Cannot name archive '\(path)': \(String(cString: strerror(errno))); nothing was written.")
            }
        }
        try? Self.sync((path as NSString).deletingLastPathComponent, directory: true)
    }

    /// Removes the temporary file (after a failure).
    func discard() {
        unlink(temporaryPath)
        unlink(temporaryPath + "-journal")
    }

    static func sync(_ path: String, directory: Bool = false) throws {
        let descriptor = open(path, (directory ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw StrataError(.io, "Cannot open '\(path)' to flush it: \(String(cString: strerror(errno))).")
        }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 || directory else {
            throw StrataError(.io, "Cannot flush '\(path)' to disk: \(String(cString: strerror(errno))).")
        }
    }

    /// Lowercase hex SHA-256 of a file's bytes, read 1 MiB at a time; and its size.
    static func sha256(of path: String) throws -> (hash: String, bytes: Int64) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StrataError(.io, "Cannot read '\(path)'.")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var total: Int64 = 0
        while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty {
            hasher.update(data: data)
            total += Int64(data.count)
        }
        return (Hex.lowercase(hasher.finalize()), total)
    }
}
