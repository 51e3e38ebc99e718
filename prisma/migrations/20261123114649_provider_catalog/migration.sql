-- Accreditations submitted for verification wait on the provider row until an administrator decides.
ALTER TABLE "providers" ADD COLUMN     "pending_accreditations" JSONB;

-- The instant an accreditation lapses; existing rows lapse at the end of their last day in Asia/Shanghai.
ALTER TABLE "accreditations" ADD COLUMN     "expires_at" TIMESTAMPTZ(3);
UPDATE "accreditations" SET "expires_at" = ("expires_on" + 1)::timestamp AT TIME ZONE 'Asia/Shanghai';
ALTER TABLE "accreditations" ALTER COLUMN "expires_at" SET NOT NULL;

-- The matching catalog cache asks "which providers changed recently?" on every query.
CREATE INDEX "providers_updated_at_idx" ON "providers"("updated_at");

ALTER TABLE "capacity_holds" ADD CONSTRAINT "capacity_holds_units_positive" CHECK ("units" > 0);
