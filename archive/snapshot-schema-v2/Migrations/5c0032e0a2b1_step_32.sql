-- revision: 5c0032e0a2b1
-- revises: 5c0031e0a2b1
-- message: step 32

-- +upgrade
CREATE TABLE aux_32 (id INTEGER PRIMARY KEY, v TEXT);
ALTER TABLE node ADD COLUMN attr_32 TEXT;

-- +downgrade
