-- revision: 5c0028e0a2b1
-- revises: 5c0027e0a2b1
-- message: step 28

-- +upgrade
CREATE TABLE aux_28 (id INTEGER PRIMARY KEY, v TEXT);
ALTER TABLE node ADD COLUMN attr_28 TEXT;

-- +downgrade
