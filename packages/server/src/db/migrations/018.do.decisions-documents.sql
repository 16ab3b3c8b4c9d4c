-- Decisions and statutory documents (issue 6 item 8).
--
-- 1. case_decision: what was decided on a case and on what basis, written once in the transaction of
--    the transition that decided it (approval = the decision step completed; refusal; rejection at
--    intake): the policy and the published version of its file in force that day (NULL = the
--    release baseline), the catalogue version string, the rules engine's result and trace on the
--    household's facts as of that day, the approved figures (verification's approved
--    household_economy row), the amount, the legal ground and the reason. Never updated or deleted.
CREATE TABLE case_decision (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id              uuid NOT NULL UNIQUE REFERENCES intake_case (id),
  household_id         uuid NOT NULL REFERENCES household (id),
  region_code          text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  outcome              text NOT NULL CHECK (outcome IN ('approved', 'refused', 'rejected')),
  step                 text NOT NULL,
  decided_on           date NOT NULL,
  policy_id            text NOT NULL,
  policy_version_no    integer CHECK (policy_version_no IS NULL OR policy_version_no >= 1),
  policy_effective_from date,
  catalog_version      text NOT NULL CHECK (char_length(catalog_version) <= 100),
  rule_status          text NOT NULL CHECK (rule_status IN ('eligible', 'ineligible', 'needsInformation',
                         'error', 'notEvaluated')),
  rule_amount_fen      bigint,
  trace                jsonb CHECK (trace IS NULL OR length(trace::text) <= 200000),
  trace_zh             text CHECK (trace_zh IS NULL OR char_length(trace_zh) <= 50000),
  economy_id           uuid REFERENCES household_economy (id),
  figures              jsonb CHECK (figures IS NULL OR jsonb_typeof(figures) = 'object'),
  figures_as_of        date,
  amount_fen           bigint CHECK (amount_fen IS NULL OR amount_fen BETWEEN 0 AND 100000000),
  legal_ground         text NOT NULL CHECK (char_length(legal_ground) <= 1000),
  reason               text CHECK (reason IS NULL OR char_length(reason) <= 1000),
  decided_by           text NOT NULL DEFAULT coalesce(doudi_actor_id(), 'system'),
  decided_by_name      text NOT NULL,
  decided_by_role      text NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_decision_household_idx ON case_decision (household_id);

-- 2. Numbered statutory documents (文书). The number is per issuing county, series (the prefix, which
--    names the document type and the item) and year, taken from a counter row updated in the same
--    transaction as the document: two issuers at once queue on the row, and a rolled-back transition
--    gives its number back, so the numbers have no gaps. The PDF is kept in the row (bytea) with its
--    SHA-256: made once at the event; a download serves these bytes.
CREATE TABLE statutory_document_counter (
  county_code  text NOT NULL CHECK (county_code ~ '^[0-9]{6}$'),
  series       text NOT NULL CHECK (char_length(series) BETWEEN 1 AND 30),
  year         integer NOT NULL CHECK (year BETWEEN 2000 AND 2999),
  last_no      integer NOT NULL CHECK (last_no >= 1),
  PRIMARY KEY (county_code, series, year)
);

CREATE TABLE statutory_document (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- What made it, once: 'case:<id>:<kind>' or 'enrolmentTask:<id>:termination'.
  event_key       text NOT NULL UNIQUE CHECK (char_length(event_key) <= 120),
  kind            text NOT NULL CHECK (kind IN ('acceptance', 'intakeRefusal', 'confirmation', 'refusal',
                    'termination')),
  case_id         uuid REFERENCES intake_case (id),
  enrolment_id    uuid REFERENCES enrolment (id),
  decision_id     uuid REFERENCES case_decision (id),
  household_id    uuid NOT NULL REFERENCES household (id),
  region_code     text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  policy_id       text NOT NULL,
  county_code     text NOT NULL CHECK (county_code ~ '^[0-9]{6}$'),
  series          text NOT NULL,
  year            integer NOT NULL,
  seq             integer NOT NULL CHECK (seq >= 1),
  number          text NOT NULL UNIQUE CHECK (char_length(number) <= 60),
  title           text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 60),
  addressee       text NOT NULL CHECK (char_length(addressee) <= 100),
  issued_on       date NOT NULL,
  issuer          text NOT NULL CHECK (char_length(issuer) <= 100),
  -- What the document says, as data (facts, amount, legal basis): shown and searchable without the PDF.
  content         jsonb NOT NULL CHECK (jsonb_typeof(content) = 'object' AND length(content::text) <= 20000),
  pdf             bytea NOT NULL CHECK (length(pdf) BETWEEN 5 AND 5000000),
  sha256          text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  created_by      text NOT NULL DEFAULT coalesce(doudi_actor_id(), 'system'),
  created_by_name text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (county_code, series, year, seq),
  CHECK (case_id IS NOT NULL OR enrolment_id IS NOT NULL)
);
CREATE INDEX statutory_document_case_idx ON statutory_document (case_id, created_at);
CREATE INDEX statutory_document_household_idx ON statutory_document (household_id, created_at);

CREATE FUNCTION decision_record_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are immutable (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER case_decision_no_update BEFORE UPDATE OR DELETE ON case_decision
  FOR EACH ROW EXECUTE FUNCTION decision_record_immutable();
CREATE TRIGGER case_decision_no_truncate BEFORE TRUNCATE ON case_decision
  FOR EACH STATEMENT EXECUTE FUNCTION decision_record_immutable();
CREATE TRIGGER statutory_document_no_update BEFORE UPDATE OR DELETE ON statutory_document
  FOR EACH ROW EXECUTE FUNCTION decision_record_immutable();
CREATE TRIGGER statutory_document_no_truncate BEFORE TRUNCATE ON statutory_document
  FOR EACH STATEMENT EXECUTE FUNCTION decision_record_immutable();

ALTER TABLE case_decision ENABLE ROW LEVEL SECURITY;
CREATE POLICY case_decision_scope ON case_decision
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()))
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT ON case_decision TO doudi_app;

ALTER TABLE statutory_document ENABLE ROW LEVEL SECURITY;
CREATE POLICY statutory_document_scope ON statutory_document
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()))
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT ON statutory_document TO doudi_app;

-- The county's counter is shared by its townships: anyone whose scope lies inside the county (or
-- covers it) reaches the county's rows, no one another county's.
ALTER TABLE statutory_document_counter ENABLE ROW LEVEL SECURITY;
CREATE POLICY statutory_document_counter_scope ON statutory_document_counter
  USING (county_code BETWEEN left((SELECT doudi_scope_low()), 6) AND left((SELECT doudi_scope_high()), 6))
  WITH CHECK (county_code BETWEEN left((SELECT doudi_scope_low()), 6) AND left((SELECT doudi_scope_high()), 6));
GRANT SELECT, INSERT, UPDATE ON statutory_document_counter TO doudi_app;
