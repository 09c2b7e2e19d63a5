-- revision: 5c0005e0a2b1
-- revises: 5c0004e0a2b1
-- message: step 5

-- +upgrade
ALTER TABLE node ADD COLUMN seen_at TEXT;

-- +downgrade
