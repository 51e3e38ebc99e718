-- The KPI report reads the stage instants from the rows only. Rows kept before the instant columns
-- existed, or whose report instant a retest cleared, take them from the audit log here, once; the
-- writers keep them set from now on (a retest keeps the previous report's instant until the next one).

-- when the voucher expired, as its VOUCHER_EXPIRED audit entry records it
ALTER TABLE "vouchers" ADD COLUMN "expired_at" TIMESTAMPTZ(3);

-- audit_log's append-only trigger does not fire on these tables: only the rows change
UPDATE "vouchers" v
   SET "expired_at" = coalesce(
         (SELECT min(l."at") FROM "audit_log" l
           WHERE l."entity_type" = 'voucher' AND l."entity_id" = v."id"::text AND l."action" = 'VOUCHER_EXPIRED'),
         v."valid_until")
 WHERE v."status" = 'EXPIRED' AND v."expired_at" IS NULL;

UPDATE "applications" a
   SET "decided_at" = t."at"
  FROM (SELECT l."entity_id", min(l."at") AS "at" FROM "audit_log" l
         WHERE l."entity_type" = 'application'
           AND l."action" IN ('APPLICATION_APPROVED', 'APPLICATION_REJECTED', 'APPLICATION_INELIGIBLE')
         GROUP BY l."entity_id") t
 WHERE a."decided_at" IS NULL AND t."entity_id" = a."id"::text;

UPDATE "bookings" b
   SET "confirmed_at" = coalesce(b."confirmed_at", t."confirmed"),
       "sample_received_at" = coalesce(b."sample_received_at", t."sample"),
       "report_uploaded_at" = coalesce(b."report_uploaded_at", t."reported"),
       "accepted_at" = coalesce(b."accepted_at", t."accepted")
  FROM (SELECT l."entity_id",
               min(l."at") FILTER (WHERE l."action" = 'BOOKING_CONFIRMED') AS "confirmed",
               min(l."at") FILTER (WHERE l."action" = 'SAMPLE_RECEIVED') AS "sample",
               max(l."at") FILTER (WHERE l."action" = 'REPORT_UPLOADED') AS "reported",
               min(l."at") FILTER (WHERE l."action" IN ('REPORT_ACCEPTED', 'REPORT_AUTO_ACCEPTED')) AS "accepted"
          FROM "audit_log" l
         WHERE l."entity_type" = 'booking'
           AND l."action" IN ('BOOKING_CONFIRMED', 'SAMPLE_RECEIVED', 'REPORT_UPLOADED', 'REPORT_ACCEPTED', 'REPORT_AUTO_ACCEPTED')
         GROUP BY l."entity_id") t
 WHERE t."entity_id" = b."id"::text
   AND (b."confirmed_at" IS NULL AND t."confirmed" IS NOT NULL
     OR b."sample_received_at" IS NULL AND t."sample" IS NOT NULL
     OR b."report_uploaded_at" IS NULL AND t."reported" IS NOT NULL
     OR b."accepted_at" IS NULL AND t."accepted" IS NOT NULL);
