-- revision: 5c0021e0a2b1
-- revises: 5c0020e0a2b1
-- message: step 21

-- +upgrade
CREATE TABLE aux_21 (id INTEGER PRIMARY KEY, v TEXT);
CREATE INDEX aux_21_v ON aux_21 (v);

-- +downgrade
