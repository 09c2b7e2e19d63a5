-- revision: 5c0001e0a2b1
-- revises: 
-- message: step 1

-- +upgrade
CREATE TABLE node (id INTEGER PRIMARY KEY, name TEXT NOT NULL);

-- +downgrade
