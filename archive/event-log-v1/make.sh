#!/bin/sh
# Makes archive/event-log-v1/events.db, the golden event log read by
# Tests/StrataCLITests/GoldenEventLogTests.swift (event hash v1, table layout 1).
#
# This ran ONCE, by hand, and must never run in CI: the file is pinned, the point being that
# every later Strata keeps verifying what this one wrote. Regenerating it would defeat the
# test; a new format gets a new folder (event-log-v2/) instead.
#
# How it was made (2026-11-25): the `strata` binary built from commit 4bb7707 (event log,
# verify and replay; before snapshots existed), from a clean export of that commit:
#     git archive 4bb7707 | tar -x -C /tmp/strata-head && cd /tmp/strata-head && swift build --product strata
#     STRATA_BIN=/tmp/strata-head/.build/debug/strata archive/event-log-v1/make.sh
# The sqlite3 shell (3.40.1) created the file in rollback-journal mode. The history below gives
# every kind of event that commit could write except checksum_accepted and projection_rebuilt:
# upgrades, a downgrade, a re-upgrade, a failure (then the fixed script), a dead writer's lock
# taken over (recovered), and stamps.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
strata=${STRATA_BIN:?set STRATA_BIN to the strata binary}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/Migrations"
cd "$work"
run() { "$strata" "$@" --database events.db; }
add() { cp "$here/Migrations/$1" Migrations/; }

sqlite3 events.db 'PRAGMA journal_mode=delete;'
add 3f2a9c1e7b10_create_node.sql
add 58d0c4b2e911_create_packet.sql
add 9b7e1f3a6c22_index_packet.sql
run upgrade 58d0c4b2e911            # two migrations
run upgrade                         # the third
run downgrade -1                    # revert it
run upgrade                         # and apply it again

# A failing version of the fourth script: migration_failed, status failed.
sed 's/^INSERT INTO channel (name)/INSERT INTO channel (missing_column)/' \
    "$here/Migrations/c4e8a2d0f533_create_channel.sql" > Migrations/c4e8a2d0f533_create_channel.sql
if run upgrade; then echo "the failing script applied" >&2; exit 1; fi

# A writer that died holding the lock: a pid that has exited, on this host.
sh -c 'exit 0' & dead=$!; wait $dead
host=$(sqlite3 events.db "SELECT json_extract(actor, '\$.host') FROM strata_events LIMIT 1;")
sqlite3 events.db "INSERT INTO strata_lock VALUES (1, '$host', $dead, 'ops', 'upgrade', '2026-11-25T12:00:00.000Z', 0);"

# The fixed script: recovered (the lock taken over), then the upgrade.
add c4e8a2d0f533_create_channel.sql
run upgrade

run stamp 9b7e1f3a6c22              # stamped back without running anything
run stamp heads                     # and forward again
run verify

sqlite3 events.db 'PRAGMA journal_mode;' | grep -qx delete
cp events.db "$here/events.db"
echo "wrote $here/events.db"
