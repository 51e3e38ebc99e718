-- DropForeignKey
ALTER TABLE "bookings" DROP CONSTRAINT "bookings_service_id_fkey";

-- AlterTable
ALTER TABLE "capacity_holds" ADD COLUMN     "booking_id" UUID;

-- AlterTable
ALTER TABLE "bookings" DROP COLUMN "service_id",
ADD COLUMN     "lines" JSONB NOT NULL;

-- CreateIndex
CREATE INDEX "capacity_holds_booking_id_idx" ON "capacity_holds"("booking_id");

