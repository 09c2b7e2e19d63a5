-- revision: 5c0029e0a2b1
-- revises: 5c0028e0a2b1
-- message: step 29

-- +upgrade
CREATE TABLE aux_29 (id INTEGER PRIMARY KEY, v TEXT);
CREATE INDEX aux_29_v ON aux_29 (v);

-- +downgrade
