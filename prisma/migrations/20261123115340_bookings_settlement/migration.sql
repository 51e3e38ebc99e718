-- CreateEnum
CREATE TYPE "DisputeStatus" AS ENUM ('OPEN', 'RESOLVED');

-- CreateEnum
CREATE TYPE "DisputeResolution" AS ENUM ('UPHOLD', 'RETEST', 'CANCEL_REFUND');

-- AlterTable
ALTER TABLE "bookings" ADD COLUMN     "confirm_by" TIMESTAMPTZ(3),
ADD COLUMN     "report_due_at" TIMESTAMPTZ(3),
ADD COLUMN     "reported_late" BOOLEAN;

-- AlterTable
ALTER TABLE "claims" ADD COLUMN     "auto_approved" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "payout_batches" ADD COLUMN     "programme_id" UUID NOT NULL;

-- CreateTable
CREATE TABLE "disputes" (
    "id" UUID NOT NULL,
    "booking_id" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "DisputeStatus" NOT NULL,
    "resolution" "DisputeResolution",
    "note" TEXT,
    "raised_by" UUID NOT NULL,
    "resolved_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "disputes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "disputes_booking_id_idx" ON "disputes"("booking_id");

-- CreateIndex
CREATE INDEX "disputes_status_idx" ON "disputes"("status");

-- CreateIndex
CREATE INDEX "payout_batches_programme_id_idx" ON "payout_batches"("programme_id");

-- AddForeignKey
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_booking_id_fkey" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- one open dispute per booking at a time
CREATE UNIQUE INDEX "disputes_one_open_per_booking" ON "disputes" ("booking_id") WHERE "status" = 'OPEN';
-- a claim joins at most one transfer, and only once approved
ALTER TABLE "claims" ADD CONSTRAINT "claims_transfer_only_when_approved"
  CHECK ("transfer_id" IS NULL OR "status" IN ('APPROVED', 'PAID'));
