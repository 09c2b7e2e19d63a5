-- revision: 5c0031e0a2b1
-- revises: 5c0030e0a2b1
-- message: step 31

-- +upgrade
CREATE TABLE aux_31 (id INTEGER PRIMARY KEY, v TEXT);
CREATE INDEX aux_31_v ON aux_31 (v);

-- +downgrade
