-- When each day's usage last changed, whoever changed it: matching keeps a copy of the usage in
-- memory and, before each query, reads only the rows changed since it last looked.
ALTER TABLE "service_day_usage" ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

CREATE INDEX "service_day_usage_updated_at_idx" ON "service_day_usage"("updated_at");

CREATE FUNCTION "service_day_usage_stamp"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END
$$;

CREATE TRIGGER "service_day_usage_stamp" BEFORE INSERT OR UPDATE ON "service_day_usage"
  FOR EACH ROW EXECUTE FUNCTION "service_day_usage_stamp"();
