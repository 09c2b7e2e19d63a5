-- revision: 4e7c0d2a9b16
-- revises: 1717fa5c6545
-- message: Add packet indexes for the newest-first pages
-- created: 2025-10-28T09:12:41Z

-- +upgrade
-- The web pages list packets newest first, overall and per node; DESC indexes let SQLite
-- walk them in page order instead of sorting.
CREATE INDEX idx_packet_import_time ON packet (import_time DESC);
CREATE INDEX idx_packet_from_node_time ON packet (from_node_id, import_time DESC);
CREATE INDEX idx_packet_seen_node_id ON packet_seen (node_id);
CREATE INDEX idx_traceroute_import_time ON traceroute (import_time DESC);

-- +downgrade
DROP INDEX idx_traceroute_import_time;
DROP INDEX idx_packet_seen_node_id;
DROP INDEX idx_packet_from_node_time;
DROP INDEX idx_packet_import_time;
