import Testing
@testable import Strata

/// Merge points: Alembic test_version_traversal.py MergedPathTest, BranchFromMergepointTest,
/// BranchFrom3WayMergepointTest, TwinMergeTest, NotQuiteTwinMergeTest and ForestTest.
@Suite("Graph plans across merge points")
struct GraphMergePointTests {
    @Test func upgradeAndDowngradeAcrossAMerge() throws {
        let g = try makeGraph("a b:a c1:b d1:c1 c2:b#c2branch d2:c2 e:d1,d2 f:e")
        let up = try g.upgradePlan(current: ["b"], target: "f")
        #expect(revisions(up) == ["c2", "d2", "c1", "d1", "e", "f"])
        // The merge step replaces two rows with one.
        #expect(up[4] == MigrationStep(revision: "e", direction: .upgrade, headsBefore: ["d1", "d2"], headsAfter: ["e"]))
        let down = try g.downgradePlan(current: ["f"], target: "b")
        #expect(revisions(down) == ["f", "e", "d1", "c1", "d2", "c2"])
        // Reverting the merge brings both rows back.
        #expect(down[1].headsAfter == ["d1", "d2"])
        #expect(down.last?.headsAfter == ["b"])
    }

    @Test func stampAcrossAMerge() throws {
        let g = try makeGraph("a b:a c1:b d1:c1 c2:b#c2branch d2:c2 e:d1,d2 f:e")
        #expect(try g.stampHeads(current: ["e"], targets: ["c2"], purge: false) == ["c2"])
        #expect(try g.stampHeads(current: ["e"], targets: ["a"], purge: false) == ["a"])
        #expect(try g.stampHeads(current: ["c2"], targets: ["e"], purge: false) == ["e"])
        #expect(try g.stampHeads(current: ["d1", "c2"], targets: ["c2branch@head"], purge: false) == ["f"])
        #expect(try g.stampHeads(current: ["d1", "c2"], targets: ["e"], purge: false) == ["e"])
        #expect(try g.stampHeads(current: ["b"], targets: ["e"], purge: false) == ["e"])
    }

    @Test func downgradeBelowAMergeKeepsTheOtherSide() throws {
        let g = try makeGraph("a1 b1:a1 c1:b1 a2 b2:a2 c2:b2 d1:c1,c2 d2:c2")
        let up = try g.upgradePlan(current: ["d2", "b1"], target: "d1")
        #expect(revisions(up) == ["c1", "d1"])
        #expect(up.last?.headsAfter == ["d1", "d2"])
        let down = try g.downgradePlan(current: ["d2", "d1"], target: "b1")
        #expect(revisions(down) == ["d1", "c1"])
        #expect(down.map(\.headsAfter) == [["c1", "d2"], ["b1", "d2"]])
    }

    @Test func threeWayMerge() throws {
        let g = try makeGraph("a1 b1:a1 c1:b1 a2 b2:a2 c2:b2 a3 b3:a3 c3:b3 d1:c1,c2,c3 d2:c2 d3:c3")
        let one = try g.upgradePlan(current: ["d3", "d2", "b1"], target: "d1")
        #expect(revisions(one) == ["c1", "d1"])
        #expect(one.last?.headsAfter == ["d1", "d2", "d3"])
        let two = try g.upgradePlan(current: ["d3", "b2", "b1"], target: "d1")
        #expect(revisions(two) == ["c2", "c1", "d1"])
        #expect(two.last?.headsAfter == ["d1", "d3"])
        // ... and b2's line breaks out again when it keeps going.
        let three = try g.upgradePlan(current: ["d3", "d1"], target: "d2")
        #expect(three.last?.headsAfter == ["d1", "d2", "d3"])
        let down = try g.downgradePlan(current: ["d3", "d2", "d1"], target: "b1")
        #expect(revisions(down) == ["d1", "c1"])
        #expect(down.last?.headsAfter == ["b1", "d2", "d3"])
    }

    @Test func twinMerge() throws {
        // Alembic #297: the version table after each step of a fixed order.
        let g = try makeGraph("a b1:a b2:a b3:a c1:b1,b2,b3 c2:b1,b2,b3 d1:c1 d2:c2")
        let order = ["b3", "b1", "b2", "c2", "d2", "c1", "d1"].map { g.topo.index[$0]! }
        let steps = g.steps(.upgrade, order: order, current: ["a"], applied: try Set(g.appliedRevisions(heads: ["a"]).map { g.topo.index[$0]! }))
        #expect(steps.map(\.headsAfter) == [["b3"], ["b1", "b3"], ["b1", "b2", "b3"], ["c2"], ["d2"], ["c1", "d2"], ["d1", "d2"]])
    }

    @Test func notQuiteTwinMerge() throws {
        let g = try makeGraph("a b1:a b2:a b3:a c1:b1,b2 c2:b2,b3 d1:c1 d2:c2")
        let order = ["b2", "b3", "c2", "d2", "b1", "c1", "d1"].map { g.topo.index[$0]! }
        let steps = g.steps(.upgrade, order: order, current: ["a"], applied: [g.topo.index["a"]!])
        #expect(steps.map(\.headsAfter) == [["b2"], ["b2", "b3"], ["c2"], ["d2"], ["b1", "d2"], ["c1", "d2"], ["d1", "d2"]])
    }

    @Test func forestOfTwoBases() throws {
        let g = try makeGraph("a1 b1:a1 a2 b2:a2")
        #expect(revisions(try g.upgradePlan(current: [], target: "heads")) == ["a2", "b2", "a1", "b1"])
        #expect(try g.stampHeads(current: [], targets: ["heads"], purge: false) == ["b1", "b2"])
        #expect(try g.stampHeads(current: ["b1", "b2"], targets: ["heads"], purge: false) == ["b1", "b2"])
        #expect(try g.stampHeads(current: ["a1", "a2"], targets: ["heads"], purge: false) == ["b1", "b2"])
        let error = strataError { try g.upgradePlan(current: [], target: "head") }
        #expect(error?.code == .multipleHeads)
    }

    @Test func plansAreValidTopologicalOrders() throws {
        let g = try makeGraph("a1 a2:a1 a3:a2 b1:a3 b2:a3 cb1:b1 cb2:b2 db1:cb1 db2:cb2 e1b1:db1 fe1b1:e1b1 e2b1:db1 e2b2:db2 merge:e2b1,e2b2")
        let plan = revisions(try g.upgradePlan(current: [], target: "heads"))
        #expect(plan.count == 14)
        for (i, id) in plan.enumerated() {
            for parent in g.node(id)!.revises { #expect(plan.firstIndex(of: parent)! < i) }
        }
        #expect(Array(try g.downgradePlan(current: ["merge", "fe1b1"], target: "base").map(\.revision).reversed()) != [])
    }
}
