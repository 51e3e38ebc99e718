-- entries take their number from the chain's head row (audit_chain), under its lock; the sequence
-- the column started with is no longer drawn from
ALTER TABLE "audit_log" ALTER COLUMN "seq" DROP DEFAULT;
DROP SEQUENCE "audit_log_seq_seq";
