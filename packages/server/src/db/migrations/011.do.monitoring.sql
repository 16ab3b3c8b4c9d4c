-- Low-income monitoring and early warning (issue 7): alerts raised by data (indicator models and
-- event triggers) or by request (resident self-report, grid worker), their lifecycle
-- 点单 → 派单 → 接单 → handled → feedback → closed, and the runs that raise them.
-- Region scope by row-level security, as on the registry: the region of an alert is the
-- household's village (or, for a candidate not yet in the registry, the village the source
-- record names, else the county).

CREATE TABLE monitoring_run (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind            text NOT NULL CHECK (kind IN ('full', 'incremental')),
  region_code     text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  model_id        text NOT NULL,
  model_version   text NOT NULL,
  as_of           date NOT NULL,
  -- The source import an incremental run follows (NULL for a full run or a hand-started one).
  source_import_id uuid,
  status          text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed')),
  -- Resumable: the last household number finished; a restarted run continues after it.
  cursor          text,
  households_total integer,
  households_done integer NOT NULL DEFAULT 0,
  alerts_raised   integer NOT NULL DEFAULT 0,
  alerts_updated  integer NOT NULL DEFAULT 0,
  error           text,
  started_by      text NOT NULL,
  started_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz
);
CREATE INDEX monitoring_run_region_idx ON monitoring_run (region_code, started_at DESC);
-- One incremental run per import: a re-delivered job finds the first one.
CREATE UNIQUE INDEX monitoring_run_import_idx ON monitoring_run (source_import_id)
  WHERE source_import_id IS NOT NULL;

CREATE TABLE monitoring_alert (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- NULL for a candidate not yet known to assistance: then subject_key is the person's blind index.
  household_id      uuid REFERENCES household (id),
  subject_key       text NOT NULL CHECK (char_length(subject_key) BETWEEN 8 AND 100),
  region_code       text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  -- 'indicator:<modelId>' for a model score, 'trigger:<triggerId>' for an event, 'request' for 点单.
  cause             text NOT NULL CHECK (cause ~ '^(indicator|trigger):[a-z][A-Za-z0-9]{0,59}$' OR cause = 'request'),
  origin            text NOT NULL CHECK (origin IN ('data', 'selfReport', 'gridWorker', 'staff')),
  colour            text NOT NULL CHECK (colour IN ('red', 'yellow', 'blue', 'green')),
  score             numeric,
  model_version     text,
  -- Why: the indicator items or the trigger's records, each with its data and date (shown on the portrait).
  evidence          jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(evidence) = 'array' AND length(evidence::text) <= 20000),
  summary_zh        text NOT NULL CHECK (char_length(summary_zh) <= 500),
  status            text NOT NULL DEFAULT 'raised' CHECK (status IN ('raised', 'dispatched', 'accepted',
                      'handling', 'feedback', 'closed')),
  lead_department   text,
  supporting_departments text[] NOT NULL DEFAULT '{}',
  accept_due_on     date,
  handle_due_on     date,
  -- How many levels up the region tree an unaccepted alert has been escalated.
  escalation_level  integer NOT NULL DEFAULT 0,
  -- case (opened in intake), referral, visit, or closedWithReason.
  handling          text CHECK (handling IS NULL OR handling IN ('case', 'referral', 'visit', 'closedWithReason')),
  intake_case_id    uuid,
  outcome           text CHECK (outcome IS NULL OR outcome IN ('helped', 'notNeeded', 'notFound', 'referredElsewhere')),
  close_reason      text CHECK (close_reason IS NULL OR char_length(close_reason) <= 1000),
  raise_count       integer NOT NULL DEFAULT 1,
  first_raised_at   timestamptz NOT NULL DEFAULT now(),
  last_raised_at    timestamptz NOT NULL DEFAULT now(),
  last_run_id       uuid REFERENCES monitoring_run (id),
  version           integer NOT NULL DEFAULT 1,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  closed_at         timestamptz,
  CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);
-- At most one open alert per household (or candidate) and cause: a re-run updates it, never repeats it.
CREATE UNIQUE INDEX monitoring_alert_open_idx ON monitoring_alert (subject_key, cause) WHERE status <> 'closed';
CREATE INDEX monitoring_alert_region_idx ON monitoring_alert (region_code, status, colour);
CREATE INDEX monitoring_alert_household_idx ON monitoring_alert (household_id) WHERE household_id IS NOT NULL;
CREATE INDEX monitoring_alert_department_idx ON monitoring_alert (lead_department, status);
CREATE INDEX monitoring_alert_accept_due_idx ON monitoring_alert (accept_due_on) WHERE status = 'dispatched';

-- Every step of an alert, in order: one person, one assistance chain.
CREATE TABLE monitoring_alert_event (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq          bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  alert_id     uuid NOT NULL REFERENCES monitoring_alert (id),
  at           timestamptz NOT NULL DEFAULT clock_timestamp(),
  action       text NOT NULL CHECK (action IN ('raise', 'update', 'dispatch', 'accept', 'handle', 'feedback',
                 'close', 'escalate', 'reopen')),
  from_status  text,
  to_status    text,
  detail       jsonb CHECK (detail IS NULL OR length(detail::text) <= 8000),
  actor_id     text NOT NULL DEFAULT doudi_actor_id(),
  actor_name   text NOT NULL,
  region_code  text NOT NULL CHECK (region_code ~ '^[0-9]{12}$')
);
CREATE INDEX monitoring_alert_event_alert_idx ON monitoring_alert_event (alert_id, seq);

ALTER TABLE monitoring_run ENABLE ROW LEVEL SECURITY;
CREATE POLICY monitoring_run_scope ON monitoring_run
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()))
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT, UPDATE ON monitoring_run TO doudi_app;

ALTER TABLE monitoring_alert ENABLE ROW LEVEL SECURITY;
CREATE POLICY monitoring_alert_scope ON monitoring_alert
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()))
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT, UPDATE ON monitoring_alert TO doudi_app;

ALTER TABLE monitoring_alert_event ENABLE ROW LEVEL SECURITY;
CREATE POLICY monitoring_alert_event_scope ON monitoring_alert_event
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()))
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT ON monitoring_alert_event TO doudi_app;
