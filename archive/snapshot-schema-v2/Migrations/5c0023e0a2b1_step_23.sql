-- revision: 5c0023e0a2b1
-- revises: 5c0022e0a2b1
-- message: step 23

-- +upgrade
CREATE TABLE aux_23 (id INTEGER PRIMARY KEY, v TEXT);
CREATE INDEX aux_23_v ON aux_23 (v);

-- +downgrade
