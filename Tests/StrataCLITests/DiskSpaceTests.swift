import Foundation
import Testing

/// A snapshot that cannot fit is refused up front, with the numbers, and changes nothing; a
/// real small file system (tmpfs) plays the full disk.
@Suite struct DiskSpaceTests {
    /// A tmpfs of `size` mounted in the project's folder, unmounted by the returned closure.
    func smallDisk(_ project: Project, size: String) throws -> (path: String, unmount: () -> Void) {
        let mountPoint = project.root + "/small-disk"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let mount = try Run.process("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", mountPoint], in: project.root)
        try #require(mount.status == 0, "mounting a tmpfs needs root: \(mount)")
        return (mountPoint, { _ = try? Run.process("/bin/umount", [mountPoint], in: project.root) })
    }

    @Test func aSnapshotThatCannotFitIsRefusedBeforeAnythingChanges() throws {
        let project = try Project(journal: "delete")
        let (mountPoint, unmount) = try smallDisk(project, size: "6m")
        defer { unmount() }

        let database = mountPoint + "/app.db"
        project.script("aaaa0001", up: "CREATE TABLE big (id INTEGER PRIMARY KEY, payload BLOB);")
        project.script("bbbb0002", revises: ["aaaa0001"], up: "UPDATE big SET payload = zeroblob(1) WHERE id = 1;")
        var result = try Run.strata(["upgrade", "aaaa0001", "--database", database], in: project.root)
        #expect(result.status == 0, "\(result)")
        // About 4 MiB of incompressible rows on a 6 MiB file system.
        result = try Run.sqlite3(database, """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000)
            INSERT INTO big SELECT i, randomblob(1000) FROM n;
            """)
        #expect(result.status == 0, "\(result)")
        let before = try Run.sqlite3(database, ".dump big").stdout

        result = try Run.strata(["upgrade", "--database", database], in: project.root)
        #expect(result.status == 1, "\(result)")
        let line = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(line.contains("Not enough disk space to snapshot table 'big'"), "\(line)")
        #expect(line.contains("MiB needed") && line.contains("MiB free"))
        #expect(line.contains("bbbb0002") && line.contains("still at aaaa0001"))
        #expect(try Run.sqlite3(database, ".dump big").stdout == before)
        #expect(try Run.sqlite3(database, "SELECT version_num FROM strata_version;").stdout == "aaaa0001\n")

        // Without a snapshot the migration fits, and says so in the log.
        result = try Run.strata(["upgrade", "--backup", "none", "--database", database], in: project.root)
        #expect(result.status == 0, "\(result)")
    }

    /// A disk already full when the writer takes its lock: one sentence, not SQLite's raw
    /// message with the statement, and nothing changed.
    @Test func aFullDiskAtTheLockIsOneSentence() throws {
        let project = try Project(journal: "delete")
        let (mountPoint, unmount) = try smallDisk(project, size: "2m")
        defer { unmount() }

        let database = mountPoint + "/app.db"
        project.script("aaaa0001", up: "CREATE TABLE t (x);")
        project.script("bbbb0002", revises: ["aaaa0001"], up: "INSERT INTO t VALUES (1);")
        var result = try Run.strata(["upgrade", "aaaa0001", "--database", database], in: project.root)
        #expect(result.status == 0, "\(result)")
        _ = try Run.process("/bin/dd", ["if=/dev/zero", "of=\(mountPoint)/filler", "bs=64k"], in: project.root)
        let before = try Run.sqlite3(database, ".dump").stdout

        result = try Run.strata(["upgrade", "--database", database], in: project.root)
        #expect(result.status == 1, "\(result)")
        let line = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(line.hasPrefix("strata: Failed taking the writer lock in '\(database)'"), "\(line)")
        #expect(line.contains("full") && line.contains("still at aaaa0001"), "\(line)")
        try? FileManager.default.removeItem(atPath: mountPoint + "/filler")
        #expect(try Run.sqlite3(database, ".dump").stdout == before)
    }
}
