-- revision: 5c0016e0a2b1
-- revises: 5c0015e0a2b1
-- message: step 16

-- +upgrade
CREATE TABLE aux_16 (id INTEGER PRIMARY KEY, v TEXT);
ALTER TABLE node ADD COLUMN attr_16 TEXT;

-- +downgrade
