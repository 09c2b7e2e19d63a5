-- revision: 5c0022e0a2b1
-- revises: 5c0021e0a2b1
-- message: step 22

-- +upgrade
CREATE TABLE aux_22 (id INTEGER PRIMARY KEY, v TEXT);
ALTER TABLE node ADD COLUMN attr_22 TEXT;

-- +downgrade
