-- revision: 5c0026e0a2b1
-- revises: 5c0025e0a2b1
-- message: step 26

-- +upgrade
CREATE TABLE aux_26 (id INTEGER PRIMARY KEY, v TEXT);
ALTER TABLE node ADD COLUMN attr_26 TEXT;

-- +downgrade
