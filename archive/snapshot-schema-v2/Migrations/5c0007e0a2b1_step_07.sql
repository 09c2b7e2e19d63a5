-- revision: 5c0007e0a2b1
-- revises: 5c0006e0a2b1
-- message: step 7

-- +upgrade
CREATE TRIGGER node_touch AFTER UPDATE ON node BEGIN UPDATE node SET seen_at = '2026-01-01' WHERE id = NEW.id AND seen_at IS NULL; END;

-- +downgrade
