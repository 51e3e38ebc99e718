-- AlterEnum
ALTER TYPE "BookingStatus" ADD VALUE 'LAPSED';

-- AlterTable
ALTER TABLE "applications" ADD COLUMN     "due_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "bookings" ADD COLUMN     "due_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "claims" ADD COLUMN     "due_at" TIMESTAMPTZ(3);

