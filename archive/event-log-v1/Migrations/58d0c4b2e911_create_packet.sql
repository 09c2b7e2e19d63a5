-- revision: 58d0c4b2e911
-- revises: 3f2a9c1e7b10
-- message: create packet

-- +upgrade
CREATE TABLE packet (
    id INTEGER PRIMARY KEY,
    node_id INTEGER NOT NULL REFERENCES node (id),
    payload BLOB
);
INSERT INTO packet (node_id, payload) VALUES (1, x'00ff'), (2, NULL);

-- +downgrade
DROP TABLE packet;
