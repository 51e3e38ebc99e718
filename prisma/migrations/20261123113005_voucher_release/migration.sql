-- AlterTable
ALTER TABLE "vouchers" ADD COLUMN     "released_fen" BIGINT NOT NULL DEFAULT 0;


-- An application becomes "open" once it passed the automatic eligibility check; two submissions racing
-- each other are told apart by that check, which this index backs up.
DROP INDEX "applications_one_open_per_enterprise";
CREATE UNIQUE INDEX "applications_one_open_per_enterprise" ON "applications" ("programme_id", "enterprise_id")
  WHERE "status" IN ('UNDER_REVIEW', 'INFO_REQUESTED');
ALTER TABLE "vouchers" ADD CONSTRAINT "vouchers_released_within_face_value" CHECK ("released_fen" >= 0 AND "released_fen" <= "face_value_fen");
