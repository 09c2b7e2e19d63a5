-- revision: c4e8a2d0f533
-- revises: 9b7e1f3a6c22
-- message: create channel

-- +upgrade
CREATE TABLE channel (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
INSERT INTO channel (name) VALUES ('LongFast');

-- +downgrade
DROP TABLE channel;
