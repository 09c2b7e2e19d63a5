-- revision: 5c0025e0a2b1
-- revises: 5c0024e0a2b1
-- message: step 25

-- +upgrade
CREATE TABLE aux_25 (id INTEGER PRIMARY KEY, v TEXT);
CREATE INDEX aux_25_v ON aux_25 (v);

-- +downgrade
