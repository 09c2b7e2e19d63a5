#!/bin/sh
# Makes archive/snapshot-schema-v2/schemas.db and expected.jsonl, the golden snapshot schemas
# read by Tests/StrataTests/Snapshots/GoldenSnapshotSchemaTests.swift (table layout 2: a
# snapshot's schema stored whole, or as changes from an earlier snapshot's; Docs/formats.md,
# "Snapshot schema v2").
#
# This ran ONCE, by hand, and must never run in CI: the files are pinned, the point being that
# every later Strata reads back what this one wrote. A new format gets a new folder instead.
#
# How it was made (2026-11-26): `strata` built from the commit that added this folder,
#     STRATA_BIN=.build/debug/strata archive/snapshot-schema-v2/make.sh
# One `strata upgrade` run applies the 37 scripts of Migrations/, so snapshot 1 stores its
# schema whole, 2-33 as changes from the one before, 34 whole again (after the longest chain
# of deltas, 32), 35-37 as changes. The expected schemas come from the sqlite3 shell alone:
# before migration k, the user objects of sqlite_master (rowid order, `sqlite_*` and
# `strata_*` left out) after the shell ran the +upgrade sections of scripts 1..k-1.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
strata=${STRATA_BIN:?set STRATA_BIN to the strata binary}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

sqlite3 schemas.db 'PRAGMA journal_mode=delete;' >/dev/null
"$strata" upgrade --database schemas.db --migrations "$here/Migrations"

sqlite3 truth.db 'PRAGMA journal_mode=delete;' >/dev/null
: > expected.jsonl
for script in "$here"/Migrations/*.sql; do
  sqlite3 truth.db "SELECT json_group_array(json_array(type, name, tbl_name, sql)) FROM
      (SELECT * FROM sqlite_master WHERE name NOT LIKE 'sqlite\_%' ESCAPE '\' AND tbl_name NOT LIKE 'strata\_%' ESCAPE '\' ORDER BY rowid);" >> expected.jsonl
  sed -n '/^-- +upgrade$/,/^-- +downgrade$/p' "$script" | sed '1d;$d' | sqlite3 -bail truth.db
done

test "$(sqlite3 schemas.db 'SELECT count(*) FROM strata_snapshots')" = "$(wc -l < expected.jsonl | tr -d ' ')"
test "$(sqlite3 schemas.db "SELECT group_concat(id) FROM strata_snapshots WHERE schema NOT LIKE '{%'")" = "1,34"
cp schemas.db expected.jsonl "$here/"
echo "wrote $here/schemas.db and $here/expected.jsonl"
