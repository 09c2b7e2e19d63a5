import Foundation
import Testing

/// With `strace` as the outside judge: while a writer keeps the rollback journal between
/// commits (`PersistentJournal`), SQLite does not sync the database's folder again at every
/// commit (`KeptJournalVFS` reopens the kept journal without `O_CREAT`). So the number of
/// folder syncs of an upgrade does not grow with its number of migrations.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/strace"),
                "strace is Linux's; .ci/run installs it"))
struct FolderSyncTests {
    struct Trace {
        var folderSyncs = 0
        var journalCreations = 0
        var journalReopens = 0
    }

    /// `strata upgrade` of `count` migrations on a fresh rollback-journal file, under strace.
    private func tracedUpgrade(of count: Int) throws -> Trace {
        let project = try Project(journal: "delete")
        var previous: [String] = []
        for index in 1...count {
            let id = String(format: "%08x", 0xa000_0000 + index)
            project.script(id, revises: previous, up: "CREATE TABLE t\(index) (x);\nINSERT INTO t\(index) VALUES (\(index));")
            previous = [id]
        }
        let output = project.root + "/strace.out"
        let result = try Run.process("/usr/bin/strace", ["-f", "-y", "-o", output, "-e", "trace=openat,fsync,fdatasync",
                                                         Run.strataBinary, "upgrade", "--database", project.database],
                                     in: project.root)
        #expect(result.status == 0, "\(result)")
        #expect(try project.scalar("PRAGMA integrity_check;") == "ok")
        #expect(!FileManager.default.fileExists(atPath: project.database + "-journal"))

        var trace = Trace()
        for line in try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n") {
            if line.contains("sync("), line.contains("<\(project.root)>)") { trace.folderSyncs += 1 }
            if line.contains("openat("), line.contains("\"\(project.database)-journal\""), line.contains("O_RDWR") {
                if line.contains("O_CREAT") { trace.journalCreations += 1 } else { trace.journalReopens += 1 }
            }
        }
        return trace
    }

    @Test func folderSyncsDoNotGrowWithTheNumberOfMigrations() throws {
        let few = try tracedUpgrade(of: 2)
        let many = try tracedUpgrade(of: 8)
        #expect(few.folderSyncs > 0, "strace saw no folder sync at all: \(few)")
        #expect(many.folderSyncs == few.folderSyncs, "2 migrations: \(few); 8 migrations: \(many)")
        #expect(many.journalCreations == few.journalCreations, "2 migrations: \(few); 8 migrations: \(many)")
        #expect(many.journalReopens >= few.journalReopens + 6, "2 migrations: \(few); 8 migrations: \(many)")
    }
}
