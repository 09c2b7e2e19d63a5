import Foundation

/// `history -r START:END`, newest first (Alembic's `walk_revisions`: `iterate_revisions(END,
/// START, inclusive=True)`). Either side may be empty (`base` / `heads`), `current`, an id,
/// prefix, label form or relative form; `START` must be an ancestor of `END`.
extension RevisionGraph {
    func historyRange(_ range: String?, current: [String]) throws -> [Int] {
        var lowerText = "base", upperText = "heads"
        if let range {
            let trimmed = range.trimmingCharacters(in: .whitespaces)
            guard let colon = trimmed.firstIndex(of: ":") else {
                throw StrataError(.usage, "History range '\(range)' needs a colon: use START:END, START: or :END (e.g. 'base:head', '-2:current').")
            }
            let l = String(trimmed[..<colon]).trimmingCharacters(in: .whitespaces)
            let u = String(trimmed[trimmed.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            if !l.isEmpty { lowerText = l }
            if !u.isEmpty { upperText = u }
        }
        let heads = try currentIndices(current)
        let lowerRelative = RelativeTarget(lowerText), upperRelative = RelativeTarget(upperText)
        if lowerRelative != nil && upperRelative != nil {
            throw StrataError(.usage, "History range '\(range ?? "")' is relative at both ends; make one end absolute (e.g. '-2:head').")
        }

        var upper: [Int] = []
        var lower: [Int] = []
        if upperRelative == nil {
            upper = upperText == "current" ? heads : try resolveAbsolute(upperText)
            upper = try filterToNamedBase(upper, lower: lowerText)
        }
        if lowerRelative == nil {
            lower = lowerText == "current" ? heads : try resolveAbsolute(lowerText)
        } else {
            // `-2:X` counts down from X (Alembic falls back to this when the relative
            // start does not resolve on its own).
            lower = try downgradeTarget(current: upper, target: lowerText).revision.map { [$0] } ?? []
        }
        if upperRelative != nil {
            upper = try upgradeTargets(current: lower, target: upperText)
        }

        let required = topo.ancestors(of: upper)
        for low in lower where !required.contains(low) {
            throw StrataError(.usage, "History range '\(lowerText):\(upperText)' is empty: \(topo.ids[low]) is not an ancestor of \(upper.isEmpty ? "base" : topo.sortedIds(upper).joined(separator: ", ")).")
        }
        var wanted = required.subtracting(topo.ancestors(of: lower)).union(lower)
        if !lower.isEmpty {
            wanted.formIntersection(topo.descendants(of: lower, includeDependencies: false))
        }
        return topo.newestFirst(wanted, startingFrom: upper)
    }

    /// `label@...` as the start keeps only that branch's heads as the end (Alembic: "named
    /// bases"); a revision id there stands for its branch.
    private func filterToNamedBase(_ upper: [Int], lower: String) throws -> [Int] {
        guard let at = lower.firstIndex(of: "@") else { return upper }
        let branch = String(lower[..<at])
        if topo.labelOwner[branch] != nil {
            return upper.filter { topo.labels[$0].contains(branch) }
        }
        let rev = try resolveBranch(branch, in: lower)
        if topo.labels[rev].count == 1, let label = topo.labels[rev].first {
            return upper.filter { topo.labels[$0].contains(label) }
        }
        return upper.filter { topo.sharesLineage($0, with: [rev]) }
    }
}
