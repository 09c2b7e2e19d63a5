-- revision: 5c0030e0a2b1
-- revises: 5c0029e0a2b1
-- message: step 30

-- +upgrade
CREATE TABLE aux_30 (id INTEGER PRIMARY KEY, v TEXT);
ALTER TABLE node ADD COLUMN attr_30 TEXT;

-- +downgrade
