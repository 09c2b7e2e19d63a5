import Foundation

/// `strata report --html`: one self-contained HTML page (inline CSS and SVG, no scripts, fonts
/// or links to anywhere) with the revision graph, the event timeline coloured by kind with
/// failures standing out, durations per migration and snapshot sizes over time.
public struct AuditReport: Sendable {
    public var title: String
    public var generatedAt: String
    public var diagram: RevisionDiagram?
    public var heads: [String]
    public var status: String
    public var eventCount: Int64
    public var countsByKind: [(kind: String, count: Int64)]
    /// The newest events (at most `timelineLimit`) plus every failure, oldest first.
    public var timeline: [Event]
    public var durations: [MigrationDurations]
    public var snapshots: [SnapshotCatalog.Snapshot]

    /// Reads everything from `connection` (index lookups and one pass over `migration_applied`).
    public static func gather(connection: Connection, migrations: MigrationSet?, title: String,
                              timelineLimit: Int = 500) throws -> AuditReport {
        let hasLog = try connection.tableExists(StrataSchema.eventsTable)
        let newest = try LogQuery(limit: timelineLimit).events(in: connection)
        let failures = try LogQuery(kinds: [.migrationFailed, .restoreFailed, .recovered]).events(in: connection)
        var seen = Set<Int64>()
        let timeline = (failures + newest).filter { seen.insert($0.seq).inserted }.sorted { $0.seq < $1.seq }
        let counts: [(kind: String, count: Int64)] = hasLog
            ? try connection.query("SELECT kind, count(*) FROM strata_events GROUP BY kind ORDER BY 2 DESC") { ($0.string(0), $0.int64(1)) }
            : []
        let last = newest.last
        let heads = last?.heads ?? []
        var diagram: RevisionDiagram?
        if let migrations {
            let applied = (try? migrations.graph.appliedRevisions(heads: heads)) ?? []
            diagram = RevisionDiagram(graph: migrations.graph,
                                      messages: Dictionary(uniqueKeysWithValues: migrations.scripts.map { ($0.id, $0.message) }),
                                      applied: applied, current: heads)
        }
        return AuditReport(
            title: title, generatedAt: Timestamp.string(), diagram: diagram, heads: heads,
            status: last?.status.rawValue ?? "idle", eventCount: counts.reduce(0) { $0 + $1.count },
            countsByKind: counts, timeline: timeline, durations: try MigrationDurations.all(in: connection),
            snapshots: try SnapshotCatalog(connection: connection).all())
    }

    /// A stable colour per kind; failures red.
    public static func colour(_ kind: EventKind) -> String {
        switch kind {
        case .migrationFailed, .restoreFailed: "#d32f2f"
        case .recovered: "#f57c00"
        case .migrationApplied: "#2e7d32"
        case .migrationReverted: "#6a1b9a"
        case .upgradeStarted, .upgradeCompleted: "#66bb6a"
        case .downgradeStarted, .downgradeCompleted: "#ab47bc"
        case .snapshotTaken, .snapshotPruned: "#1976d2"
        case .restoreStarted, .restoreCompleted: "#00838f"
        case .stamped: "#795548"
        case .checksumAccepted: "#c0a000"
        default: "#757575"
        }
    }

    static func isFailure(_ kind: EventKind) -> Bool { kind == .migrationFailed || kind == .restoreFailed }

    public func html() -> String {
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.escape(title))</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 24px; color: #222; background: #fafafa; }
            h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #ddd; }
            .meta { color: #555; font-size: 13px; } .meta code { background: #eee; padding: 1px 4px; }
            table { border-collapse: collapse; font-size: 12px; background: #fff; }
            th, td { border: 1px solid #ddd; padding: 3px 7px; text-align: left; vertical-align: top; }
            th { background: #f0f0f0; } td { white-space: nowrap; } td.detail { white-space: normal; min-width: 240px; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
            .kind { display: inline-block; padding: 1px 6px; border-radius: 8px; color: #fff; font-size: 11px; }
            tr.failure td { background: #ffebee; font-weight: bold; }
            .chart { background: #fff; border: 1px solid #ddd; }
            .legend span { display: inline-block; margin-right: 10px; font-size: 12px; }
            .swatch { display: inline-block; width: 10px; height: 10px; margin-right: 3px; }
            .scroll { max-height: 480px; overflow-y: auto; border: 1px solid #ddd; }
            </style>
            </head>
            <body>
            <h1>\(HTML.escape(title))</h1>
            <p class="meta">Generated \(HTML.escape(generatedAt)) by strata \(HTML.escape(StrataVersion.current)) ·
            heads <code>\(HTML.escape(heads.isEmpty ? "base" : heads.joined(separator: ", ")))</code> ·
            status <code>\(HTML.escape(status))</code> · \(eventCount) events</p>

            """
        page += "<h2>Revision graph</h2>\n"
        if let diagram, !diagram.nodes.isEmpty {
            page += "<p class=\"meta\">Green: applied. Thick blue border: a head; thick green border: the database's current revision. Dashed box: merge point; dashed edge: depends-on.</p>\n"
            page += "<div class=\"chart\" style=\"overflow-x: auto\">" + diagram.svg() + "</div>\n"
        } else {
            page += "<p class=\"meta\">No migration scripts were given (--migrations).</p>\n"
        }
        page += timelineSection()
        page += durationsSection()
        page += snapshotsSection()
        page += "</body>\n</html>\n"
        return page
    }

    // MARK: Sections

    private func timelineSection() -> String {
        var out = "<h2>Event timeline</h2>\n"
        out += "<p class=\"meta\">Events by kind: " + countsByKind.map { "\(HTML.escape($0.kind)) \($0.count)" }.joined(separator: ", ")
        out += ". The newest \(timeline.count) events (and every failure) below.</p>\n"
        guard !timeline.isEmpty else { return out + "<p class=\"meta\">The log is empty.</p>\n" }
        // A strip: one tick per event along time, failures tall and red.
        let width = 960.0, height = 90.0, left = 10.0, right = 10.0
        let times = timeline.map { Timestamp.date($0.at)?.timeIntervalSince1970 ?? 0 }
        let first = times.min() ?? 0, last = times.max() ?? 0
        let span = max(last - first, 1)
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"Event timeline\">\n"
        out += "<line x1=\"\(left)\" y1=\"60\" x2=\"\(width - right)\" y2=\"60\" stroke=\"#999\"/>\n"
        for (event, time) in zip(timeline, times) {
            let x = left + (time - first) / span * (width - left - right)
            let failure = Self.isFailure(event.kind)
            let x1 = String(format: "%.1f", x)
            out += "<line x1=\"\(x1)\" y1=\"\(failure ? 8 : 40)\" x2=\"\(x1)\" y2=\"\(failure ? 72 : 60)\" stroke=\"\(Self.colour(event.kind))\" stroke-width=\"\(failure ? 3 : 1.5)\"><title>\(HTML.escape("#\(event.seq) \(event.at) \(event.kind.rawValue) \(event.revision ?? "")"))</title></line>\n"
        }
        out += "<text x=\"\(left)\" y=\"86\" font-size=\"10\" fill=\"#555\">\(HTML.escape(timeline.first!.at))</text>"
        out += "<text x=\"\(width - right)\" y=\"86\" font-size=\"10\" fill=\"#555\" text-anchor=\"end\">\(HTML.escape(timeline.last!.at))</text>\n</svg>\n"
        let kinds = Set(timeline.map(\.kind)).sorted { $0.rawValue < $1.rawValue }
        out += "<p class=\"legend\">" + kinds.map { "<span><i class=\"swatch\" style=\"background: \(Self.colour($0))\"></i>\(HTML.escape($0.rawValue))</span>" }.joined() + "</p>\n"
        out += "<div class=\"scroll\"><table>\n<thead><tr><th>seq</th><th>at</th><th>kind</th><th>revision</th><th>status</th><th>actor</th><th>detail</th></tr></thead>\n<tbody>\n"
        for event in timeline.reversed() {
            let failure = Self.isFailure(event.kind)
            let actor = EventActorInfo(event.actor)
            var detail = ""
            if failure { detail = event.detail["error"]?.string ?? event.detail["sqlite_error"]?.string ?? "" }
            else if case .double(let ms)? = event.detail["duration_ms"] { detail = String(format: "%.1f ms", ms) }
            else if case .int(let ms)? = event.detail["duration_ms"] { detail = "\(ms) ms" }
            out += "<tr\(failure ? " class=\"failure\"" : "")><td class=\"num\">\(event.seq)</td><td>\(HTML.escape(event.at))</td>"
            out += "<td><span class=\"kind\" style=\"background: \(Self.colour(event.kind))\">\(HTML.escape(event.kind.rawValue))</span></td>"
            out += "<td>\(HTML.escape(event.revision ?? ""))</td><td>\(HTML.escape(event.status.rawValue))</td>"
            out += "<td>\(HTML.escape(actor.description))</td><td class=\"detail\">\(HTML.escape(detail))</td></tr>\n"
        }
        return out + "</tbody>\n</table></div>\n"
    }

    private func durationsSection() -> String {
        var out = "<h2>Durations per migration</h2>\n"
        guard !durations.isEmpty else { return out + "<p class=\"meta\">No migration has been applied.</p>\n" }
        out += "<p class=\"meta\">Newest run of each applied revision, slowest first (bar); the slowest run ever in the table.</p>\n"
        let shown = durations.prefix(60)
        let rowHeight = 20.0, labelWidth = 170.0, barWidth = 600.0
        let longest = max(shown.map(\.lastMs).max() ?? 1, 0.001)
        let height = Double(shown.count) * rowHeight + 10
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"\(Int(labelWidth + barWidth + 110))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(labelWidth + barWidth + 110)) \(Int(height))\" role=\"img\" aria-label=\"Durations per migration\">\n"
        for (index, row) in shown.enumerated() {
            let y = 5 + Double(index) * rowHeight
            let length = max(1, row.lastMs / longest * barWidth)
            out += "<text x=\"\(Int(labelWidth - 6))\" y=\"\(String(format: "%.0f", y + 14))\" font-family=\"monospace\" font-size=\"11\" text-anchor=\"end\">\(HTML.escape(row.revision))</text>"
            out += "<rect x=\"\(Int(labelWidth))\" y=\"\(String(format: "%.0f", y + 3))\" width=\"\(String(format: "%.1f", length))\" height=\"14\" fill=\"#2e7d32\"/>"
            out += "<text x=\"\(String(format: "%.1f", labelWidth + length + 5))\" y=\"\(String(format: "%.0f", y + 14))\" font-size=\"11\">\(String(format: "%.1f", row.lastMs)) ms</text>\n"
        }
        out += "</svg>\n<table>\n<thead><tr><th>revision</th><th>runs</th><th>newest (ms)</th><th>slowest (ms)</th><th>total (ms)</th><th>newest at</th></tr></thead>\n<tbody>\n"
        for row in durations {
            out += "<tr><td>\(HTML.escape(row.revision))</td><td class=\"num\">\(row.runs)</td><td class=\"num\">\(String(format: "%.1f", row.lastMs))</td>"
            out += "<td class=\"num\">\(String(format: "%.1f", row.maxMs))</td><td class=\"num\">\(String(format: "%.1f", row.totalMs))</td><td>\(HTML.escape(row.lastAt))</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }

    private func snapshotsSection() -> String {
        var out = "<h2>Snapshot sizes over time</h2>\n"
        guard !snapshots.isEmpty else { return out + "<p class=\"meta\">No snapshots.</p>\n" }
        out += "<p class=\"meta\">Per snapshot, in the order taken: raw bytes (light) and stored, compressed bytes (dark).</p>\n"
        let shown = snapshots.suffix(120)
        let width = 960.0, height = 180.0, bottom = 150.0, top = 12.0
        let biggest = Double(max(shown.map(\.rawBytes).max() ?? 1, 1))
        let step = (width - 20) / Double(shown.count)
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"Snapshot sizes over time\">\n"
        out += "<line x1=\"10\" y1=\"\(Int(bottom))\" x2=\"\(Int(width - 10))\" y2=\"\(Int(bottom))\" stroke=\"#999\"/>\n"
        for (index, snapshot) in shown.enumerated() {
            let x = 10 + Double(index) * step
            let barWidth = max(1, step * 0.8)
            let raw = Double(snapshot.rawBytes) / biggest * (bottom - top), stored = Double(snapshot.storedBytes) / biggest * (bottom - top)
            let tip = HTML.escape("#\(snapshot.id) \(snapshot.takenAt) \(snapshot.revision ?? "restore") \(snapshot.reason): \(snapshot.rawBytes) B raw, \(snapshot.storedBytes) B stored")
            out += "<g><title>\(tip)</title>"
            out += "<rect x=\(q(x)) y=\(q(bottom - raw)) width=\(q(barWidth)) height=\(q(raw)) fill=\"#90caf9\"/>"
            out += "<rect x=\(q(x)) y=\(q(bottom - stored)) width=\(q(barWidth)) height=\(q(stored)) fill=\"#1565c0\"/></g>\n"
        }
        out += "<text x=\"10\" y=\"170\" font-size=\"10\" fill=\"#555\">\(HTML.escape(shown.first!.takenAt))</text>"
        out += "<text x=\"\(Int(width - 10))\" y=\"170\" font-size=\"10\" fill=\"#555\" text-anchor=\"end\">\(HTML.escape(shown.last!.takenAt)) · tallest \(Int64(biggest)) B raw</text>\n</svg>\n"
        out += "<table>\n<thead><tr><th>id</th><th>taken at</th><th>before</th><th>reason</th><th>tables</th><th>rows</th><th>raw bytes</th><th>stored bytes</th></tr></thead>\n<tbody>\n"
        for snapshot in snapshots.reversed() {
            out += "<tr><td class=\"num\">\(snapshot.id)</td><td>\(HTML.escape(snapshot.takenAt))</td><td>\(HTML.escape(snapshot.revision ?? "(restore)"))</td>"
            out += "<td>\(HTML.escape(snapshot.reason))\(snapshot.prunedAt == nil ? "" : " (pruned)")</td><td>\(HTML.escape(snapshot.tables.map(\.name).joined(separator: ", ")))</td>"
            out += "<td class=\"num\">\(snapshot.rows)</td><td class=\"num\">\(snapshot.rawBytes)</td><td class=\"num\">\(snapshot.storedBytes)</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }

    private func q(_ value: Double) -> String { "\"" + String(format: "%.1f", value) + "\"" }
}
