import Testing
@testable import Strata

/// `history` ranges: Alembic test_revision.py iteration tests (newest first).
@Suite("Graph history ranges")
struct GraphHistoryTests {
    @Test func diamond() throws {
        let g = try makeGraph("a b1:a b2:a c:b1,b2 d:c")
        #expect(try g.history(range: "a:d", current: []) == ["d", "c", "b1", "b2", "a"])
    }

    @Test func longShortBranch() throws {
        let g = try makeGraph("a b1:a b2:a c1:b1 d11:c1 d12:c1")
        #expect(try g.history(range: nil, current: []) == ["b2", "d11", "d12", "c1", "b1", "a"])
        #expect(try g.history(range: "base:heads", current: []) == ["b2", "d11", "d12", "c1", "b1", "a"])
    }

    @Test func multipleBranches() throws {
        let g = try makeGraph("a b1:a b2:a cb1:b1 cb2:b2 d1cb1:cb1 d2cb1:cb1 d1cb2:cb2 d2cb2:cb2 d3cb2:cb2 d1d2cb2:d1cb2,d2cb2")
        #expect(try g.history(range: "a:d1d2cb2", current: []) == ["d1d2cb2", "d1cb2", "d2cb2", "cb2", "b2", "a"])
        #expect(try g.history(range: "a:d3cb2", current: []) == ["d3cb2", "cb2", "b2", "a"])
        #expect(try g.history(range: "base:d3cb2", current: []) == ["d3cb2", "cb2", "b2", "a"])
        #expect(try g.history(range: "b2:current", current: ["d1cb1", "d2cb2", "d3cb2"]) == ["d2cb2", "d3cb2", "cb2", "b2"])
    }

    @Test func wrongDirectionIsAnError() throws {
        let g = try makeGraph("a b1:a b2:a cb1:b1 cb2:b2 d1cb1:cb1 d2cb2:cb2")
        let error = strataError { try g.history(range: "d1cb1:b1", current: []) }
        #expect(error?.code == .usage)
        #expect(error?.message.contains("d1cb1 is not an ancestor of b1") == true)
        #expect(strataError { try g.history(range: "b1:d2cb2", current: []) } != nil)
        #expect(strataError { try g.history(range: "d1cb1", current: []) }?.code == .usage)
    }

    @Test func branchTravelling() throws {
        let g = try makeGraph("a1 a2:a1 a3:a2 b1:a3 b2:a3 cb1:b1 cb2:b2 db1:cb1 db2:cb2 e1b1:db1 fe1b1:e1b1 e2b1:db1 e2b2:db2 merge:e2b1,e2b2")
        #expect(try g.history(range: "a1:merge", current: []) == ["merge", "e2b1", "db1", "cb1", "b1", "e2b2", "db2", "cb2", "b2", "a3", "a2", "a1"])
        #expect(try g.history(range: "b1:merge", current: []) == ["merge", "e2b1", "db1", "cb1", "b1"])
        #expect(try g.history(range: "a3:", current: []) == ["fe1b1", "e1b1", "merge", "e2b1", "db1", "cb1", "b1", "e2b2", "db2", "cb2", "b2", "a3"])
    }

    @Test func multipleBases() throws {
        let g = try makeGraph("base1 base2 base3 a1a:base1 a1b:base1 a2:base2 a3:base3 b1a:a1a b1b:a1b b2:a2 b3:a3 c2:b2 d2:c2 mergeb3d2:b3,d2")
        #expect(try g.history(range: "base:heads", current: []) == ["b1a", "a1a", "b1b", "a1b", "base1", "mergeb3d2", "b3", "a3", "base3", "d2", "c2", "b2", "a2", "base2"])
        #expect(try g.history(range: "base3:b3", current: []) == ["b3", "a3", "base3"])
        #expect(try g.history(range: "c2:heads", current: []) == ["mergeb3d2", "d2", "c2"])
    }

    @Test func crossDependencies() throws {
        let g = try makeGraph("base1#b_1 a1a:base1 a1b:base1 b1a:a1a b1b:a1b+a3 base2#b_2 a2:base2 b2:a2 c2:b2+a3 d2:c2 base3#b_3 a3:base3 b3:a3")
        #expect(try g.history(range: nil, current: []) == ["b1a", "a1a", "b1b", "a1b", "base1", "d2", "c2", "b2", "a2", "base2", "b3", "a3", "base3"])
        #expect(strataError { try g.history(range: "d2:b3", current: []) } != nil)
    }

    @Test func labelledRanges() throws {
        let g = try makeGraph("a#abranch b:a somelongername:b c:somelongername d e:d#ebranch someothername:e f:someothername")
        let eLine = ["f", "someothername", "e", "d"]
        let aLine = ["c", "somelongername", "b", "a"]
        #expect(try g.history(range: "ebranch@base:heads", current: []) == eLine)
        #expect(try g.history(range: "abranch@base:heads", current: []) == aLine)
        #expect(try g.history(range: "base:ebranch@head", current: []) == eLine)
        #expect(try g.history(range: ":abranch@head", current: []) == aLine)
        #expect(try g.history(range: "ebranch@head:heads", current: []) == ["f"])
        #expect(try g.history(range: "ebranch@d:heads", current: []) == eLine)
        #expect(try g.history(range: "e@base:heads", current: []) == eLine)
        #expect(try g.history(range: "c@base:heads", current: []) == aLine)
        #expect(try g.history(range: "ebranch@-2:heads", current: []) == ["f", "someothername", "e"])
        #expect(try g.history(range: "base:ebranch@+2", current: []) == ["e", "d"])
    }

    @Test func relativeToCurrent() throws {
        let g = try makeGraph("a b:a c:b d:c e:d")
        #expect(try g.history(range: "-2:current", current: ["d"]) == ["d", "c", "b"])
        #expect(try g.history(range: "current:", current: ["c"]) == ["e", "d", "c"])
        #expect(try g.history(range: ":current", current: ["b"]) == ["b", "a"])
        #expect(try g.history(range: "b:+2", current: []) == ["d", "c", "b"])
    }
}
