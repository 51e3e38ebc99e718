-- The settlements export reads, for every paid claim in the order paid, its booking's voucher code and
-- enterprise: four lookups per claim into the largest tables. Each index below holds what the export
-- reads from its table, so that every lookup is an index-only scan: a few pages of a compact index in
-- place of a heap page of a wide row. At a country's volume (760,000 paid claims, 1,000,000 bookings)
-- with PostgreSQL's default 128 MB of shared buffers, this roughly doubles the export's rate.
-- Prisma's schema cannot express INCLUDE or a partial index; schema.prisma names them in comments.

CREATE INDEX "claims_paid_export_idx" ON "claims" ("paid_at", "id")
  INCLUDE ("amount_fen", "booking_id", "programme_id", "provider_id", "transfer_id")
  WHERE "status" = 'PAID';

CREATE INDEX "bookings_id_parties_idx" ON "bookings" ("id") INCLUDE ("voucher_id", "enterprise_id");

CREATE INDEX "vouchers_id_code_idx" ON "vouchers" ("id") INCLUDE ("code");

CREATE INDEX "enterprises_id_names_idx" ON "enterprises" ("id") INCLUDE ("name", "credit_code");
