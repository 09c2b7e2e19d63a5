-- revision: 9f3b1a8d2c4f
-- revises: 2b5a61bb2b75
-- message: Drop import_time
-- created: 2025-11-02T11:20:37Z

-- +upgrade
-- import_time_us replaces import_time. ALTER TABLE ... DROP COLUMN (SQLite 3.35+) refuses a
-- column that is indexed, part of a key or used by a trigger or view, so the indexes on
-- import_time are dropped first; none of these columns is in a key, constraint or trigger.
DROP INDEX idx_packet_import_time;
DROP INDEX idx_packet_from_node_time;
DROP INDEX idx_traceroute_import_time;
ALTER TABLE packet DROP COLUMN import_time;
ALTER TABLE packet_seen DROP COLUMN import_time;
ALTER TABLE traceroute DROP COLUMN import_time;

-- +downgrade
-- The columns come back at the end of each table (SQLite cannot add a column elsewhere),
-- refilled from import_time_us in the 'YYYY-MM-DD HH:MM:SS.SSS' text SQLAlchemy reads.
ALTER TABLE packet ADD COLUMN import_time DATETIME;
ALTER TABLE packet_seen ADD COLUMN import_time DATETIME;
ALTER TABLE traceroute ADD COLUMN import_time DATETIME;
UPDATE packet SET import_time = strftime('%Y-%m-%d %H:%M:%f', import_time_us / 1000000.0, 'unixepoch')
WHERE import_time_us IS NOT NULL;
UPDATE packet_seen SET import_time = strftime('%Y-%m-%d %H:%M:%f', import_time_us / 1000000.0, 'unixepoch')
WHERE import_time_us IS NOT NULL;
UPDATE traceroute SET import_time = strftime('%Y-%m-%d %H:%M:%f', import_time_us / 1000000.0, 'unixepoch')
WHERE import_time_us IS NOT NULL;
CREATE INDEX idx_packet_import_time ON packet (import_time DESC);
CREATE INDEX idx_packet_from_node_time ON packet (from_node_id, import_time DESC);
CREATE INDEX idx_traceroute_import_time ON traceroute (import_time DESC);
