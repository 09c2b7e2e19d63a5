-- revision: 5c0027e0a2b1
-- revises: 5c0026e0a2b1
-- message: step 27

-- +upgrade
CREATE TABLE aux_27 (id INTEGER PRIMARY KEY, v TEXT);
CREATE INDEX aux_27_v ON aux_27 (v);

-- +downgrade
