-- revision: 5c0011e0a2b1
-- revises: 5c0010e0a2b1
-- message: step 11

-- +upgrade
DROP VIEW packet_count;

-- +downgrade
