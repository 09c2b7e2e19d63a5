#!/usr/bin/env python3
"""Reader latency and idle CPU: `strata wait` against MeshView's 2 s polling.

Not part of the build or the tests. Usage (from the repository root, after `swift build`):

    python3 bench/reader-latency/measure.py [--trials 50] [--baseline-trials 20] [--idle 10]
                                            [--journal wal|delete] [--mode upgrade|commit]
                                            [--strata .build/debug/strata]

Latency, two ways, per trial on a fresh folder and database; the reader process starts and is
given a random 0.3-2.3 s to settle into waiting (random, so a polling reader's phase is random
too); the reader's return time is when the harness reaps its process (process exit included):
  upgrade:  a writer process (`strata upgrade`) applies two migrations; the final commit time is
            the `at` of its `upgrade_completed` event, stamped just before COMMIT, so the figure
            includes the commit itself (its fsync) and is an upper bound.
  commit:   the database is first upgraded to the first revision; then the harness itself commits
            what the writer's last transaction commits (the version row and an idle
            `upgrade_completed` event) and takes the time right after COMMIT returns.

Idle CPU: a reader waiting on a database that never reaches its head, utime + stime from
/proc/<pid>/stat over --idle seconds after a 1 s warm-up, as a percentage of one core.

Baseline: MeshView's loop (SPEC §1), in Python: open the file read-only, read the version
table, sleep 2 s, until the head is there.
"""
import argparse, json, os, random, sqlite3, statistics, subprocess, sys, tempfile, threading, time
from datetime import datetime, timezone

SCRIPTS = {
    "aaaa0001_first.sql": "-- revision: aaaa0001\n-- revises:\n-- message: first\n\n-- +upgrade\nCREATE TABLE a (x);\n\n-- +downgrade\nDROP TABLE a;\n",
    "bbbb0002_second.sql": "-- revision: bbbb0002\n-- revises: aaaa0001\n-- message: second\n\n-- +upgrade\nCREATE TABLE b (x);\n\n-- +downgrade\nDROP TABLE b;\n",
}
HEAD = "bbbb0002"

BASELINE = r'''
import sqlite3, sys, time
path, head = sys.argv[1], sys.argv[2]
while True:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        rows = [r[0] for r in db.execute("SELECT version_num FROM strata_version")]
        db.close()
        if rows == [head]:
            sys.exit(0)
    except sqlite3.Error:
        pass
    time.sleep(2)
'''


def project(journal):
    root = tempfile.mkdtemp(prefix="strata-bench-")
    os.mkdir(os.path.join(root, "Migrations"))
    for name, text in SCRIPTS.items():
        with open(os.path.join(root, "Migrations", name), "w") as f:
            f.write(text)
    db = os.path.join(root, "app.db")
    con = sqlite3.connect(db)
    con.execute(f"PRAGMA journal_mode={journal}")
    con.close()
    return root, db


def reader_command(kind, strata, db):
    if kind == "strata":
        return [strata, "wait", "--database", db, "--timeout", "60"]
    return [sys.executable, "-c", BASELINE, db, HEAD]


def completed_at(db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    at = con.execute("SELECT at FROM strata_events WHERE kind = 'upgrade_completed' ORDER BY seq DESC LIMIT 1").fetchone()[0]
    con.close()
    return datetime.strptime(at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc).timestamp()


def final_commit(db):
    """The shape of the writer's last transaction: version row and an idle event; returns the time COMMIT returned."""
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    seq, prev = con.execute("SELECT seq, hash FROM strata_events ORDER BY seq DESC LIMIT 1").fetchone()
    con.execute("UPDATE strata_version SET version_num = ?", (HEAD,))
    con.execute("INSERT INTO strata_events (seq, at, kind, revision, status, heads, actor, detail, prev_hash, hash) "
                "VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'upgrade_completed', NULL, 'idle', ?, '{}', '{}', ?, ?)",
                (seq + 1, json.dumps([HEAD]), prev, "0" * 64))
    con.execute("COMMIT")
    committed = time.time()
    con.close()
    return committed


def trial(kind, strata, journal, mode):
    root, db = project(journal)
    if mode == "commit":
        subprocess.run([strata, "upgrade", "aaaa0001", "--database", db], cwd=root, check=True, capture_output=True)
    reader = subprocess.Popen(reader_command(kind, strata, db), cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    returned = {}

    def reap():
        reader.wait()
        returned["t"] = time.time()

    watcher = threading.Thread(target=reap)
    watcher.start()
    time.sleep(0.3 + random.random() * 2)  # let the reader settle into waiting, at a random phase
    if mode == "commit":
        committed = final_commit(db)
    else:
        writer = subprocess.run([strata, "upgrade", "--database", db], cwd=root, capture_output=True)
        if writer.returncode != 0:
            sys.exit(f"writer failed: {writer.stderr.decode()}")
    watcher.join()
    if reader.returncode != 0:
        sys.exit(f"reader exited {reader.returncode}: {reader.stderr.read().decode()}")
    if mode != "commit":
        committed = completed_at(db)
    latency = (returned["t"] - committed) * 1000
    subprocess.run(["rm", "-rf", root])
    return latency


def idle_cpu(kind, strata, journal, seconds):
    root, db = project(journal)  # never upgraded: the reader waits the whole time
    reader = subprocess.Popen(reader_command(kind, strata, db), cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)

    def ticks():
        with open(f"/proc/{reader.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)

    before = ticks()
    time.sleep(seconds)
    used = ticks() - before
    reader.kill()
    reader.wait()
    subprocess.run(["rm", "-rf", root])
    return 100.0 * used / os.sysconf("SC_CLK_TCK") / seconds, used


def percentile(values, p):
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[k]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--strata", default=".build/debug/strata")
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--baseline-trials", type=int, default=20)
    parser.add_argument("--idle", type=float, default=10)
    parser.add_argument("--journal", default="wal", choices=["wal", "delete"])
    parser.add_argument("--mode", default="upgrade", choices=["upgrade", "commit"])
    args = parser.parse_args()
    strata = os.path.abspath(args.strata)

    for kind, trials in (("strata", args.trials), ("poll-2s", args.baseline_trials)):
        if trials == 0:
            continue
        latencies = [trial(kind, strata, args.journal, args.mode) for _ in range(trials)]
        cpu, ticks = idle_cpu(kind, strata, args.journal, args.idle)
        print(f"{kind:8} journal={args.journal} mode={args.mode} trials={trials} latency ms: p50 {percentile(latencies, 50):.1f}  "
              f"p99 {percentile(latencies, 99):.1f}  max {max(latencies):.1f}  mean {statistics.mean(latencies):.1f}  |  "
              f"idle CPU over {args.idle:g} s: {cpu:.3f}% of a core ({ticks} ticks)")


if __name__ == "__main__":
    main()
