-- revision: 5c0014e0a2b1
-- revises: 5c0013e0a2b1
-- message: step 14

-- +upgrade
CREATE TABLE aux_14 (id INTEGER PRIMARY KEY, v TEXT);
ALTER TABLE node ADD COLUMN attr_14 TEXT;

-- +downgrade
