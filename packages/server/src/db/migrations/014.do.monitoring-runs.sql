-- Monitoring runs and calibration (issue 7 items 2, 3 and 6), on the tables of migration 011.
-- A run records the trigger file's version besides the model's, and counts trigger hits, so an
-- alert's evidence can always be traced to the rules that produced it.
ALTER TABLE monitoring_run ADD COLUMN triggers_version text;
ALTER TABLE monitoring_run ADD COLUMN catalog_version text;
ALTER TABLE monitoring_run ADD COLUMN trigger_hits integer NOT NULL DEFAULT 0;
ALTER TABLE monitoring_run ADD COLUMN colour_counts jsonb NOT NULL DEFAULT '{}'
  CHECK (jsonb_typeof(colour_counts) = 'object');
-- A run started by the monthly job or an import runs as the system: no officer's name to show.
ALTER TABLE monitoring_run ADD COLUMN started_by_name text NOT NULL DEFAULT '系统';
ALTER TABLE monitoring_run ADD COLUMN started_by_role text;

-- Calibration (校准): a model version back-tested over past alerts and their outcomes, and two band
-- settings compared on sample villages. Kept beside the published version it was made for
-- (model_id + model_version + catalogue version string), never changed afterwards.
CREATE TABLE monitoring_calibration (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_code     text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  model_id        text NOT NULL CHECK (model_id ~ '^[A-Za-z][A-Za-z0-9_]{0,59}$'),
  model_version   text NOT NULL CHECK (char_length(model_version) <= 40),
  catalog_version text NOT NULL CHECK (char_length(catalog_version) <= 40),
  triggers_version text NOT NULL CHECK (char_length(triggers_version) <= 40),
  as_of           date NOT NULL,
  sample_villages text[] NOT NULL DEFAULT '{}',
  -- The two band settings compared (A and B): { red, yellow, blue } lower bounds.
  settings        jsonb NOT NULL CHECK (jsonb_typeof(settings) = 'array' AND length(settings::text) <= 4000),
  result          jsonb NOT NULL CHECK (jsonb_typeof(result) = 'object' AND length(result::text) <= 200000),
  note            text CHECK (note IS NULL OR char_length(note) <= 1000),
  created_by      text NOT NULL DEFAULT doudi_actor_id(),
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX monitoring_calibration_model_idx ON monitoring_calibration (model_id, model_version, created_at DESC);

ALTER TABLE monitoring_calibration ENABLE ROW LEVEL SECURITY;
CREATE POLICY monitoring_calibration_scope ON monitoring_calibration
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()))
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT ON monitoring_calibration TO doudi_app;

-- Incremental runs find the records of an import, and the earlier version each one replaced.
CREATE INDEX IF NOT EXISTS source_record_closed_by_idx ON source_record (closed_by) WHERE closed_by IS NOT NULL;

-- One running full run per region: a retried "start" finds the running one instead of a second.
CREATE UNIQUE INDEX monitoring_run_full_running_idx ON monitoring_run (region_code)
  WHERE status = 'running' AND kind = 'full';
