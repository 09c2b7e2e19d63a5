import Foundation
import Testing
@testable import Strata

@Suite struct ScriptDirectoryTests {
    typealias Support = ScriptTestSupport

    private func script(_ id: String, revises: String = "") -> String {
        "-- revision: \(id)\n-- revises: \(revises)\n\n-- +upgrade\nCREATE TABLE t_\(id) (x);\n\n-- +downgrade\nDROP TABLE t_\(id);\n"
    }

    @Test func loadsSQLFilesSortedByNameIgnoringOthers() throws {
        try Support.withTemporaryFolder { folder in
            try Support.write(script("bbb222", revises: "aaa111"), to: folder + "/bbb222_second.sql")
            try Support.write(script("aaa111"), to: folder + "/aaa111_first.sql")
            try Support.write("not a script", to: folder + "/README.md")
            try Support.write("garbage", to: folder + "/.hidden.sql")
            try Support.write("garbage", to: folder + "/notes.sql.bak")
            try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: false)
            try Support.write("garbage", to: folder + "/sub/ccc333_nested.sql")
            try FileManager.default.createDirectory(atPath: folder + "/dir.sql", withIntermediateDirectories: false)

            let scripts = try ScriptDirectory.load(folder)
            #expect(scripts.map(\.id) == ["aaa111", "bbb222"])
            #expect(scripts[0].file == folder + "/aaa111_first.sql")
            #expect(scripts[0].node.origin == folder + "/aaa111_first.sql")
            #expect(scripts[1].node.revises == ["aaa111"])
            #expect(scripts[1].checksum?.count == 64)
        }
    }

    @Test func trailingSlashIsNotDoubled() throws {
        try Support.withTemporaryFolder { folder in
            try Support.write(script("aaa111"), to: folder + "/aaa111_first.sql")
            let scripts = try ScriptDirectory.load(folder + "/")
            #expect(scripts.first?.file == folder + "/aaa111_first.sql")
        }
    }

    @Test func emptyFolderLoadsNothing() throws {
        try Support.withTemporaryFolder { folder in
            let scripts = try ScriptDirectory.load(folder)
            #expect(scripts.isEmpty)
        }
    }

    @Test func missingFolderIsAnIOError() throws {
        try Support.withTemporaryFolder { folder in
            let missing = folder + "/Migrations"
            let error = Support.error { _ = try ScriptDirectory.load(missing) }
            #expect(error?.code == .io)
            #expect(error?.message == "Migrations folder '\(missing)' does not exist (set --migrations or STRATA_MIGRATIONS).")
        }
    }

    @Test func fileInsteadOfFolderIsAnIOError() throws {
        try Support.withTemporaryFolder { folder in
            try Support.write("x", to: folder + "/Migrations")
            let error = Support.error { _ = try ScriptDirectory.load(folder + "/Migrations") }
            #expect(error?.code == .io)
            #expect(error?.message.contains("is a file, not a folder") == true)
        }
    }

    @Test func malformedScriptErrorNamesTheFileAndLine() throws {
        try Support.withTemporaryFolder { folder in
            try Support.write(script("aaa111"), to: folder + "/aaa111_first.sql")
            try Support.write("-- revision: bbb222\n-- revison: aaa111\n-- +upgrade\n", to: folder + "/bbb222_bad.sql")
            let error = Support.error { _ = try ScriptDirectory.load(folder) }
            #expect(error?.code == .invalidScript)
            #expect(error?.message.hasPrefix(folder + "/bbb222_bad.sql line 2 (revision bbb222): unknown header key 'revison'") == true)
        }
    }

    @Test func nonUTF8FileNamesTheFileAndLine() throws {
        try Support.withTemporaryFolder { folder in
            var bytes = Array("-- revision: aaa111\n-- message: caf".utf8)
            bytes += [0xE9] // Latin-1 "é"
            bytes += Array("\n-- +upgrade\n".utf8)
            try Data(bytes).write(to: URL(fileURLWithPath: folder + "/aaa111_latin1.sql"))
            let error = Support.error { _ = try ScriptDirectory.load(folder) }
            #expect(error?.code == .invalidScript)
            #expect(error?.message.hasPrefix(folder + "/aaa111_latin1.sql line 2: the file is not valid UTF-8 (byte 0xE9") == true,
                    "\(error?.message ?? "")")
        }
    }

    /// SQLite stops reading a statement at a NUL byte: the rest of the section would be
    /// skipped without a word, so the file is refused.
    @Test func aNULByteNamesTheFileAndLine() throws {
        try Support.withTemporaryFolder { folder in
            var bytes = Array("-- revision: aaa111\n\n-- +upgrade\nCREATE TABLE n (x);".utf8)
            bytes += [0]
            bytes += Array("INSERT INTO n VALUES (1);\n".utf8)
            try Data(bytes).write(to: URL(fileURLWithPath: folder + "/aaa111_nul.sql"))
            let error = Support.error { _ = try ScriptDirectory.load(folder) }
            #expect(error?.code == .invalidScript)
            #expect(error?.message.hasPrefix(folder + "/aaa111_nul.sql line 4: the file holds a NUL byte (offset 52)") == true,
                    "\(error?.message ?? "")")
        }
    }

    @Test func unreadableFileIsAnIOErrorNamingIt() throws {
        try Support.withTemporaryFolder { folder in
            // A dangling symbolic link cannot be read, even by root (chmod would not stop root).
            try FileManager.default.createSymbolicLink(atPath: folder + "/aaa111_gone.sql",
                                                       withDestinationPath: folder + "/nowhere.sql")
            let error = Support.error { _ = try ScriptDirectory.load(folder) }
            #expect(error?.code == .io)
            #expect(error?.message.hasPrefix("Migration script '\(folder)/aaa111_gone.sql' could not be read") == true,
                    "\(error?.message ?? "")")
        }
    }
}
