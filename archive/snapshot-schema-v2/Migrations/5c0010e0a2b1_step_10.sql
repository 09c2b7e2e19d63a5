-- revision: 5c0010e0a2b1
-- revises: 5c0009e0a2b1
-- message: step 10

-- +upgrade
ALTER TABLE packet RENAME TO packet_v2;

-- +downgrade
