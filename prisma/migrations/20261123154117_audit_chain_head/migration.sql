-- CreateTable
CREATE TABLE "audit_chain" (
    "id" SMALLINT NOT NULL DEFAULT 1,
    "seq" BIGINT NOT NULL,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_chain_pkey" PRIMARY KEY ("id")
);


-- one row only
ALTER TABLE "audit_chain" ADD CONSTRAINT "audit_chain_single_row" CHECK ("id" = 1);

-- the chain so far: its last entry, or the genesis hash when the log is empty
INSERT INTO "audit_chain" ("id", "seq", "prev_hash", "hash")
SELECT 1,
       COALESCE((SELECT "seq" FROM "audit_log" ORDER BY "seq" DESC LIMIT 1), 0),
       COALESCE((SELECT "prev_hash" FROM "audit_log" ORDER BY "seq" DESC LIMIT 1), repeat('0', 64)),
       COALESCE((SELECT "hash" FROM "audit_log" ORDER BY "seq" DESC LIMIT 1), repeat('0', 64));
