-- revision: 1717fa5c6545
-- revises: 2b5a61bb2b75
-- message: Add example table for Zürich ✓
-- created: 2025-10-26T20:59:04Z

-- +upgrade
CREATE TABLE example (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL);
CREATE INDEX idx_example_name ON example (name);

-- +downgrade
DROP INDEX idx_example_name;
DROP TABLE example;
