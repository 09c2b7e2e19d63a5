-- revision: 9b7e1f3a6c22
-- revises: 58d0c4b2e911
-- message: index packets by node

-- +upgrade
CREATE INDEX packet_by_node ON packet (node_id);

-- +downgrade
DROP INDEX packet_by_node;
