import Testing
@testable import Strata

/// Alembic test_version_traversal.py BranchedPathTest:
/// a -> b -> c1 (c1branch) -> d1, and b -> c2 (c2branch) -> d2.
@Suite("Graph plans across a branch point")
struct GraphBranchedPathTests {
    let g: RevisionGraph
    init() throws { g = try makeGraph("a b:a c1:b#c1branch d1:c1 c2:b#c2branch d2:c2") }

    func up(_ target: String, from current: [String]) throws -> ([String], [String]) {
        let plan = try g.upgradePlan(current: current, target: target)
        return (revisions(plan), finalHeads(plan, from: current))
    }

    func down(_ target: String, from current: [String]) throws -> ([String], [String]) {
        let plan = try g.downgradePlan(current: current, target: target)
        return (revisions(plan), finalHeads(plan, from: current))
    }

    @Test func upgradeSingleBranch() throws {
        #expect(try up("d1", from: ["b"]) == (["c1", "d1"], ["d1"]))
    }

    @Test func upgradeEveryBranch() throws {
        #expect(try up("heads", from: ["a"]) == (["b", "c2", "d2", "c1", "d1"], ["d1", "d2"]))
        let plan = try g.upgradePlan(current: ["a"], target: "heads")
        // A branch step adds a row: after c1 both lines are in the table.
        #expect(plan[3] == MigrationStep(revision: "c1", direction: .upgrade, headsBefore: ["d2"], headsAfter: ["c1", "d2"]))
    }

    @Test func downgradeEveryBranch() throws {
        #expect(try down("a", from: ["d1", "d2"]) == (["d1", "c1", "d2", "c2", "b"], ["a"]))
    }

    @Test func relativeOnALabelledBranch() throws {
        #expect(try up("c2branch@head-1", from: ["b"]) == (["c2"], ["c2"]))
        #expect(try up("c2branch@+1", from: ["c1"]) == (["c2"], ["c1", "c2"]))
        #expect(try up("c2branch@+1", from: ["c1", "c2"]) == (["d2"], ["c1", "d2"]))
        #expect(try up("base+1", from: []) == (["a"], ["a"]))
        #expect(try up("+1", from: []) == (["a"], ["a"]))
    }

    @Test func ambiguousRelativeUpgrade() throws {
        let error = strataError { try g.upgradePlan(current: ["c1", "c2"], target: "+1") }
        #expect(error?.code == .ambiguousTarget)
        #expect(error?.message.contains("the database has 2 heads (c1 (label: c1branch), c2 (label: c2branch))") == true)
    }

    @Test func downgradeBasePlusN() throws {
        #expect(try down("base+2", from: ["d2", "d1"]) == (["d1", "c1", "d2", "c2"], ["b"]))
        // Only c2branch goes back to base+2 = b (alembic PR 763).
        #expect(try down("c2branch@base+2", from: ["d2", "d1"]) == (["d2", "c2"], ["d1"]))
        #expect(try down("c2branch@base+3", from: ["d2", "d1"]) == (["d2"], ["c2", "d1"]))
        #expect(try down("c2", from: ["d2", "d1"]) == (["d2"], ["c2", "d1"]))
    }

    @Test func downgradeMinusOneWithSeveralHeadsIsAnError() throws {
        // Alembic only warns and picks the first row; Strata refuses and names the heads.
        let error = strataError { try g.downgradePlan(current: ["d2", "d1"], target: "-1") }
        #expect(error?.code == .ambiguousTarget)
        #expect(error?.message.contains("the database has 2 heads") == true)
        #expect(try down("-1", from: ["a"]) == (["a"], []))
    }

    @Test func downgradeOneLabelledBranch() throws {
        #expect(try down("c1branch@-1", from: ["d1", "d2"]) == (["d1"], ["c1", "d2"]))
        #expect(try down("d2-1", from: ["d2", "c1"]) == (["d2"], ["c1", "c2"]))
        #expect(try down("c1branch@b", from: ["c1", "d2"]) == (["c1"], ["d2"]))
        #expect(try down("c2branch@b", from: ["c1", "d2"]) == (["d2", "c2"], ["c1"]))
        #expect(try down("c2@b", from: ["d1", "d2"]) == (["d2", "c2"], ["d1"]))
        #expect(try down("d1@b", from: ["d1", "d2"]) == (["d1", "c1"], ["d2"]))
        #expect(try down("c1branch@head-1", from: ["d1", "d2"]) == (["d1"], ["c1", "d2"]))
    }

    @Test func downgradeLabelToBaseRevertsOnlyThatBranch() throws {
        #expect(try down("c2branch@base", from: ["d1", "d2"]) == (["d2", "c2"], ["d1"]))
        #expect(try down("c1branch@base", from: ["d1", "c2"]) == (["d1", "c1"], ["c2"]))
        let forest = try makeGraph("x1#x x2:x1 y1#y y2:y1")
        #expect(try forest.downgradePlan(current: ["x2", "y2"], target: "x@base").map(\.revision) == ["x2", "x1"])
    }

    @Test func downgradeWithNoEffect() throws {
        #expect(try down("c2", from: ["d1", "c2"]) == ([], ["c2", "d1"]))
        #expect(try down("d1", from: ["d1", "c2"]) == ([], ["c2", "d1"]))
    }

    @Test func stampAcrossBranches() throws {
        #expect(try g.stampHeads(current: ["d1", "c2"], targets: ["b"], purge: false) == ["b"])
        #expect(try g.stampHeads(current: ["d1", "c2"], targets: ["c1branch@base"], purge: false) == ["c2"])
        #expect(try g.stampHeads(current: ["d1", "c2"], targets: ["c2branch@head"], purge: false) == ["d1", "d2"])
        #expect(try g.stampHeads(current: ["d1"], targets: ["c2"], purge: false) == ["c2", "d1"])
        #expect(try g.stampHeads(current: ["d1", "d2"], targets: ["c1", "c2"], purge: true) == ["c1", "c2"])
        #expect(try g.stampHeads(current: ["d1", "d2"], targets: ["base"], purge: false) == [])
    }
}
