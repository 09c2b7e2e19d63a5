-- revision: 5c0036e0a2b1
-- revises: 5c0035e0a2b1
-- message: step 36

-- +upgrade
CREATE TABLE aux_36 (id INTEGER PRIMARY KEY, v TEXT);
ALTER TABLE node ADD COLUMN attr_36 TEXT;

-- +downgrade
