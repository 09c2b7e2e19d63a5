import Testing
@testable import Strata

/// depends-on: Alembic test_version_traversal.py DependsOnBranchTest* and
/// BranchedPathTestCrossDependencies. A dependency is applied first; its row is absorbed by
/// the dependant (like a parent's), and reappears when the dependant is reverted.
@Suite("Graph depends-on")
struct GraphDependsOnTests {
    @Test func downgradeToADependency() throws {
        let g = try makeGraph("a1#lib1 b1:a1 c1:b1 a2 b2:a2 c2:b2+c1 d1:c1 e1:d1 f1:e1")
        let plan = try g.downgradePlan(current: ["c2", "d1"], target: "c1")
        #expect(revisions(plan) == ["d1"])
        #expect(plan.last?.headsAfter == ["c2"])
        // Stamping below a dependency moves the dependant's row too.
        #expect(try g.stampHeads(current: ["e1", "c2"], targets: ["b1"], purge: false) == ["b1"])
    }

    @Test func crossDependencyUpgradeByLabel() throws {
        let g = try makeGraph("a1#lib1 b1:a1 c1:b1#c1lib a2 b2:a2 c2:b2+c1lib d1:c1 e1:d1 f1:e1")
        let plan = try g.upgradePlan(current: ["a2"], target: "c2")
        #expect(revisions(plan) == ["a1", "b1", "c1", "b2", "c2"])
        #expect(plan.last?.headsAfter == ["c2"])
    }

    @Test func downgradeWithManyMerges() throws {
        let g = try makeGraph("a1 a2 a3 amerge:a1,a2,a3 b1 b2 bmerge:b1,b2 c1 c2 c3 cmerge:c1,c2,c3 d1+a3,b2,c1")
        let first = try g.downgradePlan(current: ["amerge", "bmerge", "cmerge", "d1"], target: "b2")
        #expect(revisions(first) == ["bmerge"])
        // b2 is not a row: d1 implies it.
        #expect(first.last?.headsAfter == ["amerge", "b1", "cmerge", "d1"])
        let second = try g.downgradePlan(current: ["amerge", "d1", "b1", "cmerge"], target: "d1@base")
        #expect(revisions(second) == ["d1"])
        // b2 comes back as a row because nothing implies it any more.
        #expect(second.last?.headsAfter == ["amerge", "b1", "b2", "cmerge"])
        let third = try g.downgradePlan(current: ["amerge", "b1", "b2", "cmerge"], target: "base")
        #expect(revisions(third) == ["amerge", "a1", "b1", "b2", "cmerge", "c1", "a2", "a3", "c2", "c3"])
        #expect(third.last?.headsAfter == [])
    }

    @Test func downgradeOverCrissCross() throws {
        // Alembic #377.
        let g = try makeGraph("a1 a2:a1 b1 b2:b1+a2 b3:b2 a3:a2+b1")
        let plan = try g.downgradePlan(current: ["a3", "b2"], target: "b1")
        #expect(revisions(plan) == ["b2"])
        #expect(plan.last?.headsAfter == ["a3"])
    }

    @Test func dependsOnOwnParent() throws {
        // Alembic #843.
        let g = try makeGraph("a1 a2:a1+a1")
        #expect(revisions(try g.upgradePlan(current: [], target: "a2")) == ["a1", "a2"])
        let down = try g.downgradePlan(current: ["a2"], target: "a1")
        #expect(revisions(down) == ["a2"])
        #expect(down.last?.headsAfter == ["a1"])
    }

    @Test func dependenciesAreNormalized() throws {
        // Alembic #789: b3 still implies a3 through b2.
        let g = try makeGraph("a1 a2:a1 a3:a2 b1 b2:b1+a3 b3:b2 b4:b3+a3")
        let plan = try g.downgradePlan(current: ["b4"], target: "b3")
        #expect(revisions(plan) == ["b4"])
        #expect(plan.last?.headsAfter == ["b3"])
    }

    @Test func dependencyRowIsAbsorbedAndRestored() throws {
        // Alembic #1373.
        let g = try makeGraph("a1 b1+a1 bmerge:a1,b1")
        #expect(try g.upgradePlan(current: ["a1"], target: "b1").last?.headsAfter == ["b1"])
        #expect(try g.upgradePlan(current: ["b1"], target: "bmerge").last?.headsAfter == ["bmerge"])
        #expect(try g.downgradePlan(current: ["bmerge"], target: "a1").map(\.headsAfter) == [["b1"]])
        #expect(try g.downgradePlan(current: ["bmerge"], target: "b1").map(\.headsAfter) == [["b1"]])
    }

    @Test func fullyUpgradedHeadsDifferFromScriptHeads() throws {
        let g = try makeGraph("a1 b1+a1")
        #expect(g.heads == ["a1", "b1"])
        #expect(g.fullyUpgradedHeads == ["b1"])
        #expect(try g.upgradePlan(current: [], target: "heads").last?.headsAfter == ["b1"])
        #expect(g.versionTableHeads(applied: ["a1", "b1"]) == ["b1"])
    }

    @Test func downgradeIndependentBranch() throws {
        let g = try makeGraph("a b:a c1:b#c1branch d1:c1 c2:b#c2branch d2:c2+c1")
        let plan = try g.downgradePlan(current: ["d1", "d2"], target: "c2branch@b")
        #expect(revisions(plan) == ["d2", "c2"])
        #expect(plan.last?.headsAfter == ["d1"])
    }

    @Test func downgradeADependencyRevertsTheDependantFirst() throws {
        let g = try makeGraph("a b:a c1:b#c1branch d1:c1 c2:b#c2branch d2:c2+c1")
        let plan = revisions(try g.downgradePlan(current: ["d1", "d2"], target: "c1branch@b"))
        #expect(Set(plan) == ["c1", "d1", "d2"])
        #expect(plan.firstIndex(of: "d1")! < plan.firstIndex(of: "c1")!)
        #expect(plan.firstIndex(of: "d2")! < plan.firstIndex(of: "c1")!)
        #expect(try g.downgradePlan(current: ["d1", "d2"], target: "c1branch@b").last?.headsAfter == ["c2"])
    }

    @Test func effectiveHeadThroughADependency() throws {
        // test_revision MultipleBranchEffectiveHead.
        let g = try makeGraph("y1#y x1#x y2:y1+x1 x2:x1")
        #expect(revisions(try g.downgradePlan(current: ["x2", "y2"], target: "x@-1")) == ["x2"])
        #expect(revisions(try g.downgradePlan(current: ["x1", "y2"], target: "x@-1")) == ["y2", "x1"])
        #expect(revisions(try g.downgradePlan(current: ["y2"], target: "x@-1")) == ["y2", "x1"])
    }
}
