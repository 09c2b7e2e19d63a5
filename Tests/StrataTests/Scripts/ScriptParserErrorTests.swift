import Testing
@testable import Strata

@Suite struct ScriptParserErrorTests {
    typealias Support = ScriptTestSupport

    @Test func unknownKeyListsTheKnownKeys() {
        let error = Support.expectInvalid("-- revision: 1717fa5c6545\n\n-- revison: x\n-- +upgrade\n", line: 3,
                                          contains: "unknown header key 'revison'")
        #expect(error?.message == "Migrations/1717_add.sql line 3 (revision 1717fa5c6545): unknown header key 'revison' (known keys: revision, revises, depends-on, branch-labels, message, created, transaction).")
    }

    @Test func keysAreCaseSensitive() {
        Support.expectInvalid("-- Revision: a1\n-- +upgrade\n", line: 1, contains: "unknown header key 'Revision'")
    }

    @Test func duplicateKeyNamesBothLines() {
        Support.expectInvalid("-- revision: a1\n-- revises: b2\n-- message: x\n-- revises: c3\n-- +upgrade\n", line: 4,
                              contains: "duplicate header key 'revises' (first given on line 2)")
    }

    @Test func missingUpgradeMarker() {
        Support.expectInvalid("-- revision: a1\n\nCREATE TABLE t (x);\n", line: 3, contains: "without a '-- +upgrade' line")
        Support.expectInvalid("", line: 1, contains: "without a '-- +upgrade' line")
        // "+upgrade" must be the whole line.
        Support.expectInvalid("-- revision: a1\n-- +upgrade now\nSELECT 1;\n", line: 3, contains: "without a '-- +upgrade' line")
    }

    @Test func missingRevisionKey() {
        Support.expectInvalid("-- message: hi\n\n-- +upgrade\n", line: 3, contains: "the header has no 'revision' key")
    }

    @Test func badRevisionIds() {
        Support.expectInvalid("-- revision: 1717-fa5c\n-- +upgrade\n", line: 1, contains: "revision id '1717-fa5c' is not valid")
        Support.expectInvalid("-- revision:\n-- +upgrade\n", line: 1, contains: "revision id is empty")
        Support.expectInvalid("-- revision: a1 b2\n-- +upgrade\n", line: 1, contains: "revision id 'a1 b2' is not valid")
        Support.expectInvalid("-- revision: café\n-- +upgrade\n", line: 1, contains: "is not valid")
    }

    @Test func badListEntries() {
        Support.expectInvalid("-- revision: a1\n-- revises: b2 c-3\n-- +upgrade\n", line: 2,
                              contains: "'revises' entry 'c-3' is not valid")
        Support.expectInvalid("-- revision: a1\n-- revises: b2 b2\n-- +upgrade\n", line: 2, contains: "lists 'b2' twice")
        Support.expectInvalid("-- revision: a1\n-- depends-on: x,y\n-- +upgrade\n", line: 2,
                              contains: "'depends-on' entry 'x,y' is not valid")
        Support.expectInvalid("-- revision: a1\n-- branch-labels: heads\n-- +upgrade\n", line: 2,
                              contains: "'branch-labels' entry 'heads' is not valid")
    }

    @Test func badTransactionValue() {
        Support.expectInvalid("-- revision: a1\n-- transaction: no\n-- +upgrade\n", line: 2,
                              contains: "transaction must be 'true' or 'false', not 'no'")
        Support.expectInvalid("-- revision: a1\n-- transaction: TRUE\n-- +upgrade\n", line: 2, contains: "not 'TRUE'")
    }

    @Test func textBeforeTheUpgradeMarker() {
        Support.expectInvalid("-- revision: a1\nCREATE TABLE t (x);\n-- +upgrade\n", line: 2,
                              contains: "found text 'CREATE TABLE t (x);' before '-- +upgrade'")
        Support.expectInvalid("-- revision: a1\n/* a comment */\n-- +upgrade\n", line: 2, contains: "before '-- +upgrade'")
    }

    @Test func headerCommentWithoutKey() {
        Support.expectInvalid("-- revision: a1\n-- just a note\n-- +upgrade\n", line: 2,
                              contains: "expected a header line '-- key: value'")
    }

    @Test func misspelledMarker() {
        Support.expectInvalid("-- revision: a1\n-- +upgrde\n-- +upgrade\n", line: 2, contains: "is not a section marker")
    }

    @Test func downgradeBeforeUpgrade() {
        Support.expectInvalid("-- revision: a1\n-- +downgrade\nDROP TABLE t;\n-- +upgrade\nCREATE TABLE t (x);\n", line: 2,
                              contains: "'-- +downgrade' comes before '-- +upgrade'")
    }

    @Test func secondUpgradeMarker() {
        let error = Support.expectInvalid("-- revision: a1\n-- +upgrade\nSELECT 1;\n-- +upgrade\n", line: 4,
                                          contains: "a second '-- +upgrade' line (the first is on line 2)")
        #expect(error?.message.contains("(revision a1)") == true)
    }

    @Test func secondDowngradeMarker() {
        Support.expectInvalid("-- revision: a1\n-- +upgrade\n-- +downgrade\nSELECT 1;\n-- +downgrade  \n", line: 5,
                              contains: "a second '-- +downgrade' line (the first is on line 3)")
    }

    @Test func markerSwallowedByAnUnclosedQuoteIsReported() {
        Support.expectInvalid("-- revision: a1\n-- +upgrade\nINSERT INTO t VALUES ('oops);\n\n-- +downgrade\nDELETE FROM t;\n",
                              line: 5, contains: "is inside a string literal opened on line 3 that never closes")
    }

    @Test func errorLinesCountCRLFAndBOMCorrectly() {
        Support.expectInvalid("\u{FEFF}-- revision: a1\r\n\r\n-- bogus: 1\r\n-- +upgrade\r\n", line: 3,
                              contains: "unknown header key 'bogus'")
    }
}
