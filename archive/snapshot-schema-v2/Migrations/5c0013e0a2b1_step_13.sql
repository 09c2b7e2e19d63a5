-- revision: 5c0013e0a2b1
-- revises: 5c0012e0a2b1
-- message: step 13

-- +upgrade
CREATE TABLE aux_13 (id INTEGER PRIMARY KEY, v TEXT);
CREATE INDEX aux_13_v ON aux_13 (v);

-- +downgrade
