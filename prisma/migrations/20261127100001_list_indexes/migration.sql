-- Every list reads newest first by (created_at, id) (vouchers by issued_at), narrowed by the filters it
-- offers. Each index below serves one list's WHERE and ORDER BY together, so that a page, first or deep
-- (the cursor bounds the scan), reads about `limit` index entries whatever the table's size.
-- Indexes whose columns lead a new one are replaced by it.

-- GET /applications (status, programmeId; an SME's own: applications_enterprise_id_idx)
CREATE INDEX "applications_created_at_id_idx" ON "applications"("created_at", "id");
CREATE INDEX "applications_status_created_at_id_idx" ON "applications"("status", "created_at", "id");
CREATE INDEX "applications_programme_id_created_at_id_idx" ON "applications"("programme_id", "created_at", "id");
DROP INDEX "applications_programme_id_status_idx";
CREATE INDEX "applications_programme_id_status_created_at_id_idx" ON "applications"("programme_id", "status", "created_at", "id");

-- GET /vouchers (status, programmeId; an SME's own: vouchers_enterprise_id_idx)
CREATE INDEX "vouchers_issued_at_id_idx" ON "vouchers"("issued_at", "id");
CREATE INDEX "vouchers_status_issued_at_id_idx" ON "vouchers"("status", "issued_at", "id");
CREATE INDEX "vouchers_programme_id_issued_at_id_idx" ON "vouchers"("programme_id", "issued_at", "id");
DROP INDEX "vouchers_programme_id_status_idx";
CREATE INDEX "vouchers_programme_id_status_issued_at_id_idx" ON "vouchers"("programme_id", "status", "issued_at", "id");

-- GET /bookings and /worklist (status; a provider's own; an SME's own: bookings_enterprise_id_status_idx)
CREATE INDEX "bookings_created_at_id_idx" ON "bookings"("created_at", "id");
CREATE INDEX "bookings_status_created_at_id_idx" ON "bookings"("status", "created_at", "id");
CREATE INDEX "bookings_provider_id_created_at_id_idx" ON "bookings"("provider_id", "created_at", "id");
DROP INDEX "bookings_provider_id_status_idx";
CREATE INDEX "bookings_provider_id_status_created_at_id_idx" ON "bookings"("provider_id", "status", "created_at", "id");

-- GET /claims and /worklist (status, programmeId; a provider's own)
CREATE INDEX "claims_created_at_id_idx" ON "claims"("created_at", "id");
DROP INDEX "claims_status_idx";
CREATE INDEX "claims_status_created_at_id_idx" ON "claims"("status", "created_at", "id");
CREATE INDEX "claims_programme_id_created_at_id_idx" ON "claims"("programme_id", "created_at", "id");
CREATE INDEX "claims_programme_id_status_created_at_id_idx" ON "claims"("programme_id", "status", "created_at", "id");
CREATE INDEX "claims_provider_id_created_at_id_idx" ON "claims"("provider_id", "created_at", "id");
DROP INDEX "claims_provider_id_status_idx";
CREATE INDEX "claims_provider_id_status_created_at_id_idx" ON "claims"("provider_id", "status", "created_at", "id");

-- GET /disputes: open first, each oldest first
DROP INDEX "disputes_status_idx";
CREATE INDEX "disputes_status_created_at_idx" ON "disputes"("status", "created_at");

-- GET /providers (status; awaitingVerification) and /worklist's providers to verify
CREATE INDEX "providers_created_at_id_idx" ON "providers"("created_at", "id");
CREATE INDEX "providers_status_created_at_id_idx" ON "providers"("status", "created_at", "id");

-- GET /admin/users (role)
DROP INDEX "users_role_idx";
CREATE INDEX "users_role_created_at_id_idx" ON "users"("role", "created_at", "id");

-- GET /programmes/{id}/payout-batches
DROP INDEX "payout_batches_programme_id_idx";
CREATE INDEX "payout_batches_programme_id_created_at_id_idx" ON "payout_batches"("programme_id", "created_at", "id");

-- GET /providers/{id}/transfers: a provider's transfers (the unique key leads with the batch)
CREATE INDEX "payout_transfers_provider_id_idx" ON "payout_transfers"("provider_id");
