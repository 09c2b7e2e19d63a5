-- revision: 5c0009e0a2b1
-- revises: 5c0008e0a2b1
-- message: step 9

-- +upgrade
CREATE INDEX packet_node ON packet (node_id, id);

-- +downgrade
