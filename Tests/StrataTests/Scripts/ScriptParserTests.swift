import Testing
@testable import Strata

@Suite struct ScriptParserTests {
    static let example = """
        -- revision: 1717fa5c6545
        -- revises: add_time_us_cols
        -- message: Add example table
        -- created: 2025-10-26T20:59:04Z

        -- +upgrade
        CREATE TABLE example (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL);
        CREATE INDEX idx_example_name ON example (name);

        -- +downgrade
        DROP INDEX idx_example_name;
        DROP TABLE example;

        """

    @Test func parsesTheSpecExample() throws {
        let script = try ScriptParser.parse(Self.example, file: "Migrations/1717fa5c6545_add_example_table.sql")
        #expect(script.id == "1717fa5c6545")
        #expect(script.node.revises == ["add_time_us_cols"])
        #expect(script.node.dependsOn.isEmpty)
        #expect(script.node.branchLabels.isEmpty)
        #expect(script.node.origin == "Migrations/1717fa5c6545_add_example_table.sql")
        #expect(script.message == "Add example table")
        #expect(script.created == "2025-10-26T20:59:04Z")
        #expect(script.transactional)
        #expect(script.upgrade.sql == """
            CREATE TABLE example (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL);
            CREATE INDEX idx_example_name ON example (name);


            """)
        #expect(script.downgrade?.sql == "DROP INDEX idx_example_name;\nDROP TABLE example;\n")
        #expect(script.file == "Migrations/1717fa5c6545_add_example_table.sql")
        #expect(script.source == Self.example)
        #expect(script.checksum == ScriptChecksum.hex(of: Self.example))
        #expect(script.upgradeLine == 7)
        #expect(script.downgradeLine == 11)
    }

    @Test func headerIsTheTruthNotTheFileName() throws {
        let script = try ScriptParser.parse(Self.example, file: "Migrations/0000aaaa_other_name.sql")
        #expect(script.id == "1717fa5c6545")
    }

    @Test func absentOrEmptyRevisesMeansBase() throws {
        let absent = try ScriptParser.parse("-- revision: a1\n-- +upgrade\n", file: "a.sql")
        let empty = try ScriptParser.parse("-- revision: a1\n-- revises:\n-- +upgrade\n", file: "a.sql")
        #expect(absent.node.revises.isEmpty)
        #expect(empty.node.revises.isEmpty)
        #expect(absent.message == "")
        #expect(absent.created == nil)
    }

    @Test func listsAreSpaceSeparated() throws {
        let script = try ScriptParser.parse("""
            -- revision: merge_1
            -- revises: ae1027a6acf   27c6a30d7c24\t3cac04ae8714
            -- depends-on: 55af2cb1c267 networking
            -- branch-labels: shopping_cart mobile
            -- +upgrade
            """, file: "m.sql")
        #expect(script.node.revises == ["ae1027a6acf", "27c6a30d7c24", "3cac04ae8714"])
        #expect(script.node.dependsOn == ["55af2cb1c267", "networking"])
        #expect(script.node.branchLabels == ["shopping_cart", "mobile"])
    }

    @Test func transactionFlag() throws {
        let off = try ScriptParser.parse("-- revision: a1\n-- transaction: false\n-- +upgrade\nVACUUM;\n", file: "a.sql")
        let on = try ScriptParser.parse("-- revision: a1\n-- transaction: true\n-- +upgrade\n", file: "a.sql")
        #expect(!off.transactional)
        #expect(on.transactional)
    }

    @Test func messageKeepsColonsAndTrimsOnlyTheEnds() throws {
        let script = try ScriptParser.parse("-- revision: a1\n-- message:   Fix: a:b  \t\n-- +upgrade\n", file: "a.sql")
        #expect(script.message == "Fix: a:b")
    }

    @Test func blankLinesAndTrailingWhitespaceInTheHeader() throws {
        let script = try ScriptParser.parse("\n\n-- revision: a1  \n   \n\t\n-- revises: b2\t\n\n-- +upgrade  \t\nSELECT 1;\n", file: "a.sql")
        #expect(script.id == "a1")
        #expect(script.node.revises == ["b2"])
        #expect(script.upgrade.sql == "SELECT 1;\n")
        #expect(script.upgradeLine == 9)
    }

    @Test func emptyUpgradeSectionIsANoOp() throws {
        let merge = try ScriptParser.parse("-- revision: m1\n-- revises: a1 b2\n\n-- +upgrade\n-- +downgrade\n", file: "m.sql")
        #expect(merge.upgrade.sql == "")
        #expect(merge.downgrade?.sql == "")
        let atEnd = try ScriptParser.parse("-- revision: m1\n-- +upgrade", file: "m.sql")
        #expect(atEnd.upgrade.sql == "")
        #expect(atEnd.downgrade == nil)
    }

    @Test func missingDowngradeIsNilAndEmptyDowngradeIsEmptySQL() throws {
        let missing = try ScriptParser.parse("-- revision: a1\n-- +upgrade\nCREATE TABLE t (x);\n", file: "a.sql")
        #expect(missing.downgrade == nil)
        #expect(missing.downgradeLine == nil)
        let empty = try ScriptParser.parse("-- revision: a1\n-- +upgrade\nCREATE TABLE t (x);\n-- +downgrade\n", file: "a.sql")
        #expect(empty.downgrade?.sql == "")
        #expect(empty.upgrade.sql == "CREATE TABLE t (x);\n")
    }

    @Test func triggerBodiesAndLiteralsWithSemicolonsAndDashesAreKeptWhole() throws {
        let upgrade = """
            CREATE TRIGGER trg AFTER INSERT ON packet BEGIN
                UPDATE node SET note = 'a; b -- not a comment' WHERE id = NEW.id; -- real comment; here
                INSERT INTO log VALUES ('x;y', "col--name", [odd;name]);
            END;
            /* block; comment -- still */ SELECT ';--';

            """
        let script = try ScriptParser.parse("-- revision: t1\n-- +upgrade\n" + upgrade + "-- +downgrade\nDROP TRIGGER trg;\n", file: "t.sql")
        #expect(script.upgrade.sql == upgrade)
        #expect(script.downgrade?.sql == "DROP TRIGGER trg;\n")
    }

    @Test func markerInsideAMultiLineStringLiteralIsSQL() throws {
        let upgrade = "INSERT INTO notes VALUES ('first line\n-- +downgrade\nlast line');\n"
        let script = try ScriptParser.parse("-- revision: s1\n-- +upgrade\n" + upgrade + "-- +downgrade\nDELETE FROM notes;\n", file: "s.sql")
        #expect(script.upgrade.sql == upgrade)
        #expect(script.downgrade?.sql == "DELETE FROM notes;\n")
        #expect(script.downgradeLine == 7)
    }

    @Test func markerInsideABlockCommentOrQuotedIdentifierIsSQL() throws {
        let upgrade = "/* notes\n-- +downgrade\n*/\nCREATE TABLE \"odd\n-- +upgrade\nname\" (x);\n"
        let script = try ScriptParser.parse("-- revision: s1\n-- +upgrade\n" + upgrade, file: "s.sql")
        #expect(script.upgrade.sql == upgrade)
        #expect(script.downgrade == nil)
    }

    @Test func escapedQuotesDoNotConfuseMarkerDetection() throws {
        let script = try ScriptParser.parse("-- revision: q1\n-- +upgrade\nINSERT INTO t VALUES ('it''s');\n-- +downgrade\nDELETE FROM t;\n", file: "q.sql")
        #expect(script.upgrade.sql == "INSERT INTO t VALUES ('it''s');\n")
        #expect(script.downgrade?.sql == "DELETE FROM t;\n")
    }

    @Test func indentedMarkerIsOnlyAComment() throws {
        let script = try ScriptParser.parse("-- revision: i1\n-- +upgrade\nSELECT 1;\n  -- +downgrade\n", file: "i.sql")
        #expect(script.downgrade == nil)
        #expect(script.upgrade.sql == "SELECT 1;\n  -- +downgrade\n")
    }

    @Test func crlfFilesKeepTheirBytesAndParse() throws {
        let text = Self.example.replacingOccurrences(of: "\n", with: "\r\n")
        let script = try ScriptParser.parse(text, file: "c.sql")
        #expect(script.id == "1717fa5c6545")
        #expect(script.created == "2025-10-26T20:59:04Z")
        #expect(script.downgrade?.sql == "DROP INDEX idx_example_name;\r\nDROP TABLE example;\r\n")
        #expect(script.checksum == ScriptChecksum.hex(of: Self.example))
        #expect(script.upgradeLine == 7)
    }

    @Test func loneCRLineEndingsParse() throws {
        let script = try ScriptParser.parse("-- revision: r1\r-- +upgrade\rSELECT 1;\r-- +downgrade\rSELECT 2;", file: "r.sql")
        #expect(script.upgrade.sql == "SELECT 1;\r")
        #expect(script.downgrade?.sql == "SELECT 2;")
    }

    @Test func byteOrderMarkIsIgnored() throws {
        let script = try ScriptParser.parse("\u{FEFF}" + Self.example, file: "b.sql")
        #expect(script.id == "1717fa5c6545")
        #expect(script.checksum == ScriptChecksum.hex(of: Self.example))
        #expect(script.source == "\u{FEFF}" + Self.example)
    }
}
