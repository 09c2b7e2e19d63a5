import Testing
@testable import Strata

@Suite struct SwiftRevisionTests {
    @Test func buildsASwiftRevision() throws {
        let script = try MigrationScript.swift(id: "3c1d9e0f7a42", revises: ["9f3b1a8d2c4f"], dependsOn: ["c88468b7ab0b"],
                                               branchLabels: ["data"], message: "Backfill node names", checksumSeed: "v1",
                                               transactional: false, upgrade: { _ in }, downgrade: { _ in })
        #expect(script.id == "3c1d9e0f7a42")
        #expect(script.node.revises == ["9f3b1a8d2c4f"])
        #expect(script.node.dependsOn == ["c88468b7ab0b"])
        #expect(script.node.branchLabels == ["data"])
        #expect(script.node.origin == "Swift revision 3c1d9e0f7a42")
        #expect(script.message == "Backfill node names")
        #expect(!script.transactional)
        #expect(script.file == nil)
        #expect(script.source == nil)
        #expect(script.checksum == ScriptChecksum.hex(of: "v1"))
        if case .swift = script.upgrade {} else { Issue.record("upgrade should be Swift code") }
        #expect(script.downgrade != nil)
    }

    @Test func withoutSeedOrDowngrade() throws {
        let script = try MigrationScript.swift(id: "a1", upgrade: { _ in })
        #expect(script.checksum == nil)
        #expect(script.downgrade == nil)
        #expect(script.node.revises.isEmpty)
        #expect(script.transactional)
    }

    @Test func changingTheSeedChangesTheChecksum() throws {
        let one = try MigrationScript.swift(id: "a1", checksumSeed: "v1", upgrade: { _ in })
        let two = try MigrationScript.swift(id: "a1", checksumSeed: "v2", upgrade: { _ in })
        #expect(one.checksum != two.checksum)
    }

    @Test func invalidNamesAreRejected() {
        let badID = ScriptTestSupport.error { _ = try MigrationScript.swift(id: "not-valid", upgrade: { _ in }) }
        #expect(badID?.code == .invalidScript)
        #expect(badID?.message.hasPrefix("Swift revision not-valid: the id is not valid") == true)
        let badParent = ScriptTestSupport.error { _ = try MigrationScript.swift(id: "a1", revises: ["b 2"], upgrade: { _ in }) }
        #expect(badParent?.message == "Swift revision a1: 'revises' entry 'b 2' is not valid (letters, digits and _ only).")
        let badLabel = ScriptTestSupport.error { _ = try MigrationScript.swift(id: "a1", branchLabels: ["head"], upgrade: { _ in }) }
        #expect(badLabel?.message.contains("branch label 'head' is not valid") == true)
    }
}
