-- CreateEnum
CREATE TYPE "ApprovalKind" AS ENUM ('CLAIM_APPROVAL', 'PAYOUT_RUN', 'BUDGET_CHANGE');

-- CreateEnum
CREATE TYPE "ApprovalStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'EXPIRED', 'WITHDRAWN');

-- CreateTable
CREATE TABLE "approvals" (
    "id" UUID NOT NULL,
    "kind" "ApprovalKind" NOT NULL,
    "programme_id" UUID NOT NULL,
    "subject_id" UUID NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "proposed_by" UUID NOT NULL,
    "proposed_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "ApprovalStatus" NOT NULL DEFAULT 'PENDING',
    "decided_by" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "reason" TEXT,

    CONSTRAINT "approvals_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "approvals_status_proposed_at_id_idx" ON "approvals"("status", "proposed_at", "id");

-- CreateIndex
CREATE INDEX "approvals_programme_id_proposed_at_idx" ON "approvals"("programme_id", "proposed_at");

-- CreateIndex
CREATE INDEX "approvals_subject_id_idx" ON "approvals"("subject_id");

-- One open proposal per act and subject: a second proposal of the same payout run, budget change or
-- claim approval waits until the first is decided, withdrawn or marked expired.
CREATE UNIQUE INDEX "approvals_one_pending_per_subject" ON "approvals" ("kind", "subject_id")
  WHERE "status" = 'PENDING';
