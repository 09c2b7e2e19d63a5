import Foundation
import Strata
import Testing

/// Issue 6: `log` filters, `show` audit extras, `history --graph`, `report --html`, on a log
/// built by the real binary: upgrades, a downgrade, a stamp, a restore and a failure.
@Suite("Audit")
struct AuditTests {
    /// a1 creates and fills `t`, b2 adds a column, c3 fails. Events, in order: upgrade to b2,
    /// downgrade to a1, stamp b2, stamp a1, upgrade to b2, restore a1, upgrade to b2, upgrade
    /// (c3 fails).
    static func history() throws -> Project {
        let project = try Project()
        project.script("a1", up: "CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT);\nINSERT INTO t (x) VALUES ('one'), ('two');",
                       down: "DROP TABLE t;")
        project.script("b2", revises: ["a1"], up: "ALTER TABLE t ADD COLUMN y INT;", down: "ALTER TABLE t DROP COLUMN y;")
        for arguments in [["upgrade", "b2"], ["downgrade", "a1"], ["stamp", "b2"], ["stamp", "a1"], ["upgrade", "b2"],
                          ["restore", "a1", "--yes"], ["upgrade", "b2"]] {
            let result = try Run.strata(arguments + ["--database", project.database], in: project.root)
            #expect(result.status == 0, "\(arguments): \(result)")
        }
        project.script("c3", revises: ["b2"], up: "INSERT INTO missing_table VALUES (1);", down: "")
        let failed = try project.strata("upgrade")
        #expect(failed.status == 1, "\(failed)")
        return project
    }

    static func json(_ result: ProcessResult) throws -> [[String: Any]] {
        try #require(result.status == 0, "\(result)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]], "\(result.stdout)")
    }

    static func log(_ project: Project, _ arguments: String...) throws -> [[String: Any]] {
        try json(Run.strata(["log", "--format", "json", "--database", project.database] + arguments, in: project.root))
    }

    @Test("log filters alone and combined; JSON in SPEC §4's shape")
    func logFilters() throws {
        let project = try Self.history()
        let all = try Self.log(project)
        let kinds = Set(all.compactMap { $0["kind"] as? String })
        for kind in ["upgrade_started", "migration_applied", "migration_reverted", "stamped", "restore_started",
                     "restore_completed", "migration_failed", "snapshot_taken"] {
            #expect(kinds.contains(kind), "\(kind) missing from \(kinds)")
        }
        // SPEC §4: seq, at, kind, revision, status, heads, detail.
        for event in all {
            #expect(event["seq"] is Int && event["at"] is String && event["kind"] is String && event["status"] is String)
            #expect(event["revision"] is String || event["revision"] is NSNull)
            #expect(event["heads"] is [String] && event["detail"] is [String: Any])
        }
        let seqs = all.compactMap { $0["seq"] as? Int }
        #expect(seqs == Array(1...seqs.count))

        let failed = try Self.log(project, "--kind", "migration_failed")
        #expect(failed.count == 1 && failed[0]["revision"] as? String == "c3")

        let twoKinds = try Self.log(project, "--kind", "stamped", "--kind", "restore_completed")
        #expect(Set(twoKinds.compactMap { $0["kind"] as? String }) == ["stamped", "restore_completed"])
        #expect(twoKinds.count == 3)

        let b2 = try Self.log(project, "--revision", "b2")
        #expect(!b2.isEmpty && b2.allSatisfy { $0["revision"] as? String == "b2" })
        let b2Applied = try Self.log(project, "--revision", "b2", "--kind", "migration_applied")
        #expect(b2Applied.count == 3)

        // Actor: the user, the host, user@host, a process id.
        let actor = try #require(all.last?["actor"] as? [String: Any])
        let user = try #require(actor["user"] as? String), host = try #require(actor["host"] as? String)
        let pid = try #require(actor["pid"] as? Int)
        #expect(try Self.log(project, "--actor", user).count == all.count)
        #expect(try Self.log(project, "--actor", host).count == all.count)
        #expect(try Self.log(project, "--actor", "\(user)@\(host)").count == all.count)
        #expect(try Self.log(project, "--actor", "nobody-\(UUID().uuidString.prefix(6))").isEmpty)
        let byPid = try Self.log(project, "--actor", String(pid))
        #expect(!byPid.isEmpty && byPid.count < all.count && byPid.last?["kind"] as? String == "upgrade_completed" || byPid.last?["kind"] as? String == "migration_failed")
        let combined = try Self.log(project, "--actor", user, "--kind", "migration_applied", "--revision", "a1")
        #expect(combined.count == 1)

        // Time: absolute (inclusive since, exclusive until) and relative.
        let middle = all[all.count / 2]
        let at = try #require(middle["at"] as? String)
        let since = try Self.log(project, "--since", at)
        #expect(since.allSatisfy { ($0["at"] as! String) >= at } && since.contains { $0["seq"] as? Int == middle["seq"] as? Int })
        let until = try Self.log(project, "--until", at)
        #expect(until.allSatisfy { ($0["at"] as! String) < at } && since.count + until.count == all.count)
        #expect(try Self.log(project, "--since", "1h").count == all.count)
        #expect(try Self.log(project, "--until", "1h").isEmpty)
        #expect(try Self.log(project, "--since", "1h", "--until", at, "--kind", "migration_applied").allSatisfy {
            ($0["at"] as! String) < at && $0["kind"] as? String == "migration_applied"
        })

        // Limit: the newest N, oldest first by default, newest first with --order desc.
        let newest = try Self.log(project, "--limit", "3").compactMap { $0["seq"] as? Int }
        #expect(newest == Array(seqs.suffix(3)))
        let descending = try Self.log(project, "--limit", "3", "--order", "desc").compactMap { $0["seq"] as? Int }
        #expect(descending == newest.reversed())
        #expect(try Self.log(project, "--order", "desc").compactMap { $0["seq"] as? Int } == seqs.reversed())

        // Bad values are usage errors.
        for bad in [["--since", "yesterday-ish"], ["--until", "2026-02-31"], ["--order", "sideways"], ["--actor", ""]] {
            let result = try Run.strata(["log", "--database", project.database] + bad, in: project.root)
            #expect(result.status == 64, "\(bad): \(result)")
        }

        // The text table: a header and aligned columns (every KIND cell starts at one offset).
        let table = try project.strata("log", "--revision", "b2")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("SEQ") == true && lines.count == b2.count + 1, "\(table)")
        let kindColumn = try #require(lines.first?.range(of: "KIND")).lowerBound.utf16Offset(in: lines[0])
        for line in lines.dropFirst() {
            let cell = line.dropFirst(kindColumn)
            #expect(cell.first?.isLetter == true && line[line.index(line.startIndex, offsetBy: kindColumn - 1)] == " ", "\(line)")
        }
    }

    @Test("every filter alone is served by an index (EXPLAIN QUERY PLAN: no scan of the log)")
    func queryPlans() throws {
        let project = try Self.history()
        let connection = try Connection(path: project.database, mode: .readOnly)
        let now = Date()
        let queries: [(String, LogQuery)] = [
            ("kind", LogQuery(kinds: [.stamped])),
            ("kinds", LogQuery(kinds: [.stamped, .migrationFailed])),
            ("revision", LogQuery(revision: "b2")),
            ("since", LogQuery(since: now.addingTimeInterval(-3600))),
            ("until", LogQuery(until: now.addingTimeInterval(-3600))),
            ("since+limit, a window holding fewer than the limit", LogQuery(limit: 10_000, since: now.addingTimeInterval(-3600))),
            ("window", LogQuery(since: now.addingTimeInterval(-3600), until: now)),
            ("actor user/host", LogQuery(actor: try ActorFilter("alice"))),
            ("actor user@host", LogQuery(actor: try ActorFilter("alice@db1"))),
            ("actor pid", LogQuery(actor: try ActorFilter("4242"))),
            ("after seq", LogQuery(afterSeq: 10)),
            ("combined", LogQuery(kinds: [.migrationApplied], revision: "b2", limit: 2, since: now.addingTimeInterval(-60),
                                  actor: try ActorFilter("alice"), order: .descending)),
        ]
        for (name, query) in queries {
            let plan = try query.queryPlan(in: connection)
            #expect(!plan.isEmpty)
            // "SCAN strata_events" reads every event; "SCAN ... USING INDEX" every index entry.
            #expect(!plan.contains { $0.hasPrefix("SCAN strata_events") }, "\(name): \(plan)")
            #expect(plan.contains { $0.contains("USING INDEX") || $0.contains("USING COVERING INDEX") || $0.contains("USING INTEGER PRIMARY KEY") }, "\(name): \(plan)")
        }
        // No filter, a limit: the log read backwards from its newest event, stopping after N.
        #expect(try LogQuery(limit: 5, order: .descending).queryPlan(in: connection) == ["SCAN strata_events"])
        // The kinds every migration writes are most of the log, and not in the kind index: the
        // same walk, stopping at the Nth match.
        let applied = LogQuery(kinds: [.migrationApplied, .stamped], limit: 3)
        #expect(try applied.queryPlan(in: connection) == ["SCAN strata_events"])
        #expect(try applied.events(in: connection) == Array(try LogQuery().events(in: connection).filter(applied.matches).suffix(3)))
        // A window reaching the end of the log that holds N events, a limit N: the same walk,
        // after counting N entries of the time index. The events are the newest N matching.
        let recent = LogQuery(limit: 5, since: now.addingTimeInterval(-3600))
        let recentPlan = try recent.queryPlan(in: connection)
        #expect(recentPlan.contains { $0.hasPrefix("SEARCH strata_events USING COVERING INDEX strata_events_by_time") }
                && recentPlan.last == "SCAN strata_events",
                "\(recentPlan)")
        let newestFive = Array(try LogQuery(since: now.addingTimeInterval(-3600)).events(in: connection).suffix(5))
        #expect(newestFive.count == 5)
        #expect(try recent.events(in: connection) == newestFive)
        // The same filters give the same events as filtering everything in Swift.
        let everything = try LogQuery().events(in: connection)
        for (name, query) in queries where query.limit == nil {
            #expect(try query.events(in: connection) == everything.filter(query.matches), "\(name)")
        }
    }

    @Test("a file with the earlier three actor indexes gets the one actor index from the next writer, and --actor reads the same")
    func actorIndexReplacesTheEarlierThree() throws {
        let project = try Self.history()
        let before = try Self.log(project, "--actor", EventActor.userName).count
        let stamped = try Self.log(project, "--kind", "stamped").count
        let actorIndexes = "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'strata_events_by_%' AND name NOT IN ('strata_events_by_kind', 'strata_events_by_revision', 'strata_events_by_time') ORDER BY name);"
        let otherIndexes = "SELECT group_concat(name || ': ' || sql, ' | ') FROM (SELECT name, sql FROM sqlite_master WHERE name IN ('strata_events_by_kind', 'strata_snapshots_by_revision') ORDER BY name);"
        let current = "strata_events_by_kind: CREATE INDEX strata_events_by_kind ON strata_events (kind, seq) WHERE kind NOT IN ('migration_applied', 'snapshot_taken')"
        #expect(try project.scalar(actorIndexes) == "strata_events_by_actor")
        #expect(try project.scalar(otherIndexes) == current)
        // What a file written by an earlier build holds: three actor indexes, every kind in
        // the kind index, an index of snapshots by revision.
        let earlier = try Run.sqlite3(project.database, """
            DROP INDEX strata_events_by_actor;
            CREATE INDEX strata_events_by_user ON strata_events (json_extract(actor, '$.user'), seq);
            CREATE INDEX strata_events_by_host ON strata_events (json_extract(actor, '$.host'), seq);
            CREATE INDEX strata_events_by_pid ON strata_events (json_extract(actor, '$.pid'), seq);
            DROP INDEX strata_events_by_kind;
            CREATE INDEX strata_events_by_kind ON strata_events (kind, seq);
            CREATE INDEX strata_snapshots_by_revision ON strata_snapshots (revision, id);
            """)
        try #require(earlier.status == 0, "\(earlier)")
        // A reader only reads: without the index, --actor still answers (by reading the log).
        #expect(try Self.log(project, "--actor", EventActor.userName).count == before)
        #expect(try Self.log(project, "--kind", "stamped").count == stamped)
        let boot = try project.strata("upgrade", "b2")
        #expect(boot.status == 0, "\(boot)")
        #expect(try project.scalar(actorIndexes) == "strata_events_by_actor")
        #expect(try project.scalar(otherIndexes) == current)
        #expect(try Self.log(project, "--kind", "stamped").count == stamped)
        #expect(try project.scalar("PRAGMA integrity_check;") == "ok")
        // Every event was written by this user (the boot may have added some).
        #expect(try Self.log(project, "--actor", EventActor.userName).count == Self.log(project).count)
    }

    @Test("show: applied (when, who, how long, checksum, snapshots), unapplied, edited (diff)")
    func show() throws {
        let project = try Self.history()
        func show(_ revision: String) throws -> [String: Any] {
            let result = try project.strata("show", revision, "--format", "json")
            try #require(result.status == 0, "\(result)")
            return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        }
        let b2 = try #require(try show("b2")["audit"] as? [String: Any])
        #expect(b2["applied"] as? Bool == true && b2["file_differs"] as? Bool == false && b2["diff"] == nil)
        let last = try #require(b2["last_applied"] as? [String: Any])
        #expect(last["user"] is String && last["host"] is String && last["pid"] is Int && last["at"] is String)
        #expect((last["duration_ms"] as? Double ?? -1) >= 0)
        let fileChecksum = try #require(try show("b2")["checksum"] as? String)
        #expect(b2["recorded_checksum"] as? String == fileChecksum)
        let snapshots = try #require(b2["snapshots"] as? [[String: Any]])
        #expect(!snapshots.isEmpty && snapshots.allSatisfy { $0["raw_bytes"] is Int && $0["stored_bytes"] is Int && $0["tables"] as? [String] == ["t"] })
        #expect((b2["runs"] as? [[String: Any]])?.count == 4)  // 3 applied, 1 reverted

        let c3 = try #require(try show("c3")["audit"] as? [String: Any])
        #expect(c3["applied"] as? Bool == false && c3["last_applied"] == nil && c3["failures"] as? Int == 1)
        let text = try project.strata("show", "c3")
        #expect(text.stdout.contains("Applied: no") && text.stdout.contains("1 failed"), "\(text)")

        // Edit the applied b2: the checksums differ and the diff shows the change.
        let file = project.migrations + "/b2_test.sql"
        let original = try String(contentsOfFile: file, encoding: .utf8)
        try original.replacingOccurrences(of: "ADD COLUMN y INT;", with: "ADD COLUMN y TEXT;")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let edited = try #require(try show("b2")["audit"] as? [String: Any])
        #expect(edited["file_differs"] as? Bool == true)
        let diff = try #require(edited["diff"] as? String)
        #expect(diff.contains("\n-ALTER TABLE t ADD COLUMN y INT;") && diff.contains("\n+ALTER TABLE t ADD COLUMN y TEXT;") && diff.contains("@@ -"), "\(diff)")
        let editedText = try project.strata("show", "b2")
        #expect(editedText.stdout.contains("EDITED") && editedText.stdout.contains("+++ "), "\(editedText)")

        // Without a database: no audit part, no failure.
        let bare = try Run.strata(["show", "b2", "--format", "json"], in: project.root)
        #expect(bare.status == 0 && !bare.stdout.contains("\"audit\""), "\(bare)")
    }

    @Test("history --graph dot|mermaid marks heads, merges, labels, applied; --indicate-current")
    func historyGraph() throws {
        let project = try Project()
        project.script("base1", up: "CREATE TABLE a (id INTEGER);")
        project.script("left1", revises: ["base1"], labels: ["left"], up: "CREATE TABLE l (id INTEGER);")
        project.script("right1", revises: ["base1"], labels: ["right"], up: "CREATE TABLE r (id INTEGER);")
        project.script("merge1", revises: ["left1", "right1"], up: "SELECT 1;")
        project.script("dep1", revises: ["merge1"], dependsOn: ["left1"], up: "SELECT 2;")
        #expect(try project.strata("upgrade", "merge1").status == 0)

        let dot = try project.strata("history", "--graph", "dot")
        #expect(dot.status == 0 && dot.stdout.hasPrefix("digraph strata {"), "\(dot)")
        #expect(dot.stdout.contains("\"left1\" -> \"merge1\"") && dot.stdout.contains("\"right1\" -> \"merge1\""))
        #expect(dot.stdout.contains("\"left1\" -> \"dep1\" [style=dashed"))
        #expect(dot.stdout.contains("[left]") && dot.stdout.contains("shape=hexagon") && dot.stdout.contains("peripheries=2"))
        let appliedLines = dot.stdout.split(separator: "\n").filter { $0.contains("fillcolor=\"#c8e6c9\"") }
        #expect(appliedLines.count == 4 && !appliedLines.contains { $0.hasPrefix("  \"dep1\"") }, "\(appliedLines)")
        #expect(dot.stdout.contains("current"))
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/dot") {
            let svg = try Run.process("/usr/bin/dot", ["-Tsvg"], in: project.root, stdin: dot.stdout)
            #expect(svg.status == 0 && svg.stdout.contains("<svg") && svg.stderr.isEmpty, "\(svg)")
        }

        let mermaid = try project.strata("history", "--graph", "mermaid")
        #expect(mermaid.status == 0 && mermaid.stdout.hasPrefix("flowchart BT"), "\(mermaid)")
        #expect(mermaid.stdout.contains("-. depends on .->") && mermaid.stdout.contains("{{") && mermaid.stdout.contains("class "))

        // --format json wraps the same diagram text.
        let wrapped = try project.strata("history", "--graph", "mermaid", "--format", "json")
        let object = try JSONSerialization.jsonObject(with: Data(wrapped.stdout.utf8)) as? [String: String]
        #expect(object?["graph"] == "mermaid" && object?["text"] == String(mermaid.stdout.dropLast()), "\(wrapped)")

        let ranged = try project.strata("history", "-r", "left1:merge1", "--graph", "dot")
        #expect(ranged.status == 0 && ranged.stdout.contains("\"merge1\"") && !ranged.stdout.contains("\"base1\" ["), "\(ranged)")

        let marked = try project.strata("history", "--indicate-current")
        let currentLines = marked.stdout.split(separator: "\n").filter { $0.contains("(current)") }
        #expect(currentLines.count == 1 && currentLines[0].contains("-> merge1"), "\(marked)")
        #expect(!(try project.strata("history").stdout.contains("(current)")))
        let verbose = try project.strata("history", "--indicate-current", "--verbose")
        #expect(verbose.stdout.contains("Rev: merge1 (applied) (current)"), "\(verbose)")
    }

    @Test("report --html: valid, self-contained, every section present")
    func htmlReport() throws {
        let project = try Self.history()
        let path = project.root + "/report.html"
        let result = try project.strata("report", "--html", path)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == path + "\n")
        let json = try project.strata("report", "--html", path, "--format", "json")
        #expect((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: String]) == ["html": path], "\(json)")
        let html = try String(contentsOfFile: path, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        for section in ["Revision graph", "Event timeline", "Durations per migration", "Snapshot sizes over time"] {
            #expect(html.contains("<h2>\(section)</h2>"), "\(section)")
        }
        // The failure stands out: a red row and a tall red tick.
        #expect(html.contains("<tr class=\"failure\">") && html.contains("#d32f2f"))
        #expect(html.contains("<svg") && html.contains(">a1") && html.contains(">b2"))
        // Self-contained: no script, no external reference; the only URL is the SVG namespace.
        let lowered = html.lowercased()
        for forbidden in ["<script", "src=", "href=", "@import", "<link", "<iframe"] {
            #expect(!lowered.contains(forbidden), "\(forbidden)")
        }
        #expect(lowered.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").range(of: "http") == nil)
        #expect(lowered.replacingOccurrences(of: "url(#arrow)", with: "").range(of: "url(") == nil)
        let problems = HTMLChecker.problems(html)
        #expect(problems.isEmpty, "\(problems)")
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") {
            let checked = try Run.process("/usr/bin/python3", ["-c", HTMLChecker.python, path], in: project.root)
            #expect(checked.status == 0, "\(checked)")
        }
    }
}

/// A strict tag-balance check: every element opened is closed in order (void elements and
/// `/>` aside), attributes quoted, no stray `<` or `&`.
enum HTMLChecker {
    static let void: Set<String> = ["meta", "br", "hr", "img", "input", "link", "col", "area", "base", "source", "wbr"]

    static func problems(_ html: String) -> [String] {
        var problems: [String] = []
        var stack: [String] = []
        var rest = Substring(html)
        while let open = rest.firstIndex(where: { $0 == "<" || $0 == "&" }) {
            if rest[open] == "&" {
                let entity = rest[open...].prefix(10)
                if !(entity.hasPrefix("&amp;") || entity.hasPrefix("&lt;") || entity.hasPrefix("&gt;") || entity.hasPrefix("&quot;") || entity.hasPrefix("&#")) {
                    problems.append("stray & at \(entity)")
                }
                rest = rest[rest.index(after: open)...]
                continue
            }
            guard let close = rest[open...].firstIndex(of: ">") else { problems.append("unclosed <"); break }
            let tag = rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: close)...]
            if tag.hasPrefix("!") { continue }
            if tag.contains("<") { problems.append("< inside tag <\(tag)>") }
            if tag.hasPrefix("/") {
                let name = String(tag.dropFirst()).lowercased()
                if stack.last == name { stack.removeLast() } else { problems.append("</\(name)> closes <\(stack.last ?? "nothing")>") }
                continue
            }
            let name = String(tag.prefix { $0.isLetter || $0.isNumber }).lowercased()
            let quotes = tag.filter { $0 == "\"" }.count
            if quotes % 2 != 0 { problems.append("odd quotes in <\(tag)>") }
            if tag.hasSuffix("/") || void.contains(name) { continue }
            stack.append(name)
        }
        if !stack.isEmpty { problems.append("unclosed: \(stack)") }
        return problems
    }

    /// Python's html.parser, made strict: mismatched or unclosed tags fail.
    static let python = """
        import sys
        from html.parser import HTMLParser
        VOID = {"meta", "br", "hr", "img", "input", "link", "col", "area", "base", "source", "wbr"}
        class Strict(HTMLParser):
            def __init__(self):
                super().__init__(convert_charrefs=True)
                self.stack = []
            def handle_starttag(self, tag, attrs):
                if tag not in VOID:
                    self.stack.append(tag)
            def handle_startendtag(self, tag, attrs):
                pass
            def handle_endtag(self, tag):
                if not self.stack or self.stack[-1] != tag:
                    sys.exit("mismatched </%s> at %s, open: %s" % (tag, self.getpos(), self.stack[-3:]))
                self.stack.pop()
        parser = Strict()
        parser.feed(open(sys.argv[1], encoding="utf-8").read())
        parser.close()
        if parser.stack:
            sys.exit("unclosed: %s" % parser.stack)
        """
}
