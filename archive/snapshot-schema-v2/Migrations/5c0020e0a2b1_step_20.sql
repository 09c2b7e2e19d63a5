-- revision: 5c0020e0a2b1
-- revises: 5c0019e0a2b1
-- message: step 20

-- +upgrade
CREATE TABLE aux_20 (id INTEGER PRIMARY KEY, v TEXT);
ALTER TABLE node ADD COLUMN attr_20 TEXT;

-- +downgrade
