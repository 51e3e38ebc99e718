-- AlterTable
ALTER TABLE "applications" ADD COLUMN     "one_open_rule" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "vouchers" ADD COLUMN     "one_open_rule" BOOLEAN NOT NULL DEFAULT true;


-- A programme whose policy says oneOpenPerEnterprise: false lets an enterprise hold several open
-- applications and active vouchers: the one-open indexes cover only the rows the rule applies to.
UPDATE "applications" a SET "one_open_rule" = COALESCE((p."policy"->>'oneOpenPerEnterprise')::boolean, true)
  FROM "programmes" p WHERE p."id" = a."programme_id";
UPDATE "vouchers" v SET "one_open_rule" = COALESCE((p."policy"->>'oneOpenPerEnterprise')::boolean, true)
  FROM "programmes" p WHERE p."id" = v."programme_id";

DROP INDEX "applications_one_open_per_enterprise";
CREATE UNIQUE INDEX "applications_one_open_per_enterprise" ON "applications" ("programme_id", "enterprise_id")
  WHERE "status" IN ('UNDER_REVIEW', 'INFO_REQUESTED') AND "one_open_rule";
DROP INDEX "vouchers_one_active_per_enterprise";
CREATE UNIQUE INDEX "vouchers_one_active_per_enterprise" ON "vouchers" ("programme_id", "enterprise_id")
  WHERE "status" = 'ACTIVE' AND "one_open_rule";
