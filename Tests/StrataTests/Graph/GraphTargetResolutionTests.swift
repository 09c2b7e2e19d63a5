import Testing
@testable import Strata

/// Alembic test_revision.py LabeledBranchTest and APITest.
@Suite("Graph target resolution")
struct GraphTargetResolutionTests {
    let g: RevisionGraph

    init() throws {
        g = try makeGraph("a#abranch b:a somelongername:b c:somelongername d e:d#ebranch someothername:e f:someothername")
    }

    @Test func headsAndBase() throws {
        #expect(try g.resolve("heads", current: []) == ["c", "f"])
        #expect(try g.resolve("base", current: []) == [])
        #expect(try makeGraph("a b:a c:b").resolve("head", current: []) == ["c"])
    }

    @Test func headWithSeveralHeadsNamesThem() throws {
        let error = strataError { try g.resolve("head", current: []) }
        #expect(error?.code == .multipleHeads)
        #expect(error?.message == "Target 'head' is ambiguous: the scripts have 2 heads (c (label: abranch), f (label: ebranch)); name one, or use 'heads'.")
    }

    @Test func branchAtSyntax() throws {
        #expect(try g.resolve("abranch@head", current: []) == ["c"])
        #expect(try g.resolve("abranch@base", current: []) == [])
        #expect(try g.resolve("ebranch@head", current: []) == ["f"])
        #expect(try g.resolve("ebranch@d", current: []) == ["d"])
        #expect(try g.resolve("abranch@heads", current: []) == ["c"])
        #expect(try g.resolve("ebranch@ebranch", current: []) == ["e"])
    }

    @Test func labelAloneIsTheLabelledRevision() throws {
        #expect(try g.resolve("abranch", current: []) == ["a"])
        #expect(try g.resolve("ebranch", current: []) == ["e"])
        #expect(try g.resolve("e", current: []) == ["e"])
    }

    @Test func prefixesResolveWithinABranch() throws {
        #expect(try g.resolve("ebranch@some", current: []) == ["someothername"])
        #expect(try g.resolve("abranch@some", current: []) == ["somelongername"])
        #expect(try g.resolve("someoth", current: []) == ["someothername"])
    }

    @Test func ambiguousPrefix() throws {
        let error = strataError { try g.resolve("some", current: []) }
        #expect(error?.code == .ambiguousTarget)
        #expect(error?.message == "Prefix 'some' matches 2 revisions: somelongername, someothername.")
        let other = try makeGraph("ab12cd ab12ef")
        #expect(strataError { try other.resolve("ab12", current: []) }?.message == "Prefix 'ab12' matches 2 revisions: ab12cd, ab12ef.")
    }

    @Test func shortPrefixNeedsFourCharacters() throws {
        let error = strataError { try g.resolve("ebranch@sos", current: []) }
        #expect(error?.code == .unknownTarget)
        #expect(error?.message.contains("at least 4 characters") == true)
        #expect(strataError { try g.resolve("som", current: []) }?.message.contains("at least 4 characters") == true)
    }

    @Test func revisionNotOnBranch() throws {
        let error = strataError { try g.resolve("ebranch@b", current: []) }
        #expect(error?.code == .unknownTarget)
        #expect(error?.message.contains("Revision b (Migrations/b.sql) is not on branch 'ebranch'") == true)
        #expect(strataError { try g.resolve("abranch@d", current: []) }?.message.contains("not on branch 'abranch'") == true)
    }

    @Test func unknownTargetListsHeads() throws {
        let error = strataError { try g.resolve("zzzz", current: []) }
        #expect(error?.code == .unknownTarget)
        #expect(error?.message == "Unknown target 'zzzz': no revision id, prefix or branch label matches (heads are: c (label: abranch), f (label: ebranch)).")
        #expect(strataError { try g.resolve("abranch@qprstuv", current: []) }?.code == .unknownTarget)
    }

    @Test func revisionAsBranch() throws {
        // test_not_actually_a_branch: a revision id stands for its branch.
        #expect(try g.resolve("e@d", current: []) == ["d"])
        #expect(try g.resolve("someoth@d", current: []) == ["d"])
        let error = strataError { try g.resolve("x@d", current: []) }
        #expect(error?.message.contains("Unknown branch 'x'") == true)
    }

    @Test func specRevAtLabelForm() throws {
        // The spec's `rev@label`: the revision, checked to be on the label's branch.
        #expect(try g.resolve("d@ebranch", current: []) == ["d"])
        #expect(strataError { try g.resolve("b@ebranch", current: []) }?.code == .unknownTarget)
    }

    @Test func relativeTargets() throws {
        let linear = try makeGraph("a b:a c:b d:c e:d")
        #expect(try linear.resolve("+2", current: ["a"]) == ["c"])
        #expect(try linear.resolve("b+2", current: []) == ["d"])
        #expect(try linear.resolve("d-2", current: []) == ["b"])
        #expect(try linear.resolve("-1", current: ["c"]) == ["b"])
        #expect(try linear.resolve("base+1", current: []) == ["a"])
        #expect(try linear.resolve("a-1", current: []) == [])
        // test_branch_w_up_relative: walking up from base along a branch.
        #expect(try g.resolve("ebranch@+2", current: []) == ["e"])
    }

    @Test func relativeThroughABranchPointIsAmbiguous() throws {
        let branched = try makeGraph("a b:a c1:b#c1branch d1:c1 c2:b#c2branch d2:c2")
        let error = strataError { try branched.resolve("b+1", current: []) }
        #expect(error?.code == .ambiguousTarget)
        #expect(error?.message == "Relative target 'b+1' is ambiguous: b is a branch point with 2 children (c1 (label: c1branch), c2 (label: c2branch)); name one, or use 'label@+1'.")
        #expect(try branched.resolve("c2branch@b+1", current: []) == ["c2"])
        let merged = try makeGraph("a b1:a b2:a c:b1,b2")
        #expect(strataError { try merged.resolve("c-1", current: []) }?.message.contains("c is a merge point of 2 revisions (b1, b2)") == true)
    }

    @Test func walkingTooFar() throws {
        let linear = try makeGraph("a b:a c:b")
        let error = strataError { try linear.resolve("+5", current: ["b"]) }
        #expect(error?.code == .unknownTarget)
        #expect(error?.message == "Relative target '+5' needs 5 steps up from b, but only 1 exists.")
    }

    @Test func unknownCurrentRevision() throws {
        let error = strataError { try g.appliedRevisions(heads: ["c", "dead"]) }
        #expect(error?.code == .unknownTarget)
        #expect(error?.message.hasPrefix("The database records revision dead, which no script defines") == true)
    }
}
