-- revision: 5c0024e0a2b1
-- revises: 5c0023e0a2b1
-- message: step 24

-- +upgrade
CREATE TABLE aux_24 (id INTEGER PRIMARY KEY, v TEXT);
ALTER TABLE node ADD COLUMN attr_24 TEXT;

-- +downgrade
