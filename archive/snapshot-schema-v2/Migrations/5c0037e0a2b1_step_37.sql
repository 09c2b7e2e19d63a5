-- revision: 5c0037e0a2b1
-- revises: 5c0036e0a2b1
-- message: step 37

-- +upgrade
DROP TABLE aux_13;

-- +downgrade
