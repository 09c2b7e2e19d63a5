#!/bin/sh
# Makes the golden archive of format v1, read by Tests/StrataCLITests/ArchiveTests.swift
# (GoldenArchiveTests) forever:
#   sample.strata-archive  the archive file, written by `strata archive export --prune`
#   pruned.db              the database it was exported from, as the export left it (its
#                          snapshots pruned, so their data lives only in the archive)
#   restored.dump          the sqlite3 shell's per-table .dump of the user tables at the first
#                          revision: what `archive import` + `restore 5e1a0c9d7b01` must give back
#
# This ran ONCE, by hand, and must never run in CI: the files are pinned, the point being that
# every later Strata keeps reading what this one wrote. A new format gets a new folder
# (archive-v2/) instead. See README.md for how and when it was made.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
strata=${STRATA_BIN:?set STRATA_BIN to the strata binary}
[ ! -e "$here/sample.strata-archive" ] || { echo "sample.strata-archive exists; it is pinned" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$here/Migrations" "$work/Migrations"
cd "$work"
run() { "$strata" "$@" --database app.db; }

# Per-table dumps in name order, as Project.objectDump() in the CLI tests makes them.
object_dump() {
    for name in $(sqlite3 app.db "SELECT DISTINCT tbl_name FROM sqlite_master WHERE tbl_name NOT LIKE 'strata\_%' ESCAPE '\\' AND tbl_name NOT LIKE 'sqlite\_%' ESCAPE '\\' ORDER BY 1;"); do
        printf -- '-- %s\n' "$name"
        sqlite3 app.db ".dump '$name'"
    done
}

sqlite3 app.db 'PRAGMA journal_mode=delete;' >/dev/null
run upgrade 5e1a0c9d7b01
# Values that must come back byte for byte: quotes, ';' and '--', unicode, NUL bytes in a blob,
# an empty blob (not NULL), 64-bit extremes, -0.0, 1e308 and a subnormal.
sqlite3 app.db <<'SQL'
INSERT INTO node VALUES ('!a1b2', 'Alpha; -- "one"', 'v2.5.1'), ('!c3d4', 'Ünïcødé ノード', NULL), ('!e5f6', '', '');
INSERT INTO packet VALUES
    (1, '!a1b2', x'00ff0000fe', -0.0, '2025-10-26 20:59:04'),
    (2, '!c3d4', x'', 1e308, '2025-10-26 21:00:00'),
    (3, NULL, NULL, 4.9406564584124654e-324, NULL),
    (9223372036854775807, '!e5f6', x'0a0b', -9223372036854775808, 'max id');
SQL
object_dump > "$work/restored.dump"
run upgrade
run archive export sample.strata-archive --prune
run verify
"$strata" archive inspect sample.strata-archive

cp sample.strata-archive "$here/sample.strata-archive"
cp app.db "$here/pruned.db"
cp restored.dump "$here/restored.dump"
echo "wrote $here/sample.strata-archive, pruned.db and restored.dump"
