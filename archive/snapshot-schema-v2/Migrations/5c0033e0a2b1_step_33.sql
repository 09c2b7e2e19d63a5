-- revision: 5c0033e0a2b1
-- revises: 5c0032e0a2b1
-- message: step 33

-- +upgrade
CREATE TABLE aux_33 (id INTEGER PRIMARY KEY, v TEXT);
CREATE INDEX aux_33_v ON aux_33 (v);

-- +downgrade
