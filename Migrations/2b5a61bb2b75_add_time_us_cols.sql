-- revision: 2b5a61bb2b75
-- revises: 4e7c0d2a9b16
-- message: Add import_time_us columns
-- created: 2025-10-30T17:45:03Z

-- +upgrade
-- Microseconds since the Unix epoch, as integers: compact, sortable, and free of the text
-- formats DATETIME columns ended up holding.
ALTER TABLE packet ADD COLUMN import_time_us BIGINT;
ALTER TABLE packet_seen ADD COLUMN import_time_us BIGINT;
ALTER TABLE traceroute ADD COLUMN import_time_us BIGINT;

-- Backfill from import_time. SQLite's date functions keep milliseconds only ('%f' is SS.SSS),
-- so older rows get millisecond precision; new rows are written in microseconds by the app.
UPDATE packet SET import_time_us =
    CAST(strftime('%s', import_time) AS INTEGER) * 1000000
    + CAST(round((strftime('%f', import_time) - CAST(strftime('%S', import_time) AS INTEGER)) * 1000) AS INTEGER) * 1000
WHERE import_time IS NOT NULL;
UPDATE packet_seen SET import_time_us =
    CAST(strftime('%s', import_time) AS INTEGER) * 1000000
    + CAST(round((strftime('%f', import_time) - CAST(strftime('%S', import_time) AS INTEGER)) * 1000) AS INTEGER) * 1000
WHERE import_time IS NOT NULL;
UPDATE traceroute SET import_time_us =
    CAST(strftime('%s', import_time) AS INTEGER) * 1000000
    + CAST(round((strftime('%f', import_time) - CAST(strftime('%S', import_time) AS INTEGER)) * 1000) AS INTEGER) * 1000
WHERE import_time IS NOT NULL;

CREATE INDEX idx_packet_import_time_us ON packet (import_time_us DESC);
CREATE INDEX idx_packet_from_node_time_us ON packet (from_node_id, import_time_us DESC);
CREATE INDEX idx_packet_seen_import_time_us ON packet_seen (import_time_us DESC);
CREATE INDEX idx_traceroute_import_time_us ON traceroute (import_time_us DESC);

-- +downgrade
-- SQLite refuses to drop an indexed column, so the indexes go first.
DROP INDEX idx_traceroute_import_time_us;
DROP INDEX idx_packet_seen_import_time_us;
DROP INDEX idx_packet_from_node_time_us;
DROP INDEX idx_packet_import_time_us;
ALTER TABLE traceroute DROP COLUMN import_time_us;
ALTER TABLE packet_seen DROP COLUMN import_time_us;
ALTER TABLE packet DROP COLUMN import_time_us;
