-- The schedule a programme's payout batches run on, as its Temporal Schedule was created (its policy's
-- own, or the service default of that day). A claim's approval computes its payout date from it instead
-- of asking the Schedule. Null for a programme set up before it was recorded: the policy's schedule, or
-- the service default, stands in.
ALTER TABLE "programmes" ADD COLUMN "payout_schedule" TEXT;
