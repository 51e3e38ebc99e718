-- GET /audit by time (from, to): a page whose window lies far into the chain is taken from the window's
-- entries, read whole from this index without touching the table, then ordered by seq
-- (db/repositories/audit-pages.ts). It also finds where a window starts in the chain, and serves
-- everything the index on "at" alone served, which it replaces.
DROP INDEX "audit_log_at_idx";
CREATE INDEX "audit_log_at_seq_idx" ON "audit_log"("at", "seq");

-- GET /approvals: newest first by (proposed_at, id), unfiltered (the part after those pending), by kind
-- and by programme; the cursor bounds each scan. The programme's index replaces the one without id.
CREATE INDEX "approvals_proposed_at_id_idx" ON "approvals"("proposed_at", "id");
CREATE INDEX "approvals_kind_proposed_at_id_idx" ON "approvals"("kind", "proposed_at", "id");
DROP INDEX "approvals_programme_id_proposed_at_idx";
CREATE INDEX "approvals_programme_id_proposed_at_id_idx" ON "approvals"("programme_id", "proposed_at", "id");
