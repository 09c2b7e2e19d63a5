import Testing
@testable import Strata

/// Alembic test_version_traversal.py RevisionPathTest: a -> b -> c -> d -> e.
@Suite("Graph plans on a linear chain")
struct GraphLinearPathTests {
    let g: RevisionGraph
    init() throws { g = try makeGraph("a b:a c:b d:c e:d") }

    func up(_ target: String, from current: [String]) throws -> ([String], [String]) {
        let plan = try g.upgradePlan(current: current, target: target)
        #expect(plan.allSatisfy { $0.direction == .upgrade })
        return (revisions(plan), finalHeads(plan, from: current))
    }

    func down(_ target: String, from current: [String]) throws -> ([String], [String]) {
        let plan = try g.downgradePlan(current: current, target: target)
        #expect(plan.allSatisfy { $0.direction == .downgrade })
        return (revisions(plan), finalHeads(plan, from: current))
    }

    @Test func upgradePath() throws {
        #expect(try up("e", from: ["c"]) == (["d", "e"], ["e"]))
        #expect(try up("c", from: []) == (["a", "b", "c"], ["c"]))
        #expect(try up("head", from: ["e"]) == ([], ["e"]))
    }

    @Test func stepsRecordTheVersionTable() throws {
        let plan = try g.upgradePlan(current: [], target: "b")
        #expect(plan == [
            MigrationStep(revision: "a", direction: .upgrade, headsBefore: [], headsAfter: ["a"]),
            MigrationStep(revision: "b", direction: .upgrade, headsBefore: ["a"], headsAfter: ["b"]),
        ])
    }

    @Test func relativeUpgradePath() throws {
        #expect(try up("+2", from: ["a"]) == (["b", "c"], ["c"]))
        #expect(try up("+1", from: ["a"]) == (["b"], ["b"]))
        #expect(try up("+3", from: ["b"]) == (["c", "d", "e"], ["e"]))
        #expect(try up("b+2", from: ["a"]) == (["b", "c", "d"], ["d"]))
        #expect(try up("d-2", from: ["a"]) == (["b"], ["b"]))
    }

    @Test func invalidRelativeUpgrade() throws {
        #expect(strataError { try g.upgradePlan(current: ["b"], target: "-2") }?.code == .usage)
        #expect(strataError { try g.upgradePlan(current: ["b"], target: "+5") }?.message.contains("needs 5 steps up from b") == true)
    }

    @Test func downgradePath() throws {
        #expect(try down("c", from: ["e"]) == (["e", "d"], ["c"]))
        #expect(try down("base", from: ["c"]) == (["c", "b", "a"], []))
        #expect(try down("base", from: []) == ([], []))
    }

    @Test func downgradeToWhereWeAre() throws {
        // Alembic #838 / #839.
        #expect(try down("a", from: ["a"]) == ([], ["a"]))
        #expect(try down("e", from: ["e"]) == ([], ["e"]))
    }

    @Test func relativeDowngradePath() throws {
        #expect(try down("-1", from: ["c"]) == (["c"], ["b"]))
        #expect(try down("-3", from: ["e"]) == (["e", "d", "c"], ["b"]))
        #expect(try down("a+2", from: ["d"]) == (["d"], ["c"]))
        #expect(try down("c-2", from: ["d"]) == (["d", "c", "b"], ["a"]))
    }

    @Test func invalidRelativeDowngrade() throws {
        #expect(strataError { try g.downgradePlan(current: ["b"], target: "-5") }?.message.contains("needs 5 steps down from b") == true)
        #expect(strataError { try g.downgradePlan(current: ["b"], target: "+2") }?.code == .usage)
        #expect(strataError { try g.downgradePlan(current: [], target: "-1") }?.message.contains("the database is at base") == true)
    }

    @Test func downgradeTargetAboveCurrentIsRejected() throws {
        let error = strataError { try g.downgradePlan(current: ["b"], target: "c") }
        #expect(error?.code == .unknownTarget)
        #expect(error?.message.contains("c (Migrations/c.sql) is not applied") == true)
    }

    @Test func stampLinear() throws {
        #expect(try g.stampHeads(current: ["d"], targets: ["base"], purge: false) == [])
        #expect(try g.stampHeads(current: ["d"], targets: ["b"], purge: false) == ["b"])
        #expect(try g.stampHeads(current: ["b"], targets: ["head"], purge: false) == ["e"])
        #expect(try g.stampHeads(current: ["zzz"], targets: ["c"], purge: true) == ["c"])
        #expect(strataError { try g.stampHeads(current: ["zzz"], targets: ["c"], purge: false) }?.code == .unknownTarget)
    }

    @Test func appliedRevisions() throws {
        #expect(try g.appliedRevisions(heads: ["c"]) == ["a", "b", "c"])
        #expect(try g.appliedRevisions(heads: []) == [])
    }
}
