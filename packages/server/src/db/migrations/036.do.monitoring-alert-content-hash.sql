-- Monitoring at scale (issue 7): most alerts a full run raises are already open exactly as stored.
-- The run used to send every alert's evidence (≈1.4 kB of JSON each, ≈0.7 MB a batch) for
-- PostgreSQL to parse and compare with the stored, compressed copy, only to move four counters.
-- With a digest of what is compared (colour, score, model version, summary, evidence; computed by
-- monitoring.repo.ts upsertAlerts) the run first sends keys and digests, and the evidence only of
-- the alerts whose digest differs or that are new. NULL on rows written before: such a row takes the
-- full comparison once and gets its digest. Not indexed, so the counters' update stays HOT
-- (migration 032).
ALTER TABLE monitoring_alert ADD COLUMN content_hash bytea;

-- Any write of those columns that does not set a new digest (a request's added evidence, an
-- officer's change, a repair by hand) clears it, so a stale digest never hides changed content.
-- `UPDATE OF` fires only when a statement sets one of them: the counters' update does not pay.
CREATE FUNCTION monitoring_alert_content_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.content_hash IS NOT DISTINCT FROM OLD.content_hash THEN
    NEW.content_hash := NULL;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER monitoring_alert_content_changed
  BEFORE UPDATE OF colour, score, model_version, summary_zh, evidence ON monitoring_alert
  FOR EACH ROW EXECUTE FUNCTION monitoring_alert_content_changed();
