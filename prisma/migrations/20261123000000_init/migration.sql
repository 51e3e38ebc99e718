-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('SME', 'PROVIDER', 'ADMIN', 'AUDITOR');

-- CreateEnum
CREATE TYPE "ProviderKind" AS ENUM ('LAB', 'INSPECTION_BODY', 'METROLOGY', 'CERTIFICATION', 'PUBLIC_SERVICE_PLATFORM');

-- CreateEnum
CREATE TYPE "ProviderStatus" AS ENUM ('PENDING_VERIFICATION', 'LISTED', 'SUSPENDED', 'DELISTED', 'REJECTED');

-- CreateEnum
CREATE TYPE "AccreditationKind" AS ENUM ('CNAS', 'CMA');

-- CreateEnum
CREATE TYPE "ServiceCategory" AS ENUM ('TESTING', 'INSPECTION', 'METROLOGY', 'CERTIFICATION', 'EXPERIMENTAL_VERIFICATION', 'STANDARDIZATION_CONSULTING');

-- CreateEnum
CREATE TYPE "HoldStatus" AS ENUM ('HELD', 'CONFIRMED', 'RELEASED');

-- CreateEnum
CREATE TYPE "ProgrammeStatus" AS ENUM ('ACTIVE', 'CLOSED');

-- CreateEnum
CREATE TYPE "Account" AS ENUM ('AVAILABLE', 'RESERVED', 'COMMITTED', 'PAYABLE', 'PAID');

-- CreateEnum
CREATE TYPE "ApplicationStatus" AS ENUM ('SUBMITTED', 'UNDER_REVIEW', 'INFO_REQUESTED', 'APPROVED', 'REJECTED');

-- CreateEnum
CREATE TYPE "VoucherStatus" AS ENUM ('ACTIVE', 'USED', 'EXPIRED', 'REVOKED');

-- CreateEnum
CREATE TYPE "BookingStatus" AS ENUM ('REQUESTED', 'CONFIRMED', 'DECLINED', 'CONFIRMATION_EXPIRED', 'CANCELLED', 'SAMPLE_RECEIVED', 'REPORTED', 'DISPUTED', 'ACCEPTED', 'SETTLED');

-- CreateEnum
CREATE TYPE "ReportConclusion" AS ENUM ('PASS', 'FAIL', 'INFO');

-- CreateEnum
CREATE TYPE "ClaimStatus" AS ENUM ('PENDING_REVIEW', 'APPROVED', 'REJECTED', 'PAID');

-- CreateEnum
CREATE TYPE "PayoutBatchStatus" AS ENUM ('RUNNING', 'COMPLETED');

-- CreateEnum
CREATE TYPE "TransferStatus" AS ENUM ('PENDING', 'SENT');

-- CreateEnum
CREATE TYPE "NotificationStatus" AS ENUM ('PENDING', 'SENT');

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "display_name" TEXT NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'zh-CN',
    "enterprise_id" UUID,
    "provider_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "enterprises" (
    "id" UUID NOT NULL,
    "credit_code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "region_code" TEXT NOT NULL,
    "industry_code" TEXT NOT NULL,
    "employees" INTEGER NOT NULL,
    "annual_revenue_fen" BIGINT NOT NULL,
    "legal_representative" TEXT NOT NULL,
    "contact_phone" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "tags" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "enterprises_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "providers" (
    "id" UUID NOT NULL,
    "credit_code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "ProviderKind" NOT NULL,
    "region_code" TEXT NOT NULL,
    "legal_representative" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "status" "ProviderStatus" NOT NULL DEFAULT 'PENDING_VERIFICATION',
    "status_reason" TEXT,
    "rating_centis" INTEGER NOT NULL DEFAULT 400,
    "on_time_count" INTEGER NOT NULL DEFAULT 0,
    "late_count" INTEGER NOT NULL DEFAULT 0,
    "dispute_count" INTEGER NOT NULL DEFAULT 0,
    "completed_count" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "providers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accreditations" (
    "id" UUID NOT NULL,
    "provider_id" UUID NOT NULL,
    "kind" "AccreditationKind" NOT NULL,
    "number" TEXT NOT NULL,
    "scope" TEXT[],
    "expires_on" DATE NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "accreditations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "services" (
    "id" UUID NOT NULL,
    "provider_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "category" "ServiceCategory" NOT NULL,
    "standards" TEXT[],
    "unit_price_fen" BIGINT NOT NULL,
    "turnaround_days" INTEGER NOT NULL,
    "daily_capacity" INTEGER NOT NULL,
    "in_scope" BOOLEAN NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "services_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service_day_usage" (
    "service_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "used" INTEGER NOT NULL,
    "capacity" INTEGER NOT NULL,

    CONSTRAINT "service_day_usage_pkey" PRIMARY KEY ("service_id","day")
);

-- CreateTable
CREATE TABLE "capacity_holds" (
    "id" TEXT NOT NULL,
    "service_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "units" INTEGER NOT NULL,
    "status" "HoldStatus" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "capacity_holds_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "programmes" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "authority" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "region_code" TEXT NOT NULL,
    "budget_fen" BIGINT NOT NULL,
    "policy" JSONB NOT NULL,
    "status" "ProgrammeStatus" NOT NULL DEFAULT 'ACTIVE',
    "created_by" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "programmes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_accounts" (
    "programme_id" UUID NOT NULL,
    "account" "Account" NOT NULL,
    "balance_fen" BIGINT NOT NULL,

    CONSTRAINT "ledger_accounts_pkey" PRIMARY KEY ("programme_id","account")
);

-- CreateTable
CREATE TABLE "ledger_entries" (
    "id" UUID NOT NULL,
    "programme_id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "movement" TEXT NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "voucher_id" UUID,
    "booking_id" UUID,
    "claim_id" UUID,
    "memo" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_postings" (
    "id" BIGSERIAL NOT NULL,
    "entry_id" UUID NOT NULL,
    "account" "Account" NOT NULL,
    "amount_fen" BIGINT NOT NULL,

    CONSTRAINT "ledger_postings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "applications" (
    "id" UUID NOT NULL,
    "programme_id" UUID NOT NULL,
    "enterprise_id" UUID NOT NULL,
    "submitted_by" UUID NOT NULL,
    "requested_amount_fen" BIGINT NOT NULL,
    "approved_amount_fen" BIGINT,
    "purpose" TEXT NOT NULL,
    "demand" JSONB NOT NULL,
    "status" "ApplicationStatus" NOT NULL,
    "eligibility_issues" JSONB NOT NULL DEFAULT '[]',
    "decision_reason" TEXT,
    "info_request" TEXT,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "workflow_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "decided_at" TIMESTAMPTZ(3),

    CONSTRAINT "applications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "vouchers" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "application_id" UUID NOT NULL,
    "programme_id" UUID NOT NULL,
    "enterprise_id" UUID NOT NULL,
    "face_value_fen" BIGINT NOT NULL,
    "balance_fen" BIGINT NOT NULL,
    "status" "VoucherStatus" NOT NULL,
    "status_reason" TEXT,
    "valid_from" TIMESTAMPTZ(3) NOT NULL,
    "valid_until" TIMESTAMPTZ(3) NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "vouchers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bookings" (
    "id" UUID NOT NULL,
    "voucher_id" UUID NOT NULL,
    "programme_id" UUID NOT NULL,
    "enterprise_id" UUID NOT NULL,
    "provider_id" UUID NOT NULL,
    "service_id" UUID NOT NULL,
    "sample_count" INTEGER NOT NULL,
    "standards" TEXT[],
    "catalog_price_fen" BIGINT NOT NULL,
    "quoted_price_fen" BIGINT NOT NULL,
    "subsidy_fen" BIGINT NOT NULL,
    "copayment_fen" BIGINT NOT NULL,
    "scheduled_date" DATE NOT NULL,
    "due_date" DATE,
    "status" "BookingStatus" NOT NULL,
    "status_reason" TEXT,
    "report_sha256" TEXT,
    "report_conclusion" "ReportConclusion",
    "report_uploaded_at" TIMESTAMPTZ(3),
    "copayment_reference" TEXT,
    "copayment_paid_at" TIMESTAMPTZ(3),
    "copayment_recorded_by" UUID,
    "workflow_id" TEXT NOT NULL,
    "created_by" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "confirmed_at" TIMESTAMPTZ(3),
    "sample_received_at" TIMESTAMPTZ(3),
    "accepted_at" TIMESTAMPTZ(3),

    CONSTRAINT "bookings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "booking_reports" (
    "id" UUID NOT NULL,
    "booking_id" UUID NOT NULL,
    "sha256" TEXT NOT NULL,
    "conclusion" "ReportConclusion" NOT NULL,
    "file_name" TEXT NOT NULL,
    "content" BYTEA NOT NULL,
    "uploaded_by" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "booking_reports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "claims" (
    "id" UUID NOT NULL,
    "booking_id" UUID NOT NULL,
    "programme_id" UUID NOT NULL,
    "provider_id" UUID NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "contract" JSONB NOT NULL,
    "report_sha256" TEXT NOT NULL,
    "payment_reference" TEXT NOT NULL,
    "risk_flags" JSONB NOT NULL DEFAULT '[]',
    "status" "ClaimStatus" NOT NULL,
    "decision_reason" TEXT,
    "decided_by" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "transfer_id" UUID,
    "paid_at" TIMESTAMPTZ(3),
    "workflow_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "claims_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payout_batches" (
    "id" UUID NOT NULL,
    "run_key" TEXT NOT NULL,
    "status" "PayoutBatchStatus" NOT NULL,
    "total_fen" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "payout_batches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payout_transfers" (
    "id" UUID NOT NULL,
    "batch_id" UUID NOT NULL,
    "provider_id" UUID NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "status" "TransferStatus" NOT NULL,
    "gateway_reference" TEXT,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "payout_transfers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "gateway_transfers" (
    "id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "payee_credit_code" TEXT NOT NULL,
    "payee_name" TEXT NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "memo" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "gateway_transfers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "seq" BIGSERIAL NOT NULL,
    "id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actor_id" TEXT,
    "actor_role" TEXT NOT NULL,
    "actor_org" TEXT,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "workflow_id" TEXT,
    "run_id" TEXT,
    "request_id" TEXT,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" UUID NOT NULL,
    "event_key" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "message_id" TEXT NOT NULL,
    "status" "NotificationStatus" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_records" (
    "user_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "status" INTEGER,
    "response_body" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_records_pkey" PRIMARY KEY ("user_id","key")
);

-- CreateTable
CREATE TABLE "self_test_runs" (
    "id" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "mailed_at" TIMESTAMPTZ(3),

    CONSTRAINT "self_test_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "users_enterprise_id_idx" ON "users"("enterprise_id");

-- CreateIndex
CREATE INDEX "users_provider_id_idx" ON "users"("provider_id");

-- CreateIndex
CREATE INDEX "users_role_idx" ON "users"("role");

-- CreateIndex
CREATE UNIQUE INDEX "enterprises_credit_code_key" ON "enterprises"("credit_code");

-- CreateIndex
CREATE UNIQUE INDEX "providers_credit_code_key" ON "providers"("credit_code");

-- CreateIndex
CREATE INDEX "providers_status_region_code_idx" ON "providers"("status", "region_code");

-- CreateIndex
CREATE UNIQUE INDEX "accreditations_provider_id_kind_number_key" ON "accreditations"("provider_id", "kind", "number");

-- CreateIndex
CREATE INDEX "services_provider_id_idx" ON "services"("provider_id");

-- CreateIndex
CREATE INDEX "capacity_holds_service_id_day_idx" ON "capacity_holds"("service_id", "day");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_entries_idempotency_key_key" ON "ledger_entries"("idempotency_key");

-- CreateIndex
CREATE INDEX "ledger_entries_programme_id_created_at_idx" ON "ledger_entries"("programme_id", "created_at");

-- CreateIndex
CREATE INDEX "ledger_entries_voucher_id_idx" ON "ledger_entries"("voucher_id");

-- CreateIndex
CREATE INDEX "ledger_entries_booking_id_idx" ON "ledger_entries"("booking_id");

-- CreateIndex
CREATE INDEX "ledger_postings_entry_id_idx" ON "ledger_postings"("entry_id");

-- CreateIndex
CREATE INDEX "applications_programme_id_status_idx" ON "applications"("programme_id", "status");

-- CreateIndex
CREATE INDEX "applications_enterprise_id_idx" ON "applications"("enterprise_id");

-- CreateIndex
CREATE UNIQUE INDEX "vouchers_code_key" ON "vouchers"("code");

-- CreateIndex
CREATE UNIQUE INDEX "vouchers_application_id_key" ON "vouchers"("application_id");

-- CreateIndex
CREATE INDEX "vouchers_enterprise_id_idx" ON "vouchers"("enterprise_id");

-- CreateIndex
CREATE INDEX "vouchers_programme_id_status_idx" ON "vouchers"("programme_id", "status");

-- CreateIndex
CREATE INDEX "bookings_voucher_id_idx" ON "bookings"("voucher_id");

-- CreateIndex
CREATE INDEX "bookings_provider_id_status_idx" ON "bookings"("provider_id", "status");

-- CreateIndex
CREATE INDEX "bookings_enterprise_id_status_idx" ON "bookings"("enterprise_id", "status");

-- CreateIndex
CREATE INDEX "booking_reports_booking_id_idx" ON "booking_reports"("booking_id");

-- CreateIndex
CREATE INDEX "booking_reports_sha256_idx" ON "booking_reports"("sha256");

-- CreateIndex
CREATE UNIQUE INDEX "claims_booking_id_key" ON "claims"("booking_id");

-- CreateIndex
CREATE INDEX "claims_status_idx" ON "claims"("status");

-- CreateIndex
CREATE INDEX "claims_provider_id_status_idx" ON "claims"("provider_id", "status");

-- CreateIndex
CREATE INDEX "claims_report_sha256_idx" ON "claims"("report_sha256");

-- CreateIndex
CREATE UNIQUE INDEX "payout_batches_run_key_key" ON "payout_batches"("run_key");

-- CreateIndex
CREATE UNIQUE INDEX "payout_transfers_idempotency_key_key" ON "payout_transfers"("idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "payout_transfers_batch_id_provider_id_key" ON "payout_transfers"("batch_id", "provider_id");

-- CreateIndex
CREATE UNIQUE INDEX "gateway_transfers_idempotency_key_key" ON "gateway_transfers"("idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "audit_log_id_key" ON "audit_log"("id");

-- CreateIndex
CREATE UNIQUE INDEX "audit_log_hash_key" ON "audit_log"("hash");

-- CreateIndex
CREATE INDEX "audit_log_entity_type_entity_id_idx" ON "audit_log"("entity_type", "entity_id");

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");

-- CreateIndex
CREATE UNIQUE INDEX "notifications_event_key_key" ON "notifications"("event_key");

-- CreateIndex
CREATE INDEX "notifications_recipient_idx" ON "notifications"("recipient");

-- AddForeignKey
ALTER TABLE "users" ADD CONSTRAINT "users_enterprise_id_fkey" FOREIGN KEY ("enterprise_id") REFERENCES "enterprises"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "users" ADD CONSTRAINT "users_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "providers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "accreditations" ADD CONSTRAINT "accreditations_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "providers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "services" ADD CONSTRAINT "services_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "providers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service_day_usage" ADD CONSTRAINT "service_day_usage_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "capacity_holds" ADD CONSTRAINT "capacity_holds_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_programme_id_fkey" FOREIGN KEY ("programme_id") REFERENCES "programmes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_programme_id_fkey" FOREIGN KEY ("programme_id") REFERENCES "programmes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ledger_postings" ADD CONSTRAINT "ledger_postings_entry_id_fkey" FOREIGN KEY ("entry_id") REFERENCES "ledger_entries"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "applications" ADD CONSTRAINT "applications_programme_id_fkey" FOREIGN KEY ("programme_id") REFERENCES "programmes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "applications" ADD CONSTRAINT "applications_enterprise_id_fkey" FOREIGN KEY ("enterprise_id") REFERENCES "enterprises"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vouchers" ADD CONSTRAINT "vouchers_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "applications"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vouchers" ADD CONSTRAINT "vouchers_programme_id_fkey" FOREIGN KEY ("programme_id") REFERENCES "programmes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vouchers" ADD CONSTRAINT "vouchers_enterprise_id_fkey" FOREIGN KEY ("enterprise_id") REFERENCES "enterprises"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_voucher_id_fkey" FOREIGN KEY ("voucher_id") REFERENCES "vouchers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_enterprise_id_fkey" FOREIGN KEY ("enterprise_id") REFERENCES "enterprises"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "providers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "booking_reports" ADD CONSTRAINT "booking_reports_booking_id_fkey" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claims" ADD CONSTRAINT "claims_booking_id_fkey" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claims" ADD CONSTRAINT "claims_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "providers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claims" ADD CONSTRAINT "claims_transfer_id_fkey" FOREIGN KEY ("transfer_id") REFERENCES "payout_transfers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payout_transfers" ADD CONSTRAINT "payout_transfers_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "payout_batches"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payout_transfers" ADD CONSTRAINT "payout_transfers_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "providers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- CreateTable
CREATE TABLE "rate_limits" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);


-- ---------------------------------------------------------------------------
-- Invariants the database enforces by itself, whatever the application does.
-- ---------------------------------------------------------------------------

-- Money is never negative.
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_balance_non_negative" CHECK ("balance_fen" >= 0);
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_amount_positive" CHECK ("amount_fen" > 0);
ALTER TABLE "programmes" ADD CONSTRAINT "programmes_budget_non_negative" CHECK ("budget_fen" >= 0);
ALTER TABLE "vouchers" ADD CONSTRAINT "vouchers_balance_within_face_value" CHECK ("balance_fen" >= 0 AND "balance_fen" <= "face_value_fen");
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_money_consistent"
  CHECK ("subsidy_fen" >= 0 AND "copayment_fen" >= 0 AND "subsidy_fen" + "copayment_fen" = "quoted_price_fen");
ALTER TABLE "claims" ADD CONSTRAINT "claims_amount_non_negative" CHECK ("amount_fen" >= 0);
ALTER TABLE "payout_transfers" ADD CONSTRAINT "payout_transfers_amount_positive" CHECK ("amount_fen" > 0);
ALTER TABLE "services" ADD CONSTRAINT "services_sane"
  CHECK ("unit_price_fen" >= 0 AND "turnaround_days" >= 0 AND "daily_capacity" >= 0);

-- Capacity: the last unit of a day can be taken once only.
ALTER TABLE "service_day_usage" ADD CONSTRAINT "service_day_usage_within_capacity" CHECK ("used" >= 0 AND "used" <= "capacity");

-- One open application and one active voucher per enterprise per programme.
CREATE UNIQUE INDEX "applications_one_open_per_enterprise" ON "applications" ("programme_id", "enterprise_id")
  WHERE "status" IN ('SUBMITTED', 'UNDER_REVIEW', 'INFO_REQUESTED');
CREATE UNIQUE INDEX "vouchers_one_active_per_enterprise" ON "vouchers" ("programme_id", "enterprise_id")
  WHERE "status" = 'ACTIVE';

-- Double entry: the postings of an entry sum to zero, checked when the transaction commits.
CREATE FUNCTION "ledger_entry_balanced"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT COALESCE(SUM("amount_fen"), 0) FROM "ledger_postings" WHERE "entry_id" = NEW."entry_id") <> 0 THEN
    RAISE EXCEPTION 'ledger entry % is not balanced', NEW."entry_id" USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER "ledger_postings_balanced" AFTER INSERT OR UPDATE ON "ledger_postings"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "ledger_entry_balanced"();

-- The ledger and the audit log are append-only.
CREATE FUNCTION "refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER "audit_log_append_only" BEFORE UPDATE OR DELETE ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION "refuse_change"();
CREATE TRIGGER "ledger_entries_append_only" BEFORE UPDATE OR DELETE ON "ledger_entries"
  FOR EACH ROW EXECUTE FUNCTION "refuse_change"();
CREATE TRIGGER "ledger_postings_append_only" BEFORE UPDATE OR DELETE ON "ledger_postings"
  FOR EACH ROW EXECUTE FUNCTION "refuse_change"();
