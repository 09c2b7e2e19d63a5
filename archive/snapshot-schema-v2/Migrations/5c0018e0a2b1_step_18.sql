-- revision: 5c0018e0a2b1
-- revises: 5c0017e0a2b1
-- message: step 18

-- +upgrade
CREATE TABLE aux_18 (id INTEGER PRIMARY KEY, v TEXT);
ALTER TABLE node ADD COLUMN attr_18 TEXT;

-- +downgrade
