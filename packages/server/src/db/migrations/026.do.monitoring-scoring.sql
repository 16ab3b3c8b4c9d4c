-- What each household's indicator scoring read (issue 7: incremental run after an import).
--
-- The indicator models read only the facts snapshot (household_facts), never source_record, so an
-- import of department records cannot change a household's score. A run stores, in the same
-- transaction as the batch's alerts, which snapshot version it scored (household_facts.refreshed_at,
-- set by every rebuild) and which models raised an alert. An incremental run scores a touched
-- household again only when that version, or the run's basis (catalogue version, trigger file,
-- date; from the scoring run's row), differs, or when a model raised an alert that has since been
-- closed (a full run would raise a new one); otherwise the open alert already holds what scoring
-- again would write. Triggers are applied to every touched household regardless.
--
-- No foreign keys: derived data written a million rows at a time by the monthly run, like the
-- snapshot itself; a row whose run or household is gone simply never matches. fillfactor 90 leaves
-- room for the monthly update of every row to stay on its page (HOT: only the key is indexed).
CREATE TABLE monitoring_scoring (
  household_id uuid PRIMARY KEY,
  region_code  text NOT NULL,
  run_id       uuid NOT NULL,
  facts_at     timestamptz NOT NULL,
  raised       text[]
) WITH (fillfactor = 90);

ALTER TABLE monitoring_scoring ENABLE ROW LEVEL SECURITY;
CREATE POLICY monitoring_scoring_scope ON monitoring_scoring
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()))
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT, UPDATE ON monitoring_scoring TO doudi_app;
