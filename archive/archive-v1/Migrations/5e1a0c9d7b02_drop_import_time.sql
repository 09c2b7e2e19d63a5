-- revision: 5e1a0c9d7b02
-- revises: 5e1a0c9d7b01
-- message: Drop import_time (MeshView 9f3b1a8d2c4f's data loss, undone by restore)
-- created: 2026-11-25T12:01:00Z

-- +upgrade
DROP INDEX idx_packet_import_time;
CREATE TABLE packet_new (id INTEGER PRIMARY KEY, from_node TEXT REFERENCES node (id), payload BLOB, rssi REAL);
INSERT INTO packet_new (id, from_node, payload, rssi) SELECT id, from_node, payload, rssi FROM packet;
DROP TABLE packet;
ALTER TABLE packet_new RENAME TO packet;
ALTER TABLE node DROP COLUMN firmware;
