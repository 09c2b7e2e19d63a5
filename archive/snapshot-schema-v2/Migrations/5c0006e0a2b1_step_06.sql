-- revision: 5c0006e0a2b1
-- revises: 5c0005e0a2b1
-- message: step 6

-- +upgrade
CREATE TABLE "odd ""name"" é" ("col 1" TEXT DEFAULT 'it''s', "😀" INTEGER, UNIQUE ("col 1"));

-- +downgrade
