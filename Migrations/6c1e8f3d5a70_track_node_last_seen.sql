-- revision: 6c1e8f3d5a70
-- revises: 9f3b1a8d2c4f
-- message: Track when each node was last heard
-- created: 2025-11-03T14:47:29Z

-- +upgrade
ALTER TABLE node ADD COLUMN last_seen_us BIGINT;

UPDATE node SET last_seen_us =
    (SELECT max(p.import_time_us) FROM packet AS p WHERE p.from_node_id = node.node_id);

-- Keeps last_seen_us current as packets arrive, and gives a node heard for the first time a
-- placeholder row until its NODEINFO packet names it. The body holds several statements;
-- SQLite's own parser finds where the trigger ends, so the ';' inside it (and inside the
-- string literal below) split nothing.
CREATE TRIGGER trg_packet_touch_node AFTER INSERT ON packet
WHEN NEW.import_time_us IS NOT NULL AND NEW.from_node_id IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO node (id, node_id, long_name, short_name, last_seen_us)
    VALUES (printf('!%08x', NEW.from_node_id), NEW.from_node_id,
            'unknown; -- not announced yet', '????', NEW.import_time_us);
    UPDATE node SET last_seen_us = max(coalesce(last_seen_us, 0), NEW.import_time_us)
    WHERE node_id = NEW.from_node_id;
END;

-- +downgrade
-- Placeholder nodes the trigger created stay: they are data, not schema.
DROP TRIGGER trg_packet_touch_node;
ALTER TABLE node DROP COLUMN last_seen_us;
