-- revision: 5c0034e0a2b1
-- revises: 5c0033e0a2b1
-- message: step 34

-- +upgrade
CREATE TABLE aux_34 (id INTEGER PRIMARY KEY, v TEXT);
ALTER TABLE node ADD COLUMN attr_34 TEXT;

-- +downgrade
