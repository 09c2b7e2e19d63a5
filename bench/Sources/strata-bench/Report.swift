import Foundation

/// Repeated measurements of one thing, in seconds (or bytes, or percent: `unit` says).
struct Samples: Codable {
    var values: [Double] = []
    mutating func add(_ v: Double) { values.append(v) }
    var sorted: [Double] { values.sorted() }
    var median: Double {
        let s = sorted
        guard !s.isEmpty else { return .nan }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
    var min: Double { values.min() ?? .nan }
    var max: Double { values.max() ?? .nan }
}

func formatSeconds(_ s: Double) -> String {
    if s.isNaN { return "—" }
    if s < 0.001 { return String(format: "%.0f µs", s * 1e6) }
    if s < 1 { return String(format: "%.1f ms", s * 1e3) }
    return String(format: "%.2f s", s)
}

func formatTimed(_ samples: Samples) -> String {
    guard !samples.values.isEmpty else { return "—" }
    return "\(formatSeconds(samples.median)) [\(formatSeconds(samples.min))–\(formatSeconds(samples.max)), n=\(samples.values.count)]"
}

func formatBytes(_ b: Double) -> String {
    if b >= 1_048_576 { return String(format: "%.2f MiB", b / 1_048_576) }
    if b >= 1024 { return String(format: "%.1f KiB", b / 1024) }
    return String(format: "%.0f B", b)
}

/// One row of the results table: what, the peer, both figures, the ratio and the target.
struct ResultRow: Codable {
    var what: String
    var peer: String
    var ours: String
    var theirs: String
    var ratio: String
    var target: String
    var met: String   // "yes", "no", "pending", "n/a"
    var note: String = ""
}

final class Report {
    var rows: [ResultRow] = []
    var details: [String] = []
    var series: [SeriesPoint] = []

    func add(_ row: ResultRow) {
        rows.append(row)
        log("RESULT \(row.what): ours \(row.ours) | peer \(row.theirs) | \(row.ratio) | target \(row.target) | met: \(row.met)")
    }

    func detail(_ line: String) {
        details.append(line)
        log(line)
    }

    func markdownTable() -> String {
        var out = "| what | peer | Strata | peer's time | ratio | target | met? |\n|---|---|---|---|---|---|---|\n"
        // A `|` inside a cell (shell pipelines) must be escaped in a Markdown table.
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
        for r in rows {
            let what = r.note.isEmpty ? r.what : "\(r.what) (\(r.note))"
            out += "| " + [what, r.peer, r.ours, r.theirs, r.ratio, r.target, r.met].map(cell).joined(separator: " | ") + " |\n"
        }
        return out
    }
}

/// One point of the scaling series: a touched table of `rows` rows, with the untouched table
/// held constant.
struct SeriesPoint: Codable {
    var rows: Int
    var snapshotSeconds: Double      // snapshot_taken.duration_ms, median
    var upgradeSeconds: Double       // whole `strata upgrade --backup touched`, median
    var vacuumSeconds: Double        // `VACUUM INTO`, median
    var dumpGzipSeconds: Double      // `.dump T | gzip -1`, median
    var maxRSSKiB: Int
    var storedBytes: Int64
    var gzipBytes: Int64
    var databaseBytes: Int64
}

/// A log-log chart of the series, as hand-written SVG.
func scalingSVG(_ points: [SeriesPoint], title: String, subtitle: String) -> String {
    let width = 760.0, height = 460.0, left = 80.0, right = 210.0, top = 50.0, bottom = 60.0
    let plotW = width - left - right, plotH = height - top - bottom
    let xs = points.map { Double($0.rows) }
    let allY = points.flatMap { [$0.snapshotSeconds, $0.vacuumSeconds, $0.dumpGzipSeconds] }.filter { $0 > 0 && !$0.isNaN }
    guard let xMin = xs.min(), let xMax = xs.max(), let yMinRaw = allY.min(), let yMaxRaw = allY.max(), xMax > xMin else {
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>"
    }
    let lx0 = log10(xMin), lx1 = log10(xMax)
    let ly0 = floor(log10(yMinRaw)), ly1 = ceil(log10(yMaxRaw))
    func px(_ x: Double) -> Double { left + (log10(x) - lx0) / (lx1 - lx0) * plotW }
    func py(_ y: Double) -> Double { top + plotH - (log10(y) - ly0) / (ly1 - ly0) * plotH }
    var s = """
    <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
    <rect width="100%" height="100%" fill="white"/>
    <text x="\(left)" y="24" font-size="15" font-weight="bold">\(title)</text>
    <text x="\(left)" y="40" fill="#555">\(subtitle)</text>

    """
    // Grid: decades of seconds, and each measured row count.
    var decade = ly0
    while decade <= ly1 {
        let y = py(pow(10, decade))
        s += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(left + plotW)\" y2=\"\(y)\" stroke=\"#ddd\"/>\n"
        s += "<text x=\"\(left - 8)\" y=\"\(y + 4)\" text-anchor=\"end\">\(formatSeconds(pow(10, decade)))</text>\n"
        decade += 1
    }
    for x in xs {
        let X = px(x)
        s += "<line x1=\"\(X)\" y1=\"\(top)\" x2=\"\(X)\" y2=\"\(top + plotH)\" stroke=\"#eee\"/>\n"
        let label = x >= 1_000_000 ? "\(Int(x / 1_000_000))M" : "\(Int(x / 1000))k"
        s += "<text x=\"\(X)\" y=\"\(top + plotH + 18)\" text-anchor=\"middle\">\(label)</text>\n"
    }
    s += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(plotW)\" height=\"\(plotH)\" fill=\"none\" stroke=\"#333\"/>\n"
    s += "<text x=\"\(left + plotW / 2)\" y=\"\(height - 15)\" text-anchor=\"middle\">rows in the touched table (packet_seen)</text>\n"
    s += "<text x=\"18\" y=\"\(top + plotH / 2)\" transform=\"rotate(-90 18 \(top + plotH / 2))\" text-anchor=\"middle\">time</text>\n"
    let lines: [(String, String, KeyPath<SeriesPoint, Double>)] = [
        ("Strata snapshot (touched)", "#1f77b4", \.snapshotSeconds),
        (".dump T | gzip -1", "#ff7f0e", \.dumpGzipSeconds),
        ("VACUUM INTO (whole file)", "#d62728", \.vacuumSeconds),
    ]
    for (index, (name, color, key)) in lines.enumerated() {
        let pts = points.filter { $0[keyPath: key] > 0 && !$0[keyPath: key].isNaN }
        let path = pts.map { "\(px(Double($0.rows))),\(py($0[keyPath: key]))" }.joined(separator: " ")
        s += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(path)\"/>\n"
        for p in pts {
            s += "<circle cx=\"\(px(Double(p.rows)))\" cy=\"\(py(p[keyPath: key]))\" r=\"3.5\" fill=\"\(color)\"/>\n"
        }
        let ly = top + 20 + Double(index) * 22
        s += "<line x1=\"\(left + plotW + 15)\" y1=\"\(ly - 4)\" x2=\"\(left + plotW + 40)\" y2=\"\(ly - 4)\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
        s += "<text x=\"\(left + plotW + 45)\" y=\"\(ly)\">\(name.replacingOccurrences(of: "&", with: "&amp;"))</text>\n"
    }
    s += "</svg>\n"
    return s
}
