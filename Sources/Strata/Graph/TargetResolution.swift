/// Absolute targets: `head`, `heads`, `base`, ids, prefixes, labels, `branch@rev`,
/// `label@head`, `label@base`, `label@heads` (Alembic's `get_revisions` / `get_revision`).
extension RevisionGraph {
    /// Splits `branch@rest` at the first `@`. Alembic's form is `branch@revision`; the spec's
    /// `rev@label` (a revision, then a label) is accepted too and normalised to `label@rev`.
    func splitBranch(_ target: String) -> (branch: String?, rest: String) {
        guard let at = target.firstIndex(of: "@") else { return (nil, target) }
        let left = String(target[..<at]), right = String(target[target.index(after: at)...])
        if topo.labelOwner[left] == nil, topo.labelOwner[right] != nil, topo.index[right] == nil {
            return (right, left)
        }
        return (left, right)
    }

    /// All revisions a target names; `base` is `[]`. Relative forms are handled by callers.
    func resolveAbsolute(_ target: String) throws -> [Int] {
        let (branch, rest) = splitBranch(target)
        let branchRev = try branch.map { try resolveBranch($0, in: target) }
        switch rest {
        case "heads":
            guard let branchRev else { return topo.realHeads }
            return topo.heads.filter { topo.sharesLineage($0, with: [branchRev]) }
        case "head":
            let candidates = branchRev.map { b in topo.heads.filter { topo.sharesLineage($0, with: [b]) } } ?? topo.heads
            if candidates.count > 1 {
                let how = branch.map { "branch '\($0)' has" } ?? "the scripts have"
                throw StrataError(.multipleHeads, "Target '\(target)' is ambiguous: \(how) \(candidates.count) heads (\(describeList(candidates))); name one, or use '\(branch.map { "\($0)@" } ?? "")heads'.")
            }
            return candidates
        case "base":
            return []
        case "":
            // An unset shell variable (`strata downgrade "$TARGET"`) must not mean base.
            throw StrataError(.unknownTarget, target.isEmpty
                ? "The target is empty; name a revision, head, heads, base, +N or -N."
                : "Target '\(target)' names no revision after '@'.")
        default:
            if rest.hasPrefix("-"), let steps = Int(rest), steps < 0 {
                // `label@-2` as a plain identifier: N below each head on that branch.
                let starts = topo.realHeads.filter { branch == nil || topo.labels[$0].contains(branch!) }
                return try starts.compactMap { start in
                    if case .revision(let r) = try walk(from: .revision(start), steps: steps, branch: nil, target: target) { return r }
                    return nil
                }
            }
            return [try revision(forIdentifier: rest, onBranch: branchRev, branchName: branch, target: target)]
        }
    }

    /// Alembic's `get_revision`: at most one revision (`nil` is base).
    func resolveSingle(_ target: String) throws -> Int? {
        let found = try resolveAbsolute(target)
        if found.count > 1 {
            throw StrataError(.multipleHeads, "Target '\(target)' is ambiguous: it names \(found.count) revisions (\(describeList(found))); name one.")
        }
        return found.first
    }

    /// A branch is named by its label, or by any revision on it (Alembic's `_resolve_branch`).
    func resolveBranch(_ name: String, in target: String) throws -> Int {
        if let owner = topo.labelOwner[name] { return owner }
        do {
            return try revision(forIdentifier: name, onBranch: nil, branchName: nil, target: target)
        } catch {
            let labels = topo.labelOwner.keys.sorted()
            throw StrataError(.unknownTarget, "Unknown branch '\(name)' in target '\(target)': no branch label or revision matches (labels are: \(labels.isEmpty ? "none" : labels.joined(separator: ", "))).")
        }
    }

    /// An id, a branch label, or a unique prefix of 4+ characters, optionally required to be
    /// on the lineage of `branchRev` (which also narrows an otherwise ambiguous prefix).
    func revision(forIdentifier ident: String, onBranch branchRev: Int?, branchName: String?, target: String) throws -> Int {
        let found: Int
        if let i = topo.index[ident] {
            found = i
        } else if let i = topo.labelOwner[ident] {
            found = i
        } else {
            guard ident.count >= 4 else {
                throw unknownTarget(target, "no revision id or branch label is '\(ident)', and a prefix needs at least 4 characters")
            }
            var matches = topo.ids.indices.filter { topo.ids[$0].hasPrefix(ident) }
            if let branchRev { matches = matches.filter { topo.sharesLineage($0, with: [branchRev]) } }
            if matches.count > 1 {
                let names = matches.map { topo.ids[$0] }.sorted()
                throw StrataError(.ambiguousTarget, "Prefix '\(ident)' matches \(matches.count) revisions: \(names.joined(separator: ", ")).")
            }
            guard let only = matches.first else {
                throw unknownTarget(target, branchName == nil
                    ? "no revision id, prefix or branch label matches"
                    : "no revision on branch '\(branchName!)' has the id or prefix '\(ident)'")
            }
            found = only
        }
        if let branchRev, !topo.sharesLineage(found, with: [branchRev]) {
            throw StrataError(.unknownTarget, "Revision \(located(found)) is not on branch '\(branchName ?? topo.ids[branchRev])' (target '\(target)'); that branch runs through \(describe(branchRev)).")
        }
        return found
    }
}
