-- revision: 3f2a9c1e7b10
-- revises:
-- message: create node

-- +upgrade
CREATE TABLE node (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    "long name" TEXT
);
INSERT INTO node (id, name, "long name") VALUES (1, 'gw', 'Gateway ''North'''), (2, 'rpt', 'Répéteur');

-- +downgrade
DROP TABLE node;
