/// A unified diff (`diff -u` form) of two texts, line by line: what `show` prints when an
/// applied script's file no longer matches the text that ran.
public enum UnifiedDiff {
    /// `nil` when the texts are equal.
    public static func make(old: String, new: String, oldLabel: String, newLabel: String, context: Int = 3) -> String? {
        guard old != new else { return nil }
        let a = lines(old), b = lines(new)
        let difference = b.difference(from: a)
        var removed = Set<Int>(), inserted = Set<Int>()
        for change in difference {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        // The edit script as (kind, old index, new index), in file order.
        enum Kind { case same, minus, plus }
        var ops: [(Kind, Int, Int)] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, removed.contains(i) { ops.append((.minus, i, j)); i += 1 }
            else if j < b.count, inserted.contains(j) { ops.append((.plus, i, j)); j += 1 }
            else { ops.append((.same, i, j)); i += 1; j += 1 }
        }
        var output = ["--- \(oldLabel)", "+++ \(newLabel)"]
        var index = 0
        while index < ops.count {
            guard ops[index].0 != .same else { index += 1; continue }
            var start = max(0, index - context)
            var end = index
            // Extend while the next change is within 2 × context of the last one.
            var last = index
            while end < ops.count {
                if ops[end].0 != .same { last = end }
                if end - last > 2 * context { break }
                end += 1
            }
            end = min(ops.count, last + context + 1)
            start = max(0, start)
            let hunk = ops[start..<end]
            let oldCount = hunk.filter { $0.0 != .plus }.count, newCount = hunk.filter { $0.0 != .minus }.count
            let oldStart = hunk.first!.1 + (oldCount == 0 ? 0 : 1), newStart = hunk.first!.2 + (newCount == 0 ? 0 : 1)
            output.append("@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@")
            for op in hunk {
                switch op.0 {
                case .same: output.append(" " + a[op.1])
                case .minus: output.append("-" + a[op.1])
                case .plus: output.append("+" + b[op.2])
                }
            }
            index = end
        }
        return output.joined(separator: "\n")
    }

    static func lines(_ text: String) -> [String] {
        var result = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0.hasSuffix("\r") ? $0.dropLast() : $0) }
        if result.last == "" { result.removeLast() }
        return result
    }
}
