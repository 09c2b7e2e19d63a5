-- revision: 5c0017e0a2b1
-- revises: 5c0016e0a2b1
-- message: step 17

-- +upgrade
CREATE TABLE aux_17 (id INTEGER PRIMARY KEY, v TEXT);
CREATE INDEX aux_17_v ON aux_17 (v);

-- +downgrade
