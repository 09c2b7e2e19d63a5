-- revision: 5c0015e0a2b1
-- revises: 5c0014e0a2b1
-- message: step 15

-- +upgrade
CREATE TABLE aux_15 (id INTEGER PRIMARY KEY, v TEXT);
CREATE INDEX aux_15_v ON aux_15 (v);

-- +downgrade
