-- Batch re-verification (issue 5 item 6): re-verify every enrolled household (monthly job) or a
-- chosen list, keep a compact summary per household per run, compare it with the household's
-- previous summary, and turn the changes that matter into flags to the case owner.
--
-- A run is resumable: households are taken in id order and each batch's summaries and changes are
-- stored in the same transaction that moves the run's cursor, so a killed run continues after its
-- last stored batch. A change is unique per household, month, kind and subject: a run repeated in
-- the same month (or a redone batch) raises nothing twice.

CREATE TABLE verification_batch_run (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_code      text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  -- monthly: the scheduled job; all: every enrolled household, started by an officer; list: chosen.
  kind             text NOT NULL CHECK (kind IN ('monthly', 'all', 'list')),
  as_of            date NOT NULL,
  -- The month the run counts for (YYYY-MM): changes are unique per household and month.
  period           text NOT NULL CHECK (period ~ '^[0-9]{4}-[0-9]{2}$'),
  -- A list run's households (sorted, distinct; at most 10,000).
  household_ids    uuid[] CHECK (household_ids IS NULL OR cardinality(household_ids) <= 10000),
  status           text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed')),
  cursor           uuid,
  households_total integer,
  households_done  integer NOT NULL DEFAULT 0,
  -- Households seen for the first time (their summary is the baseline), and changes raised.
  baselines        integer NOT NULL DEFAULT 0,
  changes_found    integer NOT NULL DEFAULT 0,
  catalog_version  text,
  error            text CHECK (error IS NULL OR char_length(error) <= 1000),
  started_by       text NOT NULL DEFAULT doudi_actor_id(),
  started_by_name  text NOT NULL,
  started_by_role  text,
  started_at       timestamptz NOT NULL DEFAULT now(),
  finished_at      timestamptz,
  CHECK ((kind = 'list') = (household_ids IS NOT NULL))
);
-- One active run per county at a time: a second start is refused (409), never a duplicate. Keyed
-- on the county so that a county run and a township run cannot overlap either.
CREATE UNIQUE INDEX verification_batch_run_active_idx ON verification_batch_run (left(region_code, 6))
  WHERE status = 'running';
CREATE INDEX verification_batch_run_region_idx ON verification_batch_run (region_code, started_at DESC);

-- What the report yielded for a household in a run: the figures and flags, compactly (JSON).
CREATE TABLE verification_batch_summary (
  seq          bigint GENERATED ALWAYS AS IDENTITY,
  run_id       uuid NOT NULL REFERENCES verification_batch_run (id),
  household_id uuid NOT NULL REFERENCES household (id),
  region_code  text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  summary      jsonb NOT NULL CHECK (jsonb_typeof(summary) = 'object' AND length(summary::text) <= 100000),
  PRIMARY KEY (run_id, household_id)
);
-- The previous summary of a household: the newest one from another run.
CREATE INDEX verification_batch_summary_household_idx ON verification_batch_summary (household_id, seq DESC);

-- A change that matters, with its reason, for the household's case owner to acknowledge.
CREATE TABLE verification_change (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  run_id          uuid NOT NULL REFERENCES verification_batch_run (id),
  household_id    uuid NOT NULL REFERENCES household (id),
  region_code     text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  period          text NOT NULL CHECK (period ~ '^[0-9]{4}-[0-9]{2}$'),
  kind            text NOT NULL CHECK (kind IN ('newVehicle', 'newProperty', 'depositIncrease', 'death',
                    'newBusiness', 'newFlag')),
  subject_key     text NOT NULL CHECK (char_length(subject_key) <= 200),
  person_id       uuid,
  reason_zh       text NOT NULL CHECK (char_length(reason_zh) <= 1000),
  reason_en       text NOT NULL CHECK (char_length(reason_en) <= 1000),
  detail          jsonb NOT NULL DEFAULT '{}' CHECK (length(detail::text) <= 8000),
  -- The case owner (首问负责 owner of the enrolment's application), when known.
  owner_id        text,
  owner_name      text,
  status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged')),
  acknowledged_by text,
  acknowledged_by_name text,
  acknowledged_at timestamptz,
  ack_note        text CHECK (ack_note IS NULL OR char_length(ack_note) <= 1000),
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (household_id, period, kind, subject_key),
  CHECK ((status = 'acknowledged') = (acknowledged_at IS NOT NULL))
);
CREATE INDEX verification_change_region_idx ON verification_change (region_code, status, created_at DESC);
CREATE INDEX verification_change_run_idx ON verification_change (run_id);

-- Reminders to the case owner, as intake_outbox (migration 009): one per change and channel, written
-- by the run, delivered by a sender (in-app: the township's list reads them).
CREATE TABLE verification_outbox (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  change_id   uuid NOT NULL REFERENCES verification_change (id),
  channel     text NOT NULL CHECK (channel IN ('inApp', 'sms', 'webhook')),
  office      text NOT NULL DEFAULT 'township',
  owner_id    text,
  region_code text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  message     text NOT NULL CHECK (char_length(message) <= 1000),
  created_at  timestamptz NOT NULL DEFAULT now(),
  sent_at     timestamptz,
  attempts    integer NOT NULL DEFAULT 0,
  last_error  text,
  UNIQUE (change_id, channel)
);
CREATE INDEX verification_outbox_pending_idx ON verification_outbox (created_at) WHERE sent_at IS NULL;
CREATE INDEX verification_outbox_region_idx ON verification_outbox (region_code, created_at DESC);

ALTER TABLE verification_batch_run ENABLE ROW LEVEL SECURITY;
CREATE POLICY verification_batch_run_scope ON verification_batch_run
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()))
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT, UPDATE ON verification_batch_run TO doudi_app;

ALTER TABLE verification_batch_summary ENABLE ROW LEVEL SECURITY;
CREATE POLICY verification_batch_summary_scope ON verification_batch_summary
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()))
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT ON verification_batch_summary TO doudi_app;

ALTER TABLE verification_change ENABLE ROW LEVEL SECURITY;
CREATE POLICY verification_change_scope ON verification_change
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()))
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT, UPDATE ON verification_change TO doudi_app;

ALTER TABLE verification_outbox ENABLE ROW LEVEL SECURITY;
CREATE POLICY verification_outbox_scope ON verification_outbox
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()))
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT ON verification_outbox TO doudi_app;

-- The batch's reading: for a batch of households, every person covered on the date (members, the
-- members who died by then, liable supporters) and their records in force, in one call. SECURITY
-- INVOKER (row-level security applies as to any query); PL/pgSQL so each connection plans it once.
CREATE FUNCTION verification_batch_rows(p_households uuid[], p_as_of date)
RETURNS TABLE (persons json, records json)
LANGUAGE plpgsql STABLE AS $fn$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH last_event AS (
         SELECT DISTINCT ON (t.person_id) t.person_id, t.to_household_id, t.relationship_to_head
           FROM person_transfer t
          WHERE t.person_id IN (SELECT person_id FROM person_transfer WHERE to_household_id = ANY (p_households))
            AND t.moved_on <= p_as_of
          ORDER BY t.person_id, t.moved_on DESC, t.seq DESC),
       covered AS (
         SELECT e.to_household_id AS household_id, p.id, p.name, p.birth_date, p.sex,
                CASE WHEN p.death_date IS NOT NULL AND p.death_date <= p_as_of THEN 'deceased' ELSE 'member' END AS role,
                e.relationship_to_head AS relationship, p.death_date
           FROM last_event e JOIN person p ON p.id = e.person_id
          WHERE e.to_household_id = ANY (p_households)
         UNION ALL
         SELECT s.household_id, p.id, p.name, p.birth_date, p.sex, 'supporter', s.relationship, p.death_date
           FROM household_supporter s JOIN person p ON p.id = s.person_id
          WHERE s.household_id = ANY (p_households) AND s.valid_from <= p_as_of
            AND (s.valid_to IS NULL OR s.valid_to > p_as_of)
            AND (p.death_date IS NULL OR p.death_date > p_as_of))
  SELECT (SELECT json_agg(covered) FROM covered) AS persons,
         (SELECT json_agg(json_build_object('person_id', r.person_id, 'source', r.source,
                   'record_key', r.record_key, 'data', r.data))
            FROM source_record r
           WHERE r.person_id = ANY (ARRAY(SELECT DISTINCT id FROM covered WHERE role <> 'deceased'))
             AND r.valid_from <= p_as_of AND (r.valid_to IS NULL OR r.valid_to > p_as_of)) AS records;
END
$fn$;
