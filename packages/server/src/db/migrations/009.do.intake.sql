-- One-door intake (一门受理, issue 6): applications, the cases they become (one per item, each on
-- its process template from catalog/processes), every transition of a case, the documents recorded
-- for it, and the reminder outbox. Region scope by row-level security, as on the registry: the
-- region of a case is the household's village.

CREATE TABLE intake_application (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  household_id       uuid NOT NULL REFERENCES household (id),
  region_code        text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  channel            text NOT NULL CHECK (channel IN ('online', 'window', 'gridWorker')),
  -- Who applies on the household's behalf and on what authorisation (required for a grid worker).
  authorisation      jsonb CHECK (authorisation IS NULL OR (jsonb_typeof(authorisation) = 'object'
                       AND length(authorisation::text) <= 2000)),
  note               text CHECK (note IS NULL OR char_length(note) <= 1000),
  received_on        date NOT NULL,
  submitted_by       text NOT NULL,
  submitted_by_name  text NOT NULL,
  submitted_by_role  text NOT NULL,
  -- 首问负责: whoever is asked first owns the intake until it is handed over.
  owner_id           text NOT NULL,
  owner_name         text NOT NULL,
  idempotency_key    text NOT NULL CHECK (idempotency_key ~ '^[A-Za-z0-9._:-]{8,100}$'),
  -- SHA-256 of the submitted body: the same key with another body is refused, not silently merged.
  request_hash       text NOT NULL,
  version            integer NOT NULL DEFAULT 1,
  created_at         timestamptz NOT NULL DEFAULT now(),
  CHECK (channel <> 'gridWorker' OR authorisation IS NOT NULL)
);
-- A retried submission (same submitter, same key) finds the first one instead of making another.
CREATE UNIQUE INDEX intake_application_idempotency_idx ON intake_application (submitted_by, idempotency_key);
CREATE INDEX intake_application_region_idx ON intake_application (region_code, created_at DESC);
CREATE INDEX intake_application_household_idx ON intake_application (household_id);

CREATE TABLE intake_case (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  application_id     uuid NOT NULL REFERENCES intake_application (id),
  item_no            integer NOT NULL CHECK (item_no BETWEEN 1 AND 20),
  household_id       uuid NOT NULL REFERENCES household (id),
  region_code        text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  policy_id          text NOT NULL CHECK (policy_id ~ '^[a-z][A-Za-z0-9]{0,59}$'),
  template_id        text NOT NULL,
  -- The owning department for a referral (NULL: civil affairs).
  department         text CHECK (department IS NULL OR department ~ '^[a-z][A-Za-z]{1,40}$'),
  status             text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'awaitingApplicant', 'completed',
                       'refused', 'rejected', 'withdrawn')),
  current_step       text,
  -- Each entry into a step is a new round: reminders are keyed by it, so a job run twice sends once.
  step_round         integer NOT NULL DEFAULT 1,
  step_office        text,
  step_started_on    date,
  step_due_on        date,
  step_working_days  integer,
  -- green / yellow (80% of the step's working days used) / red (overdue), as last marked.
  due_status         text NOT NULL DEFAULT 'green' CHECK (due_status IN ('green', 'yellow', 'red')),
  received_on        date NOT NULL,
  case_due_on        date NOT NULL,
  extended_reason    text CHECK (extended_reason IS NULL OR char_length(extended_reason) <= 500),
  flags              text[] NOT NULL DEFAULT '{}',
  completed_steps    text[] NOT NULL DEFAULT '{}',
  outcome_reason     text CHECK (outcome_reason IS NULL OR char_length(outcome_reason) <= 1000),
  version            integer NOT NULL DEFAULT 1,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  closed_at          timestamptz,
  UNIQUE (application_id, item_no),
  CHECK ((status IN ('open', 'awaitingApplicant')) = (current_step IS NOT NULL))
);
CREATE INDEX intake_case_region_idx ON intake_case (region_code, status);
CREATE INDEX intake_case_due_idx ON intake_case (step_due_on) WHERE status = 'open';
CREATE INDEX intake_case_department_idx ON intake_case (department, status) WHERE department IS NOT NULL;

-- Every transition, in order, with the legal ground the template gives for it.
CREATE TABLE intake_case_event (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq           bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  case_id       uuid NOT NULL REFERENCES intake_case (id),
  at            timestamptz NOT NULL DEFAULT clock_timestamp(),
  on_date       date NOT NULL,
  action        text NOT NULL CHECK (action IN ('open', 'complete', 'returnToApplicant', 'resubmit', 'refuse',
                  'reject', 'withdraw', 'extend', 'handover')),
  from_step     text,
  to_step       text,
  outcome       text,
  legal_ground  text,
  detail        jsonb CHECK (detail IS NULL OR length(detail::text) <= 8000),
  actor_id      text NOT NULL DEFAULT doudi_actor_id(),
  actor_name    text NOT NULL,
  actor_role    text NOT NULL,
  region_code   text NOT NULL CHECK (region_code ~ '^[0-9]{12}$')
);
CREATE INDEX intake_case_event_case_idx ON intake_case_event (case_id, seq);

-- Documents recorded as received or made, once each per case.
CREATE TABLE intake_case_document (
  case_id      uuid NOT NULL REFERENCES intake_case (id),
  document_id  text NOT NULL CHECK (document_id ~ '^[a-z][A-Za-z0-9]{0,59}$'),
  step         text NOT NULL,
  recorded_on  date NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  recorded_by  text NOT NULL DEFAULT doudi_actor_id(),
  region_code  text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  PRIMARY KEY (case_id, document_id)
);

-- Reminders to the office that holds a case: written by the deadline job, delivered by a sender
-- (in-app now; SMS or webhook senders plug in). One per case, step round, kind and channel.
CREATE TABLE intake_outbox (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id      uuid NOT NULL REFERENCES intake_case (id),
  step_round   integer NOT NULL,
  step         text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('dueSoon', 'overdue')),
  channel      text NOT NULL CHECK (channel IN ('inApp', 'sms', 'webhook')),
  office       text NOT NULL,
  department   text,
  region_code  text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  message      text NOT NULL CHECK (char_length(message) <= 1000),
  due_on       date NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  sent_at      timestamptz,
  attempts     integer NOT NULL DEFAULT 0,
  last_error   text,
  UNIQUE (case_id, step_round, kind, channel)
);
CREATE INDEX intake_outbox_pending_idx ON intake_outbox (created_at) WHERE sent_at IS NULL;
CREATE INDEX intake_outbox_region_idx ON intake_outbox (region_code, created_at DESC);

-- County spot-check sampling (tekun: at least 30%): a draw per case entering the step, random, but
-- forced to "yes" whenever the share sampled so far would fall below the required share. Counted per
-- county across every township, which no township caller may see: hence a definer function.
CREATE TABLE intake_spot_check_counter (
  county_prefix text NOT NULL CHECK (county_prefix ~ '^[0-9]{6}$'),
  template_id   text NOT NULL,
  step          text NOT NULL,
  entered       integer NOT NULL DEFAULT 0,
  sampled       integer NOT NULL DEFAULT 0,
  PRIMARY KEY (county_prefix, template_id, step)
);

CREATE FUNCTION intake_spot_check_draw(county text, template text, step_id text, share numeric)
RETURNS boolean LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
DECLARE
  c intake_spot_check_counter;
  pick boolean;
BEGIN
  INSERT INTO intake_spot_check_counter (county_prefix, template_id, step)
    VALUES (county, template, step_id) ON CONFLICT DO NOTHING;
  SELECT * INTO c FROM intake_spot_check_counter
   WHERE county_prefix = county AND template_id = template AND step = step_id FOR UPDATE;
  pick := random() < share OR (c.sampled::numeric < share * (c.entered + 1));
  UPDATE intake_spot_check_counter
     SET entered = entered + 1, sampled = sampled + CASE WHEN pick THEN 1 ELSE 0 END
   WHERE county_prefix = county AND template_id = template AND step = step_id;
  RETURN pick;
END $$;
REVOKE ALL ON FUNCTION intake_spot_check_draw(text, text, text, numeric) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION intake_spot_check_draw(text, text, text, numeric) TO doudi_app;

ALTER TABLE intake_application ENABLE ROW LEVEL SECURITY;
CREATE POLICY intake_application_scope ON intake_application
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()))
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT, UPDATE ON intake_application TO doudi_app;

ALTER TABLE intake_case ENABLE ROW LEVEL SECURITY;
CREATE POLICY intake_case_scope ON intake_case
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()))
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT, UPDATE ON intake_case TO doudi_app;

ALTER TABLE intake_case_event ENABLE ROW LEVEL SECURITY;
CREATE POLICY intake_case_event_scope ON intake_case_event
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()))
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT ON intake_case_event TO doudi_app;

ALTER TABLE intake_case_document ENABLE ROW LEVEL SECURITY;
CREATE POLICY intake_case_document_scope ON intake_case_document
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()))
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT ON intake_case_document TO doudi_app;

ALTER TABLE intake_outbox ENABLE ROW LEVEL SECURITY;
CREATE POLICY intake_outbox_scope ON intake_outbox
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()))
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT ON intake_outbox TO doudi_app;
