-- The KPI report's figures, kept by triggers in the transactions that change the rows, so that the report
-- reads a few thousand sums instead of scanning every booking, voucher and application.
--
-- A "scope" is what one filter selects: 'all'; 'p:<programme id>'; 'r:<region prefix>' (2, 4 and 6 digits
-- of the enterprise's region code); 'd:<GB/T 4754 division>' (an industry filter is the sum of its
-- divisions). Every row counts in each scope it belongs to. Triggers only ever INSERT: a change appends
-- what it adds to each figure (the new row's contribution less the old row's), so that no two
-- transactions wait on one counter. The report sums a scope's rows (compacting them first).

CREATE TABLE "kpi_deltas" (
    "id" BIGSERIAL NOT NULL,
    "scope" TEXT NOT NULL,
    "figure" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" BIGINT NOT NULL,
    CONSTRAINT "kpi_deltas_pkey" PRIMARY KEY ("id")
);
-- a scope's sums read from the index alone
CREATE INDEX "kpi_deltas_scope_figure_key_value_idx" ON "kpi_deltas"("scope", "figure", "key", "value");

-- Every stage duration (seconds, as the medians order them) with what the filters select by: the exact
-- median of a scope is read from the histogram bucket that holds it. A change appends the durations it
-- adds (sign 1) and removes (sign -1).
CREATE TABLE "kpi_spans" (
    "id" BIGSERIAL NOT NULL,
    "stage" TEXT NOT NULL,
    "bucket" BIGINT NOT NULL,
    "seconds" DOUBLE PRECISION NOT NULL,
    "sign" SMALLINT NOT NULL,
    "programme_id" UUID NOT NULL,
    "region_code" TEXT NOT NULL,
    "division" TEXT NOT NULL,
    CONSTRAINT "kpi_spans_pkey" PRIMARY KEY ("id")
);
-- a median reads one bucket of one stage from the index alone (the table is only appended to)
CREATE INDEX "kpi_spans_stage_bucket_idx" ON "kpi_spans"("stage", "bucket", "seconds", "sign", "programme_id", "region_code", "division");

CREATE TYPE "kpi_figure" AS ("figure" TEXT, "key" TEXT, "value" BIGINT);
CREATE TYPE "kpi_span" AS ("stage" TEXT, "seconds" DOUBLE PRECISION);

-- Histogram buckets: whole seconds below one second, then 200 per factor e (0.5 % wide), in order.
CREATE FUNCTION "kpi_bucket"(s DOUBLE PRECISION) RETURNS BIGINT LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN s < 1 THEN floor(s)::bigint ELSE 1000000000 + floor(ln(s) * 200)::bigint END
$$;

CREATE FUNCTION "kpi_scopes"(programme UUID, region TEXT, division TEXT) RETURNS TEXT[] LANGUAGE sql IMMUTABLE AS $$
  SELECT ARRAY(SELECT DISTINCT s FROM unnest(ARRAY['all', 'p:' || programme::text, 'r:' || left(region, 2),
    'r:' || left(region, 4), 'r:' || left(region, 6), 'd:' || division]) AS s)
$$;

CREATE FUNCTION "kpi_month"(at TIMESTAMPTZ) RETURNS TEXT LANGUAGE sql STABLE AS $$
  SELECT to_char(at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')
$$;

CREATE FUNCTION "kpi_seconds"(span INTERVAL) RETURNS DOUBLE PRECISION LANGUAGE sql IMMUTABLE AS $$
  SELECT extract(epoch FROM span)::float8
$$;

-- A booking's payment stage: acceptance to the payment of its claim, when the claim is PAID.
CREATE FUNCTION "kpi_payment"(accepted_at TIMESTAMPTZ, claim_status "ClaimStatus", paid_at TIMESTAMPTZ, sent_at TIMESTAMPTZ)
RETURNS DOUBLE PRECISION LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN claim_status = 'PAID' THEN kpi_seconds(coalesce(paid_at, sent_at) - accepted_at) END
$$;

-- A booking's stage durations, in seconds.
CREATE FUNCTION "kpi_booking_spans"(b "bookings", payment DOUBLE PRECISION)
RETURNS "kpi_span"[] LANGUAGE sql IMMUTABLE AS $$
  SELECT ARRAY(SELECT ROW(x.stage, x.s)::kpi_span FROM (VALUES
    ('BOOKING_CONFIRMATION', kpi_seconds(b.confirmed_at - b.created_at)),
    ('SAMPLE_DELIVERY', kpi_seconds(b.sample_received_at - b.confirmed_at)),
    ('TESTING', kpi_seconds(b.report_uploaded_at - b.sample_received_at)),
    ('ACCEPTANCE', kpi_seconds(b.accepted_at - b.report_uploaded_at)),
    ('PAYMENT', payment)) AS x(stage, s)
  WHERE x.s IS NOT NULL)
$$;

-- What one booking adds to its scopes' figures.
CREATE FUNCTION "kpi_booking_figures"(b "bookings", region TEXT, payment DOUBLE PRECISION)
RETURNS "kpi_figure"[] LANGUAGE sql STABLE AS $$
  WITH a AS (SELECT b.status IN ('ACCEPTED', 'SETTLED') AS accepted, left(region, 2) AS province)
  SELECT ARRAY(
    SELECT ROW(f.figure, f.key, f.value)::kpi_figure FROM a, LATERAL (
      VALUES ('bk', a.province, 1::bigint),
             ('bka', a.province, CASE WHEN a.accepted THEN 1 ELSE 0 END),
             ('bks', a.province, CASE WHEN a.accepted THEN b.subsidy_fen ELSE 0 END),
             ('pb', b.provider_id::text, 1),
             ('pot', b.provider_id::text, CASE WHEN b.reported_late = false THEN 1 ELSE 0 END),
             ('plt', b.provider_id::text, CASE WHEN b.reported_late THEN 1 ELSE 0 END)
      UNION ALL
      SELECT c.figure, cats.category, 1 FROM (
        SELECT DISTINCT line->>'category' AS category FROM jsonb_array_elements(b.lines) AS line
      ) cats, LATERAL (VALUES ('cb'), (CASE WHEN a.accepted THEN 'ca' END)) AS c(figure)
      WHERE c.figure IS NOT NULL AND cats.category IS NOT NULL
      UNION ALL
      SELECT 'h:' || s.stage, kpi_bucket(s.seconds)::text, 1
      FROM unnest(kpi_booking_spans(b, payment)) AS s
    ) AS f(figure, key, value)
    WHERE f.value <> 0)
$$;

CREATE FUNCTION "kpi_application_spans"(a "applications") RETURNS "kpi_span"[] LANGUAGE sql IMMUTABLE AS $$
  SELECT ARRAY(SELECT ROW('APPLICATION_DECISION', s)::kpi_span
    FROM (SELECT kpi_seconds(a.decided_at - a.created_at) AS s) x
    WHERE a.status IN ('APPROVED', 'REJECTED') AND x.s IS NOT NULL)
$$;

CREATE FUNCTION "kpi_span_figures"(spans "kpi_span"[]) RETURNS "kpi_figure"[] LANGUAGE sql IMMUTABLE AS $$
  SELECT ARRAY(SELECT ROW('h:' || s.stage, kpi_bucket(s.seconds)::text, 1)::kpi_figure FROM unnest(spans) AS s)
$$;

-- What one voucher adds, apart from its use (kpi_voucher_use) and its enterprise (counted once per scope).
CREATE FUNCTION "kpi_voucher_figures"(v "vouchers") RETURNS "kpi_figure"[] LANGUAGE sql STABLE AS $$
  SELECT ARRAY(SELECT ROW(f.figure, f.key, f.value)::kpi_figure FROM (VALUES
    ('v', 'issued', 1::bigint),
    ('v', 'face', v.face_value_fen),
    ('vs', v.status::text, 1),
    ('mi', kpi_month(v.issued_at), 1),
    ('me', CASE WHEN v.status = 'EXPIRED' THEN kpi_month(coalesce(v.expired_at, v.valid_until)) END, 1)
  ) AS f(figure, key, value) WHERE f.key IS NOT NULL AND f.value <> 0)
$$;

-- A voucher's use: at least one booking accepted, counted in the month of the first acceptance.
CREATE FUNCTION "kpi_voucher_use"(used BOOLEAN, first_at TIMESTAMPTZ) RETURNS "kpi_figure"[] LANGUAGE sql STABLE AS $$
  SELECT ARRAY(SELECT ROW(f.figure, f.key, 1)::kpi_figure FROM (VALUES
    ('v', CASE WHEN used THEN 'used' END),
    ('mu', CASE WHEN used THEN kpi_month(first_at) END)) AS f(figure, key)
  WHERE f.key IS NOT NULL)
$$;

-- Appends the difference between a row's new contribution and its old one.
CREATE FUNCTION "kpi_append"(
  old_scopes TEXT[], old_figures "kpi_figure"[], new_scopes TEXT[], new_figures "kpi_figure"[]
) RETURNS VOID LANGUAGE sql AS $$
  INSERT INTO kpi_deltas (scope, figure, key, value)
  SELECT scope, figure, key, sum(value) FROM (
    SELECT s AS scope, f.figure, f.key, -f.value AS value
      FROM unnest(old_scopes) AS s, unnest(old_figures) AS f
    UNION ALL
    SELECT s, f.figure, f.key, f.value FROM unnest(new_scopes) AS s, unnest(new_figures) AS f
  ) x GROUP BY scope, figure, key HAVING sum(value) <> 0
$$;

CREATE FUNCTION "kpi_append_spans"(
  old_programme UUID, old_region TEXT, old_division TEXT, old_spans "kpi_span"[],
  new_programme UUID, new_region TEXT, new_division TEXT, new_spans "kpi_span"[]
) RETURNS VOID LANGUAGE sql AS $$
  INSERT INTO kpi_spans (stage, bucket, seconds, sign, programme_id, region_code, division)
  SELECT stage, kpi_bucket(seconds), seconds, sign, programme_id, region_code, division FROM (
    SELECT s.stage, s.seconds, -1 AS sign, old_programme AS programme_id, old_region AS region_code,
           old_division AS division
      FROM unnest(old_spans) AS s
     WHERE NOT (ROW(s.stage, s.seconds)::kpi_span = ANY(coalesce(new_spans, '{}'))
                AND (old_programme, old_region, old_division) = (new_programme, new_region, new_division))
    UNION ALL
    SELECT s.stage, s.seconds, 1, new_programme, new_region, new_division
      FROM unnest(new_spans) AS s
     WHERE NOT (ROW(s.stage, s.seconds)::kpi_span = ANY(coalesce(old_spans, '{}'))
                AND (old_programme, old_region, old_division) = (new_programme, new_region, new_division))
  ) x
$$;

-- The enterprise's region and division, which place its rows in scopes.
CREATE FUNCTION "kpi_place"(enterprise UUID, OUT region TEXT, OUT division TEXT) LANGUAGE sql STABLE AS $$
  SELECT region_code, left(industry_code, 3) FROM enterprises WHERE id = enterprise
$$;

CREATE FUNCTION "kpi_claim_payment"(booking UUID, accepted_at TIMESTAMPTZ) RETURNS DOUBLE PRECISION LANGUAGE sql STABLE AS $$
  SELECT kpi_payment(accepted_at, c.status, c.paid_at, pt.sent_at)
    FROM claims c LEFT JOIN payout_transfers pt ON pt.id = c.transfer_id
   WHERE c.booking_id = booking
$$;

-- Whether a voucher's bookings other than `except_booking` include an accepted one, and the first acceptance.
CREATE FUNCTION "kpi_other_use"(voucher UUID, except_booking UUID, OUT used BOOLEAN, OUT first_at TIMESTAMPTZ)
LANGUAGE sql STABLE AS $$
  SELECT count(*) > 0, min(accepted_at) FROM bookings
   WHERE voucher_id = voucher AND id <> except_booking AND status IN ('ACCEPTED', 'SETTLED')
$$;

CREATE FUNCTION "kpi_on_booking"() RETURNS TRIGGER LANGUAGE plpgsql AS $$
DECLARE
  old_region TEXT; old_division TEXT; new_region TEXT; new_division TEXT;
  old_pay DOUBLE PRECISION; new_pay DOUBLE PRECISION;
  old_scopes TEXT[] := '{}'; old_figures kpi_figure[] := '{}'; old_spans kpi_span[] := '{}';
  v RECORD; other RECORD; scopes TEXT[]; old_accepted BOOLEAN; new_accepted BOOLEAN;
BEGIN
  SELECT region, division INTO new_region, new_division FROM kpi_place(NEW.enterprise_id);
  new_pay := kpi_claim_payment(NEW.id, NEW.accepted_at);
  IF TG_OP = 'UPDATE' THEN
    SELECT region, division INTO old_region, old_division FROM kpi_place(OLD.enterprise_id);
    old_pay := kpi_claim_payment(OLD.id, OLD.accepted_at);
    old_scopes := kpi_scopes(OLD.programme_id, old_region, old_division);
    old_figures := kpi_booking_figures(OLD, old_region, old_pay);
    old_spans := kpi_booking_spans(OLD, old_pay);
  END IF;
  PERFORM kpi_append(old_scopes, old_figures, kpi_scopes(NEW.programme_id, new_region, new_division),
    kpi_booking_figures(NEW, new_region, new_pay));
  PERFORM kpi_append_spans(OLD.programme_id, old_region, old_division, old_spans,
    NEW.programme_id, new_region, new_division, kpi_booking_spans(NEW, new_pay));

  -- the voucher's use, when this booking's acceptance changed it
  old_accepted := TG_OP = 'UPDATE' AND OLD.status IN ('ACCEPTED', 'SETTLED');
  new_accepted := NEW.status IN ('ACCEPTED', 'SETTLED');
  IF old_accepted <> new_accepted OR (new_accepted AND OLD.accepted_at IS DISTINCT FROM NEW.accepted_at) THEN
    -- one transaction at a time per voucher, so that each sees the others' acceptances (256 lock
    -- stripes, so that a statement changing many bookings does not run out of lock slots)
    PERFORM pg_advisory_xact_lock(hashtext('kpi-voucher'), abs(hashtext(NEW.voucher_id::text) % 256));
    SELECT programme_id, enterprise_id INTO v FROM vouchers WHERE id = NEW.voucher_id;
    SELECT used, first_at INTO other FROM kpi_other_use(NEW.voucher_id, NEW.id);
    SELECT region, division INTO new_region, new_division FROM kpi_place(v.enterprise_id);
    scopes := kpi_scopes(v.programme_id, new_region, new_division);
    PERFORM kpi_append(
      scopes, kpi_voucher_use(other.used OR old_accepted,
        CASE WHEN old_accepted THEN least(other.first_at, OLD.accepted_at) ELSE other.first_at END),
      scopes, kpi_voucher_use(other.used OR new_accepted,
        CASE WHEN new_accepted THEN least(other.first_at, NEW.accepted_at) ELSE other.first_at END));
  END IF;
  RETURN NEW;
END $$;

CREATE FUNCTION "kpi_on_voucher"() RETURNS TRIGGER LANGUAGE plpgsql AS $$
DECLARE region TEXT; division TEXT; scopes TEXT[]; first_in_programme BOOLEAN; first_at_all BOOLEAN;
BEGIN
  SELECT p.region, p.division INTO region, division FROM kpi_place(NEW.enterprise_id) AS p;
  scopes := kpi_scopes(NEW.programme_id, region, division);
  IF TG_OP = 'UPDATE' THEN
    PERFORM kpi_append(kpi_scopes(OLD.programme_id, region, division), kpi_voucher_figures(OLD),
      scopes, kpi_voucher_figures(NEW));
    RETURN NEW;
  END IF;
  PERFORM kpi_append('{}', '{}', scopes, kpi_voucher_figures(NEW));
  -- enterprises served: the enterprise's first voucher counts it in every scope, its first of a programme in that one
  PERFORM pg_advisory_xact_lock(hashtext('kpi-enterprise'), abs(hashtext(NEW.enterprise_id::text) % 256));
  SELECT NOT EXISTS (SELECT 1 FROM vouchers WHERE enterprise_id = NEW.enterprise_id AND id <> NEW.id
                      AND programme_id = NEW.programme_id),
         NOT EXISTS (SELECT 1 FROM vouchers WHERE enterprise_id = NEW.enterprise_id AND id <> NEW.id)
    INTO first_in_programme, first_at_all;
  PERFORM kpi_append('{}', '{}',
    ARRAY(SELECT s FROM unnest(scopes) AS s
           WHERE (s LIKE 'p:%' AND first_in_programme) OR (s NOT LIKE 'p:%' AND first_at_all)),
    ARRAY[ROW('v', 'ent', 1)::kpi_figure]);
  RETURN NEW;
END $$;

CREATE FUNCTION "kpi_on_application"() RETURNS TRIGGER LANGUAGE plpgsql AS $$
DECLARE old_region TEXT; old_division TEXT; new_region TEXT; new_division TEXT;
  old_spans kpi_span[] := '{}'; old_scopes TEXT[] := '{}';
BEGIN
  SELECT region, division INTO new_region, new_division FROM kpi_place(NEW.enterprise_id);
  IF TG_OP = 'UPDATE' THEN
    SELECT region, division INTO old_region, old_division FROM kpi_place(OLD.enterprise_id);
    old_spans := kpi_application_spans(OLD);
    old_scopes := kpi_scopes(OLD.programme_id, old_region, old_division);
  END IF;
  PERFORM kpi_append(old_scopes, kpi_span_figures(old_spans),
    kpi_scopes(NEW.programme_id, new_region, new_division), kpi_span_figures(kpi_application_spans(NEW)));
  PERFORM kpi_append_spans(OLD.programme_id, old_region, old_division, old_spans,
    NEW.programme_id, new_region, new_division, kpi_application_spans(NEW));
  RETURN NULL;
END $$;

-- A booking's payment stage changed by its claim or by the transfer that paid it.
CREATE FUNCTION "kpi_payment_changed"(booking UUID, old_pay DOUBLE PRECISION, new_pay DOUBLE PRECISION)
RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE b RECORD; region TEXT; division TEXT; scopes TEXT[];
  old_spans kpi_span[]; new_spans kpi_span[];
BEGIN
  IF old_pay IS NOT DISTINCT FROM new_pay THEN RETURN; END IF;
  SELECT programme_id, enterprise_id INTO b FROM bookings WHERE id = booking;
  IF NOT FOUND THEN RETURN; END IF;
  SELECT p.region, p.division INTO region, division FROM kpi_place(b.enterprise_id) AS p;
  scopes := kpi_scopes(b.programme_id, region, division);
  old_spans := ARRAY(SELECT ROW('PAYMENT', old_pay)::kpi_span WHERE old_pay IS NOT NULL);
  new_spans := ARRAY(SELECT ROW('PAYMENT', new_pay)::kpi_span WHERE new_pay IS NOT NULL);
  PERFORM kpi_append(scopes, kpi_span_figures(old_spans), scopes, kpi_span_figures(new_spans));
  PERFORM kpi_append_spans(b.programme_id, region, division, old_spans, b.programme_id, region, division, new_spans);
END $$;

CREATE FUNCTION "kpi_on_claim"() RETURNS TRIGGER LANGUAGE plpgsql AS $$
DECLARE accepted TIMESTAMPTZ; old_pay DOUBLE PRECISION;
BEGIN
  SELECT accepted_at INTO accepted FROM bookings WHERE id = NEW.booking_id;
  IF TG_OP = 'UPDATE' THEN
    IF OLD.booking_id <> NEW.booking_id THEN RAISE EXCEPTION 'a claim does not change its booking'; END IF;
    old_pay := kpi_payment(accepted, OLD.status, OLD.paid_at,
      (SELECT sent_at FROM payout_transfers WHERE id = OLD.transfer_id));
  END IF;
  PERFORM kpi_payment_changed(NEW.booking_id, old_pay, kpi_payment(accepted, NEW.status, NEW.paid_at,
    (SELECT sent_at FROM payout_transfers WHERE id = NEW.transfer_id)));
  RETURN NULL;
END $$;

CREATE FUNCTION "kpi_on_transfer"() RETURNS TRIGGER LANGUAGE plpgsql AS $$
DECLARE c RECORD;
BEGIN
  FOR c IN SELECT cl.booking_id, cl.status, cl.paid_at, b.accepted_at
             FROM claims cl JOIN bookings b ON b.id = cl.booking_id
            WHERE cl.transfer_id = NEW.id AND cl.status = 'PAID' AND cl.paid_at IS NULL LOOP
    PERFORM kpi_payment_changed(c.booking_id, kpi_payment(c.accepted_at, c.status, c.paid_at, OLD.sent_at),
      kpi_payment(c.accepted_at, c.status, c.paid_at, NEW.sent_at));
  END LOOP;
  RETURN NULL;
END $$;

-- Reports and disputes count for the provider of their booking.
CREATE FUNCTION "kpi_on_booking_child"() RETURNS TRIGGER LANGUAGE plpgsql AS $$
DECLARE b RECORD; region TEXT; division TEXT; scopes TEXT[]; figure kpi_figure[];
BEGIN
  SELECT programme_id, enterprise_id, provider_id INTO b FROM bookings
   WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.booking_id ELSE NEW.booking_id END;
  IF NOT FOUND THEN RETURN NULL; END IF;
  SELECT p.region, p.division INTO region, division FROM kpi_place(b.enterprise_id) AS p;
  scopes := kpi_scopes(b.programme_id, region, division);
  figure := ARRAY[ROW(TG_ARGV[0], b.provider_id::text, 1)::kpi_figure];
  IF TG_OP = 'DELETE' THEN
    PERFORM kpi_append(scopes, figure, '{}', '{}');
  ELSE
    PERFORM kpi_append('{}', '{}', scopes, figure);
  END IF;
  RETURN NULL;
END $$;

-- An enterprise's region and industry place all its rows: they are kept as registered.
CREATE FUNCTION "kpi_enterprise_place_kept"() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.region_code IS DISTINCT FROM NEW.region_code OR OLD.industry_code IS DISTINCT FROM NEW.industry_code THEN
    RAISE EXCEPTION 'an enterprise''s region and industry code are kept as registered';
  END IF;
  RETURN NEW;
END $$;

-- BEFORE: a statement changing several bookings of one voucher (or adding several vouchers of one
-- enterprise) has each row's trigger see the rows before it changed and not those after, so that the
-- differences each appends add up; an AFTER trigger would see every row already changed.
CREATE TRIGGER "kpi_bookings" BEFORE INSERT OR UPDATE ON "bookings" FOR EACH ROW EXECUTE FUNCTION kpi_on_booking();
CREATE TRIGGER "kpi_vouchers" BEFORE INSERT OR UPDATE ON "vouchers" FOR EACH ROW EXECUTE FUNCTION kpi_on_voucher();
CREATE TRIGGER "kpi_applications" AFTER INSERT OR UPDATE ON "applications" FOR EACH ROW EXECUTE FUNCTION kpi_on_application();
CREATE TRIGGER "kpi_claims" AFTER INSERT OR UPDATE ON "claims" FOR EACH ROW EXECUTE FUNCTION kpi_on_claim();
CREATE TRIGGER "kpi_payout_transfers" AFTER UPDATE OF "sent_at" ON "payout_transfers" FOR EACH ROW EXECUTE FUNCTION kpi_on_transfer();
CREATE TRIGGER "kpi_booking_reports" AFTER INSERT OR DELETE ON "booking_reports" FOR EACH ROW EXECUTE FUNCTION kpi_on_booking_child('prp');
CREATE TRIGGER "kpi_disputes" AFTER INSERT OR DELETE ON "disputes" FOR EACH ROW EXECUTE FUNCTION kpi_on_booking_child('pds');
CREATE TRIGGER "kpi_enterprises" BEFORE UPDATE ON "enterprises" FOR EACH ROW EXECUTE FUNCTION kpi_enterprise_place_kept();

-- The figures recounted from the rows: run once here, and by a bulk loader that wrote the rows with
-- triggers off (session_replication_role = replica) instead of paying a trigger per row.
CREATE FUNCTION "kpi_rebuild"() RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM kpi_deltas;
  DELETE FROM kpi_spans;
  INSERT INTO kpi_deltas (scope, figure, key, value)
  SELECT s, f.figure, f.key, sum(f.value) FROM (
    SELECT kpi_scopes(b.programme_id, e.region_code, left(e.industry_code, 3)) AS scopes,
           kpi_booking_figures(b, e.region_code, kpi_claim_payment(b.id, b.accepted_at)) AS figures
      FROM bookings b JOIN enterprises e ON e.id = b.enterprise_id
    UNION ALL
    SELECT kpi_scopes(v.programme_id, e.region_code, left(e.industry_code, 3)),
           kpi_voucher_figures(v) || kpi_voucher_use(u.voucher_id IS NOT NULL, u.first_at)
      FROM vouchers v JOIN enterprises e ON e.id = v.enterprise_id
      LEFT JOIN (SELECT voucher_id, min(accepted_at) AS first_at FROM bookings
                  WHERE status IN ('ACCEPTED', 'SETTLED') GROUP BY voucher_id) u ON u.voucher_id = v.id
    UNION ALL
    SELECT kpi_scopes(a.programme_id, e.region_code, left(e.industry_code, 3)),
           kpi_span_figures(kpi_application_spans(a))
      FROM applications a JOIN enterprises e ON e.id = a.enterprise_id
    UNION ALL
    SELECT kpi_scopes(b.programme_id, e.region_code, left(e.industry_code, 3)),
           ARRAY[ROW(x.figure, b.provider_id::text, 1)::kpi_figure]
      FROM (SELECT booking_id, 'prp' AS figure FROM booking_reports UNION ALL SELECT booking_id, 'pds' FROM disputes) x
      JOIN bookings b ON b.id = x.booking_id JOIN enterprises e ON e.id = b.enterprise_id
  ) seed, unnest(seed.scopes) AS s, unnest(seed.figures) AS f
  GROUP BY 1, 2, 3 HAVING sum(f.value) <> 0;
  INSERT INTO kpi_deltas (scope, figure, key, value)
  SELECT s, 'v', 'ent', count(DISTINCT v.enterprise_id)
    FROM vouchers v JOIN enterprises e ON e.id = v.enterprise_id,
         unnest(kpi_scopes(v.programme_id, e.region_code, left(e.industry_code, 3))) AS s
   GROUP BY 1;
  INSERT INTO kpi_spans (stage, bucket, seconds, sign, programme_id, region_code, division)
  SELECT s.stage, kpi_bucket(s.seconds), s.seconds, 1, b.programme_id, e.region_code, left(e.industry_code, 3)
    FROM bookings b JOIN enterprises e ON e.id = b.enterprise_id,
         unnest(kpi_booking_spans(b, kpi_claim_payment(b.id, b.accepted_at))) AS s
  UNION ALL
  SELECT s.stage, kpi_bucket(s.seconds), s.seconds, 1, a.programme_id, e.region_code, left(e.industry_code, 3)
    FROM applications a JOIN enterprises e ON e.id = a.enterprise_id, unnest(kpi_application_spans(a)) AS s;
END $$;

SELECT kpi_rebuild();
