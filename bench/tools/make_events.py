#!/usr/bin/env python3
"""Appends N events to a Strata database's strata_events, continuing its hash chain.

Used by the benchmark harness to build a 1M-event log quickly (seconds, not hours of real
upgrades). The database must already have Strata's tables (the harness runs `strata stamp`
first). Each hash is computed from the canonical form of Docs/formats.md, "Event hash v1", so
`strata verify` accepts the chain.

The log is shaped like a long-lived database cycling a linear history of R revisions down to
base and back up: upgrade_started, then per revision snapshot_taken + migration_applied, then
upgrade_completed; the same for downgrades. At the very end one more revision, `rare`, is
applied and reverted once, so `log --revision rare` matches 2 events among N.

    python3 make_events.py DB COUNT REVISIONS RARE
"""
import hashlib, json, sqlite3, sys, time

GENESIS = "0" * 64
ACTOR = json.dumps({"host": "bench", "pid": 1, "tool": "strata 0.1.0", "user": "bench"}, separators=(",", ":"), sort_keys=True)


def canonical(seq, at, kind, revision, status, heads, actor, detail, prev):
    out = bytearray(b"strata-event-v1\n")
    for field in (str(seq), at, kind, revision, status, heads, actor, detail, prev):
        if field is None:
            out += b"-\n"
        else:
            data = field.encode("utf-8")
            out += str(len(data)).encode("ascii") + b":" + data + b"\n"
    return bytes(out)


def main():
    db, count, revision_count, rare = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    revisions = [f"r{index:011d}" for index in range(revision_count)]
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA synchronous=OFF")
    con.execute("BEGIN")
    last = con.execute("SELECT seq, hash FROM strata_events ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (last[0], last[1]) if last else (0, GENESIS)
    start_heads = sorted(row[0] for row in con.execute("SELECT version_num FROM strata_version"))
    base_ms = 1_700_000_000_000
    rows = []

    def emit(kind, revision, status, heads, detail):
        nonlocal seq, prev
        seq += 1
        ms = base_ms + seq * 37
        at = "%s.%03dZ" % (time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)), ms % 1000)
        heads_json = json.dumps(heads, separators=(",", ":"))
        detail_json = json.dumps(detail, separators=(",", ":"), sort_keys=True)
        digest = hashlib.sha256(canonical(seq, at, kind, revision, status, heads_json, ACTOR, detail_json, prev)).hexdigest()
        rows.append((seq, at, kind, revision, status, heads_json, ACTOR, detail_json, prev, digest))
        prev = digest
        if len(rows) >= 20000:
            flush()

    def flush():
        con.executemany("INSERT INTO strata_events (seq, at, kind, revision, status, heads, actor, detail, prev_hash, hash) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        rows.clear()

    target = count - 2  # room for the rare revision's two events at the end
    heads = []
    going_up = True
    while seq < target:
        if going_up:
            emit("upgrade_started", None, "migrating", heads, {"from": heads, "plan": ["..."], "target": revisions[-1]})
            for revision in revisions:
                if seq >= target: break
                emit("snapshot_taken", revision, "migrating", heads, {"duration_ms": 0.5, "mode": "touched", "rows": 0})
                heads = [revision]
                emit("migration_applied", revision, "migrating", heads, {"direction": "upgrade", "duration_ms": 1.0})
            emit("upgrade_completed", None, "idle", heads, {"applied": revision_count, "duration_ms": 200.0, "target": revisions[-1]})
        else:
            emit("downgrade_started", None, "migrating", heads, {"from": heads, "plan": ["..."], "target": "base"})
            for index in reversed(range(revision_count)):
                if seq >= target: break
                emit("snapshot_taken", revisions[index], "migrating", heads, {"duration_ms": 0.5, "mode": "touched", "rows": 0})
                heads = [revisions[index - 1]] if index > 0 else []
                emit("migration_reverted", revisions[index], "migrating", heads, {"direction": "downgrade", "duration_ms": 1.0})
            emit("downgrade_completed", None, "idle", heads, {"applied": revision_count, "duration_ms": 200.0, "target": "base"})
        going_up = not going_up
    # Applied and reverted, so the log ends at the heads strata_version already holds and
    # `strata verify` finds the chain and the projection intact.
    emit("migration_applied", rare, "migrating", [rare], {"direction": "upgrade", "duration_ms": 1.0})
    emit("migration_reverted", rare, "idle", start_heads, {"direction": "downgrade", "duration_ms": 1.0})
    flush()
    con.execute("COMMIT")
    print(seq)


if __name__ == "__main__":
    main()
