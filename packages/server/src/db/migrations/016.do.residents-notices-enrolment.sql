-- Residents online, public notices and enrolment (issue 6 items 1, 7 and 9).
--
-- 1. Residents sign in by phone with a one-time code. Codes are stored only as a keyed hash, live five
--    minutes, allow five tries, and are rate-limited per phone and per client address. The challenge
--    table is read only by the platform (login runs before anyone is known), like app_session.
CREATE TABLE resident_otp_challenge (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  phone_index  bytea NOT NULL CHECK (length(phone_index) = 32),
  code_hash    bytea NOT NULL CHECK (length(code_hash) = 32),
  expires_at   timestamptz NOT NULL,
  attempts     integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  consumed_at  timestamptz,
  client_ip    text NOT NULL CHECK (char_length(client_ip) <= 100),
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX resident_otp_phone_idx ON resident_otp_challenge (phone_index, created_at DESC);
CREATE INDEX resident_otp_ip_idx ON resident_otp_challenge (client_ip, created_at DESC);

-- A resident account belongs to one registered person (linked on first sign-in by phone + ID number,
-- both matching the registry). The household comes from the person at the time of each request, so a
-- move in the registry moves what the resident may see and apply for.
CREATE TABLE resident_account (
  user_id      uuid PRIMARY KEY REFERENCES app_user (id),
  person_id    uuid NOT NULL UNIQUE REFERENCES person (id),
  phone_index  bytea NOT NULL CHECK (length(phone_index) = 32),
  region_code  text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  linked_how   text NOT NULL CHECK (linked_how IN ('phoneAndIdNumber', 'staff')),
  linked_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX resident_account_phone_idx ON resident_account (phone_index);
ALTER TABLE resident_account ENABLE ROW LEVEL SECURITY;
CREATE POLICY resident_account_scope ON resident_account
  USING (user_id::text = doudi_actor_id()
         OR region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT ON resident_account TO doudi_app;

-- 2. Public notice (公示) of a proposed decision in the household's village, from the notice step of a
--    case: published name, masked ID number, household size, proposed monthly amount, dates. One per
--    case and step round (a case sent back to the step gets a new notice).
CREATE TABLE public_notice (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id             uuid NOT NULL REFERENCES intake_case (id),
  step_round          integer NOT NULL,
  household_id        uuid NOT NULL REFERENCES household (id),
  region_code         text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  policy_id           text NOT NULL,
  head_name           text NOT NULL CHECK (char_length(head_name) BETWEEN 1 AND 50),
  id_number_masked    text NOT NULL,
  household_size      integer NOT NULL CHECK (household_size BETWEEN 1 AND 50),
  proposed_amount_fen bigint NOT NULL CHECK (proposed_amount_fen BETWEEN 0 AND 100000000),
  starts_on           date NOT NULL,
  ends_on             date NOT NULL CHECK (ends_on >= starts_on),
  days                integer NOT NULL CHECK (days BETWEEN 1 AND 60),
  day_kind            text NOT NULL CHECK (day_kind IN ('calendar', 'working')),
  status              text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  created_by          text NOT NULL DEFAULT doudi_actor_id(),
  created_by_name     text NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  closed_at           timestamptz,
  UNIQUE (case_id, step_round)
);
CREATE INDEX public_notice_region_idx ON public_notice (region_code, starts_on DESC);

-- Objections: by anyone who may read the notice, with a reason; an anonymous objection hides the
-- objector from the notice page but the account is still recorded (and audited), as the law expects
-- objections to be followed up.
CREATE TABLE notice_objection (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  notice_id        uuid NOT NULL REFERENCES public_notice (id),
  case_id          uuid NOT NULL REFERENCES intake_case (id),
  region_code      text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  reason           text NOT NULL CHECK (char_length(reason) BETWEEN 5 AND 1000),
  anonymous        boolean NOT NULL,
  objector_id      text NOT NULL DEFAULT doudi_actor_id(),
  objector_name    text NOT NULL,
  objector_role    text NOT NULL,
  idempotency_key  text NOT NULL CHECK (idempotency_key ~ '^[A-Za-z0-9._:-]{8,100}$'),
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (objector_id, idempotency_key)
);
CREATE INDEX notice_objection_notice_idx ON notice_objection (notice_id, created_at);

-- An objection is part of the case's timeline.
ALTER TABLE intake_case_event DROP CONSTRAINT intake_case_event_action_check;
ALTER TABLE intake_case_event ADD CONSTRAINT intake_case_event_action_check CHECK (action IN ('open',
  'complete', 'returnToApplicant', 'resubmit', 'refuse', 'reject', 'withdraw', 'extend', 'handover',
  'objection', 'notice'));

-- 3. Enrolment (在册): approval enrols the household in a category from the month after the decision,
--    with a review period set by rule (12 months for stable households, 6 where members can work).
CREATE TABLE enrolment (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  household_id        uuid NOT NULL REFERENCES household (id),
  region_code         text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  category            text NOT NULL CHECK (category IN ('dibao', 'tekun', 'nearDibao', 'relapseWatch',
                        'expenditureHardship', 'otherHardship')),
  policy_id           text NOT NULL,
  case_id             uuid UNIQUE REFERENCES intake_case (id),
  -- NULL: approved without a figure on file (no notice amount); set through an increase.
  monthly_amount_fen  bigint CHECK (monthly_amount_fen IS NULL OR monthly_amount_fen BETWEEN 0 AND 100000000),
  decided_on          date NOT NULL,
  starts_on           date NOT NULL,
  review_months       integer NOT NULL CHECK (review_months IN (6, 12)),
  next_review_on      date NOT NULL,
  status              text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'phaseOut', 'stopped')),
  phase_out_until     date,
  ended_on            date,
  end_reason          text CHECK (end_reason IS NULL OR char_length(end_reason) <= 1000),
  legal_ground        text NOT NULL,
  version             integer NOT NULL DEFAULT 1,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'phaseOut') = (phase_out_until IS NOT NULL)),
  CHECK ((status = 'stopped') = (ended_on IS NOT NULL))
);
-- One live enrolment per household and category.
CREATE UNIQUE INDEX enrolment_live_idx ON enrolment (household_id, category) WHERE status <> 'stopped';
CREATE INDEX enrolment_region_idx ON enrolment (region_code, status);
CREATE INDEX enrolment_review_idx ON enrolment (next_review_on) WHERE status <> 'stopped';

-- Tasks on an enrolment: scheduled reviews and re-checks (made by the job; the trigger key makes a
-- repeat run write nothing twice), and the short cases for an increase, cut, stop or phase-out, which
-- a second officer decides.
CREATE TABLE enrolment_task (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  enrolment_id      uuid NOT NULL REFERENCES enrolment (id),
  region_code       text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  kind              text NOT NULL CHECK (kind IN ('review', 'recheck', 'increase', 'cut', 'stop', 'phaseOut')),
  trigger           text NOT NULL CHECK (trigger IN ('schedule', 'death', 'phaseOutEnd', 'manual')),
  trigger_key       text NOT NULL CHECK (char_length(trigger_key) <= 100),
  status            text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'approved', 'rejected', 'done')),
  due_on            date NOT NULL,
  reason            text CHECK (reason IS NULL OR char_length(reason) <= 1000),
  legal_ground      text,
  new_amount_fen    bigint CHECK (new_amount_fen IS NULL OR new_amount_fen BETWEEN 0 AND 100000000),
  phase_out_months  integer CHECK (phase_out_months IS NULL OR phase_out_months BETWEEN 1 AND 6),
  effective_on      date,
  requested_by      text NOT NULL DEFAULT doudi_actor_id(),
  requested_by_name text NOT NULL,
  decided_by        text,
  decided_by_name   text,
  decided_at        timestamptz,
  decision_note     text CHECK (decision_note IS NULL OR char_length(decision_note) <= 1000),
  version           integer NOT NULL DEFAULT 1,
  created_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (enrolment_id, trigger_key),
  CHECK (kind IN ('review', 'recheck') OR legal_ground IS NOT NULL)
);
CREATE INDEX enrolment_task_open_idx ON enrolment_task (region_code, due_on) WHERE status = 'open';

ALTER TABLE public_notice ENABLE ROW LEVEL SECURITY;
CREATE POLICY public_notice_scope ON public_notice
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()))
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT, UPDATE ON public_notice TO doudi_app;

ALTER TABLE notice_objection ENABLE ROW LEVEL SECURITY;
CREATE POLICY notice_objection_scope ON notice_objection
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()))
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT ON notice_objection TO doudi_app;

ALTER TABLE enrolment ENABLE ROW LEVEL SECURITY;
CREATE POLICY enrolment_scope ON enrolment
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()))
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT, UPDATE ON enrolment TO doudi_app;

ALTER TABLE enrolment_task ENABLE ROW LEVEL SECURITY;
CREATE POLICY enrolment_task_scope ON enrolment_task
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()))
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT, UPDATE ON enrolment_task TO doudi_app;
