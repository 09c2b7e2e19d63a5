-- revision: 5c0012e0a2b1
-- revises: 5c0011e0a2b1
-- message: step 12

-- +upgrade
CREATE VIEW packet_count AS SELECT node_id, count(*) AS n FROM packet_v2 GROUP BY node_id;

-- +downgrade
