-- revision: 5c0002e0a2b1
-- revises: 5c0001e0a2b1
-- message: step 2

-- +upgrade
CREATE TABLE packet (id INTEGER PRIMARY KEY, node_id INTEGER REFERENCES node (id), payload BLOB);

-- +downgrade
