-- revision: 5e1a0c9d7b01
-- revises:
-- message: Create node and packet
-- created: 2026-11-25T12:00:00Z

-- +upgrade
CREATE TABLE node (id TEXT PRIMARY KEY, long_name TEXT, firmware TEXT);
CREATE TABLE packet (id INTEGER PRIMARY KEY, from_node TEXT REFERENCES node (id), payload BLOB, rssi REAL, import_time TEXT);
CREATE INDEX idx_packet_import_time ON packet (import_time DESC);

-- +downgrade
DROP TABLE packet;
DROP TABLE node;
