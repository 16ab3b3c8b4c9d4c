-- Monitoring at scale (issue 7): a full run's unchanged alerts move only their counters
-- (monitoring.repo.ts upsertAlerts: raise_count, last_raised_at, last_run_id, updated_at), 258,074
-- rows a run at 1,000,000 households. That update was the run's longest statement (35 s of 125 s
-- of statement time), and most of it was not the update:
--
--  - PostgreSQL checks every CHECK constraint of a row on every update, whichever columns it sets.
--    The cause's pattern (a bounded repetition, {0,59}) cost ≈13 µs a row, and the evidence check
--    renders the evidence (≈1 kB of JSON) as text, ≈12 µs. As domains, the same rules are checked
--    only where a value is assigned: an insert, or an update that sets the column.
--  - The foreign key of last_run_id looked the run up for every alert (≈5 µs), for a column that
--    only marks which run touched the alert last (a restarted run leaves those alone). Runs are
--    never deleted.
--
-- Measured (2,000 open alerts, counters only, EXPLAIN ANALYZE, best of six): 108 ms before, 97 ms
-- without the foreign key, 72 ms without the evidence check too, 43 ms without the cause's too.
CREATE DOMAIN monitoring_cause AS text
  CHECK (VALUE ~ '^(indicator|trigger):[a-z][A-Za-z0-9]{0,59}$' OR VALUE = 'request');
CREATE DOMAIN monitoring_evidence AS jsonb
  CHECK (jsonb_typeof(VALUE) = 'array' AND length(VALUE::text) <= 20000);

-- The digest trigger (migration 036) names evidence in its UPDATE OF list: off while the type changes.
DROP TRIGGER monitoring_alert_content_changed ON monitoring_alert;
ALTER TABLE monitoring_alert DROP CONSTRAINT monitoring_alert_cause_check;
ALTER TABLE monitoring_alert DROP CONSTRAINT monitoring_alert_evidence_check;
ALTER TABLE monitoring_alert ALTER COLUMN cause TYPE monitoring_cause,
                             ALTER COLUMN evidence TYPE monitoring_evidence;
ALTER TABLE monitoring_alert DROP CONSTRAINT monitoring_alert_last_run_id_fkey;
CREATE TRIGGER monitoring_alert_content_changed
  BEFORE UPDATE OF colour, score, model_version, summary_zh, evidence ON monitoring_alert
  FOR EACH ROW EXECUTE FUNCTION monitoring_alert_content_changed();

-- Each full run rewrites every household's scoring (migration 026), 1,000,000 rows at that size.
-- At fillfactor 90 most of those updates found no room on their page, so they could not be HOT and
-- wrote the primary key again: 28 s of statement time a run. At 50 (as for the alerts, 032) the new
-- version stays on its page. A scoring is derived data (a missing one means "score again"), so
-- the table is emptied rather than rewritten: the next run writes it with the room.
-- Measured (1,000,000 households, repeat full runs): 128.8 s → 112.9 s, then 108.3 s once every
-- page had its room; PostgreSQL CPU 65.4 → 51.6 → 49.8 s.
ALTER TABLE monitoring_scoring SET (fillfactor = 50);
TRUNCATE monitoring_scoring;
