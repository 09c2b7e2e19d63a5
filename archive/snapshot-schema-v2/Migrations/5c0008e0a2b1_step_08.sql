-- revision: 5c0008e0a2b1
-- revises: 5c0007e0a2b1
-- message: step 8

-- +upgrade
DROP INDEX packet_node;

-- +downgrade
