-- revision: 5c0019e0a2b1
-- revises: 5c0018e0a2b1
-- message: step 19

-- +upgrade
CREATE TABLE aux_19 (id INTEGER PRIMARY KEY, v TEXT);
CREATE INDEX aux_19_v ON aux_19 (v);

-- +downgrade
