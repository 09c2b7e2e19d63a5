-- revision: 1717fa5c6545
-- revises: c88468b7ab0b
-- message: Add example table
-- created: 2025-10-26T20:59:04Z

-- +upgrade
-- The example revision from MeshView's Alembic guide: the common column types, nullable and
-- non-nullable columns, server defaults and an index. (No AUTOINCREMENT, as SQLAlchemy emits
-- none for SQLite: it would create sqlite_sequence, which the downgrade could not remove.)
CREATE TABLE example (
    id INTEGER NOT NULL PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    description TEXT,
    value FLOAT,
    is_active BOOLEAN NOT NULL DEFAULT 1,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME
);

CREATE INDEX idx_example_name ON example (name);

-- +downgrade
DROP INDEX idx_example_name;
DROP TABLE example;
