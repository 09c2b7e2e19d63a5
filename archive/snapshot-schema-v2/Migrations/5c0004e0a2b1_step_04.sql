-- revision: 5c0004e0a2b1
-- revises: 5c0003e0a2b1
-- message: step 4

-- +upgrade
CREATE VIEW packet_count AS SELECT node_id, count(*) AS n FROM packet GROUP BY node_id;

-- +downgrade
