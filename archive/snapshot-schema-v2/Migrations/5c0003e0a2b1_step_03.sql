-- revision: 5c0003e0a2b1
-- revises: 5c0002e0a2b1
-- message: step 3

-- +upgrade
CREATE INDEX packet_node ON packet (node_id);

-- +downgrade
