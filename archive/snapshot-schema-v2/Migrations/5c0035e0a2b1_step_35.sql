-- revision: 5c0035e0a2b1
-- revises: 5c0034e0a2b1
-- message: step 35

-- +upgrade
CREATE TABLE aux_35 (id INTEGER PRIMARY KEY, v TEXT);
CREATE INDEX aux_35_v ON aux_35 (v);

-- +downgrade
