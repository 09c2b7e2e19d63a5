import Testing
@testable import Strata

@Suite("Graph validation")
struct GraphValidationTests {
    @Test func linearChainShape() throws {
        let g = try makeGraph("a b:a c:b")
        #expect(g.heads == ["c"])
        #expect(g.bases == ["a"])
        #expect(g.branchPoints == [])
        #expect(g.children(of: "a") == ["b"])
        #expect(g.node("b")?.revises == ["a"])
    }

    @Test func emptyGraphIsValid() throws {
        let g = try RevisionGraph([])
        #expect(g.heads.isEmpty)
        #expect(try g.upgradePlan(current: [], target: "heads").isEmpty)
        #expect(try g.history(range: nil, current: []).isEmpty)
    }

    @Test func branchesAndMergesShape() throws {
        // Alembic test_revision MultipleBranchTest.
        let g = try makeGraph("a b1:a b2:a cb1:b1 cb2:b2 d1cb1:cb1 d2cb1:cb1 d1cb2:cb2 d2cb2:cb2 d3cb2:cb2 d1d2cb2:d1cb2,d2cb2")
        #expect(g.heads == ["d1cb1", "d1d2cb2", "d2cb1", "d3cb2"])
        #expect(g.branchPoints == ["a", "cb1", "cb2"])
        #expect(g.children(of: "cb2") == ["d1cb2", "d2cb2", "d3cb2"])
    }

    @Test func dependencyTargetStaysAHead() throws {
        // MultipleBaseCrossDependencyTestOne.test_what_are_the_heads: depends-on does not
        // make the dependency stop being a head.
        let g = try makeGraph("base1#b_1 a1a:base1 a1b:base1 b1a:a1a b1b:a1b+a3 base2#b_2 a2:base2 b2:a2 c2:b2+a3 d2:c2 base3#b_3 a3:base3 b3:a3")
        #expect(g.heads == ["b1a", "b1b", "b3", "d2"])
        #expect(g.bases == ["base1", "base2", "base3"])
    }

    @Test func duplicateIdNamesBothFiles() throws {
        let nodes = [RevisionNode(id: "ae10", origin: "Migrations/ae10_a.sql"), RevisionNode(id: "ae10", origin: "Migrations/ae10_b.sql")]
        let error = strataError { try RevisionGraph(nodes) }
        #expect(error?.code == .invalidGraph)
        #expect(error?.message == "Revision ae10 is defined twice: in Migrations/ae10_a.sql and in Migrations/ae10_b.sql.")
    }

    @Test func duplicateBranchLabel() throws {
        // test_revision LabeledBranchTest.test_dupe_branch_collection.
        let error = strataError { try makeGraph("a b:a c:b#xy1 d e:d#xy1 f:e") }
        #expect(error?.code == .invalidGraph)
        #expect(error?.message.contains("Branch label 'xy1' is declared on both e (Migrations/e.sql) and c (Migrations/c.sql)") == true)
    }

    @Test func labelMayNotShadowARevisionId() throws {
        let error = strataError { try makeGraph("a b:a#a") }
        #expect(error?.code == .invalidGraph)
        #expect(error?.message.contains("also the id of revision a") == true)
    }

    @Test func missingParent() throws {
        let error = strataError { try makeGraph("a b:zz") }
        #expect(error?.code == .invalidGraph)
        #expect(error?.message == "Revision b (Migrations/b.sql) revises zz, which no script defines.")
    }

    @Test func missingDependency() throws {
        let error = strataError { try makeGraph("a b:a+nope") }
        #expect(error?.code == .invalidGraph)
        #expect(error?.message == "Revision b (Migrations/b.sql) depends on 'nope', which matches no revision id, prefix or branch label.")
    }

    @Test func dependencyByPrefixAndLabel() throws {
        let g = try makeGraph("abcdef#lib x x2:x+abcd y:x2+lib")
        #expect(try g.appliedRevisions(heads: ["y"]) == ["abcdef", "x", "x2", "y"])
    }

    @Test func ambiguousDependencyPrefix() throws {
        let error = strataError { try makeGraph("ab12cd ab12ef z+ab12") }
        #expect(error?.code == .invalidGraph)
        #expect(error?.message.contains("ab12cd, ab12ef") == true)
    }

    @Test func selfLoop() throws {
        let nodes = [RevisionNode(id: "ae10", revises: ["ae10"], origin: "Migrations/ae10_x.sql")]
        let error = strataError { try RevisionGraph(nodes) }
        #expect(error?.code == .invalidGraph)
        #expect(error?.message == "Revision ae10 is revised by itself in Migrations/ae10_x.sql.")
    }

    @Test func dependencySelfLoop() throws {
        let error = strataError { try makeGraph("a b:a+b") }
        #expect(error?.message == "Revision b depends on itself in Migrations/b.sql.")
    }

    @Test func cycleNamesItsRevisions() throws {
        // test_revision CycleTest shape: a base plus a loop b -> c -> d -> b.
        let error = strataError { try makeGraph("a b:a,d c:b d:c") }
        #expect(error?.code == .invalidGraph)
        let message = error?.message ?? ""
        #expect(message.contains("form a cycle"))
        for id in ["b", "c", "d"] { #expect(message.contains("Migrations/\(id).sql")) }
        #expect(!message.contains("Migrations/a.sql"))
    }

    @Test func dependencyCycle() throws {
        let error = strataError { try makeGraph("a+c b:a c:b") }
        #expect(error?.code == .invalidGraph)
        #expect(error?.message.contains("a, ") == true || error?.message.contains("a needs") == true)
    }

    @Test func badIdentifiers() throws {
        #expect(strataError { try makeGraph("ab-c") }?.code == .invalidGraph)
        #expect(strataError { try makeGraph("a@b") }?.message.contains("letters, digits and '_'") == true)
        #expect(strataError { try makeGraph("head") }?.code == .invalidGraph)
        #expect(strataError { try makeGraph("a#base") }?.code == .invalidGraph)
    }

    @Test func branchLabelInheritance() throws {
        // Labels reach every descendant, and the unbranched line below the labelled revision.
        let g = try makeGraph("a b:a c1:b#c1branch d1:c1 c2:b#c2branch d2:c2 e:d1,d2 f:e")
        #expect(g.branchLabels(of: "d2") == ["c2branch"])
        #expect(g.branchLabels(of: "f") == ["c1branch", "c2branch"])
        #expect(g.branchLabels(of: "b") == [])
        let linear = try makeGraph("d e:d#ebranch s:e f:s")
        #expect(linear.branchLabels(of: "d") == ["ebranch"])
    }
}
