/// Relative targets (`+N`, `-N`, `rev+N`, `rev-N`, `label@+N`, `label@-N`, `base+N`,
/// `label@head-N`), walked one `revises` edge at a time as Alembic's `_walk` does.
struct RelativeTarget: Equatable {
    var branch: String?
    var symbol: String?
    var steps: Int

    /// `[branch@][symbol](+|-)digits`; ids never contain `+`, `-` or `@`, so this is unambiguous.
    init?(_ text: String) {
        var rest = Substring(text)
        if let at = rest.firstIndex(of: "@") {
            branch = String(rest[..<at])
            rest = rest[rest.index(after: at)...]
        }
        guard let sign = rest.lastIndex(where: { $0 == "+" || $0 == "-" }) else { return nil }
        let digits = rest[rest.index(after: sign)...]
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let n = Int(digits) else { return nil }
        let head = rest[..<sign]
        guard head.isEmpty || GraphBuilder.isIdentifier(String(head)) else { return nil }
        symbol = head.isEmpty ? nil : String(head)
        steps = rest[sign] == "-" ? -n : n
    }
}

/// A place on the graph: a revision, or below every base.
enum WalkPoint: Equatable {
    case base
    case revision(Int)
}

extension RevisionGraph {
    /// Walks `steps` edges up (children) or down (parents). Up-walks may be kept on `branch`'s
    /// lineage; a fork with several choices is an error naming them, as is walking off the end.
    func walk(from start: WalkPoint, steps: Int, branch: String?, target: String) throws -> WalkPoint {
        let branchRev = try branch.map { try resolveBranch($0, in: target) }
        var here = start
        for taken in 0..<steps.magnitude {
            var choices: [WalkPoint]
            if steps > 0 {
                let up = here == .base ? topo.bases : { if case .revision(let r) = here { return topo.children[r] } else { return [] } }()
                choices = up.filter { branchRev == nil || topo.sharesLineage($0, with: [branchRev!]) }.map { .revision($0) }
            } else if case .revision(let r) = here {
                choices = topo.parents[r].isEmpty ? [.base] : topo.parents[r].map { .revision($0) }
            } else {
                choices = []
            }
            if choices.isEmpty {
                let fromText = start == .base ? "base" : { if case .revision(let r) = start { return topo.ids[r] } else { return "base" } }()
                throw StrataError(.unknownTarget, "Relative target '\(target)' needs \(steps.magnitude) step\(steps.magnitude == 1 ? "" : "s") \(steps > 0 ? "up" : "down") from \(fromText), but only \(taken) exist\(taken == 1 ? "s" : "").")
            }
            if choices.count > 1 {
                let names = choices.compactMap { if case .revision(let r) = $0 { return r } else { return nil } }
                let at = { if case .revision(let r) = here { return topo.ids[r] } else { return "base" } }()
                let what = steps > 0 ? (here == .base ? "there are \(names.count) bases" : "\(at) is a branch point with \(names.count) children")
                                     : "\(at) is a merge point of \(names.count) revisions"
                throw StrataError(.ambiguousTarget, "Relative target '\(target)' is ambiguous: \(what) (\(describeList(names))); name one, or use 'label@\(steps > 0 ? "+" : "-")\(steps.magnitude)'.")
            }
            here = choices[0]
        }
        return here
    }

    private func point(_ r: Int?) -> WalkPoint { r.map { .revision($0) } ?? .base }

    /// Alembic's `_parse_upgrade_target`: the revisions an upgrade aims at (`[]` is base).
    func upgradeTargets(current: [Int], target: String) throws -> [Int] {
        guard let rel = RelativeTarget(target) else { return try resolveAbsolute(target) }
        let result: WalkPoint
        if rel.steps >= 0 {
            let start: WalkPoint
            if let symbol = rel.symbol {
                start = point(try resolveSingle(symbol))
            } else {
                var starts: [WalkPoint] = current.isEmpty ? [.base] : current.map { .revision($0) }
                if let branch = rel.branch {
                    let b = try resolveBranch(branch, in: target)
                    let onBranch = current.filter { topo.sharesLineage($0, with: [b]) }
                    if onBranch.isEmpty {
                        // The branch is not at a head yet: start from the newest applied
                        // revision on its lineage, or from base.
                        let active = topo.ancestors(of: current).filter { topo.sharesLineage($0, with: [b]) }
                        let below = Set(active.flatMap { topo.normalizedDown($0) })
                        let tips = active.subtracting(below).sorted()
                        starts = tips.isEmpty ? [.base] : tips.map { .revision($0) }
                    } else {
                        starts = onBranch.map { .revision($0) }
                    }
                }
                if starts.count > 1 {
                    let heads = starts.compactMap { if case .revision(let r) = $0 { return r } else { return nil } }
                    throw StrataError(.ambiguousTarget, "Target '\(target)' is ambiguous: the database has \(heads.count) heads (\(describeList(heads))); use 'rev+N' or 'label@+N' to say which one moves.")
                }
                start = starts[0]
            }
            result = try walk(from: start, steps: rel.steps, branch: rel.branch, target: target)
        } else {
            guard let symbol = rel.symbol else {
                throw StrataError(.usage, "Target '\(target)' moves down, so it cannot be an upgrade target; use downgrade, or 'rev\(target)'.")
            }
            let start = try resolveSingle(rel.branch.map { "\($0)@\(symbol)" } ?? symbol)
            result = try walk(from: point(start), steps: rel.steps, branch: nil, target: target)
        }
        if case .revision(let r) = result { return [r] }
        return []
    }

    /// Alembic's `_parse_downgrade_target`: the branch the downgrade is limited to (if any) and
    /// the revision to stop at (`nil` is base).
    func downgradeTarget(current: [Int], target: String) throws -> (branch: String?, revision: Int?) {
        guard let rel = RelativeTarget(target) else {
            // Absolute: the branch (before the last `@`) only limits what is reverted.
            guard let at = target.lastIndex(of: "@") else { return (nil, try resolveSingle(target)) }
            var branch = String(target[..<at]), symbol = String(target[target.index(after: at)...])
            let (b, s) = splitBranch("\(branch)@\(symbol)")
            if let b { (branch, symbol) = (b, s) }
            _ = try resolveBranch(branch, in: target)
            return (branch, try resolveSingle(symbol))
        }
        if rel.steps >= 0 {
            guard let symbol = rel.symbol else {
                throw StrataError(.usage, "Target '\(target)' moves up, so it cannot be a downgrade target; use upgrade, or 'rev\(target)'.")
            }
            let start = point(try resolveSingle(symbol))
            guard case .revision(let r) = try walk(from: start, steps: rel.steps, branch: rel.branch, target: target) else {
                return (rel.branch, nil)
            }
            return (rel.branch, r)
        }
        var branch = rel.branch
        let startTarget: String
        if let symbol = rel.symbol {
            startTarget = branch.map { "\($0)@\(symbol)" } ?? symbol
        } else if let label = branch {
            let b = try resolveBranch(label, in: target)
            var onBranch = current.filter { topo.sharesLineage($0, with: [b]) }
            if onBranch.isEmpty {
                // Another head may imply this branch through depends-on (Alembic's
                // `_get_all_current`): look at everything applied.
                let all = topo.branchHeads(within: topo.ancestors(of: current))
                onBranch = all.filter { topo.sharesLineage($0, with: [b]) }.sorted()
            }
            guard onBranch.count == 1 else {
                if onBranch.isEmpty {
                    throw StrataError(.unknownTarget, "Target '\(target)' cannot move down: nothing on branch '\(label)' is applied (the database is at \(current.isEmpty ? "base" : describeList(current))).")
                }
                throw StrataError(.ambiguousTarget, "Target '\(target)' is ambiguous: branch '\(label)' has \(onBranch.count) applied heads (\(describeList(onBranch))); use 'rev-N'.")
            }
            startTarget = topo.ids[onBranch[0]]
        } else {
            guard let only = current.first else {
                throw StrataError(.unknownTarget, "Target '\(target)' cannot move down: the database is at base.")
            }
            // Alembic warns and picks the first row here; the rows have no order in Strata, so
            // the choice would be arbitrary: refuse and name the candidates instead.
            guard current.count == 1 else {
                throw StrataError(.ambiguousTarget, "Target '\(target)' is ambiguous: the database has \(current.count) heads (\(describeList(current))); use 'rev\(target)' or 'label@\(target)'.")
            }
            startTarget = topo.ids[only]
            branch = startTarget
        }
        let start = point(try resolveSingle(startTarget))
        guard case .revision(let r) = try walk(from: start, steps: rel.steps, branch: nil, target: target) else {
            return (branch, nil)
        }
        return (branch, r)
    }
}
