-- Delegated verification (委托核对) and the after-death estate inquiry (身后一件事), issue 5 item 7.
--
-- A department files a request for one or more persons with a purpose from the catalogue
-- (catalog/verification/purposes.yaml) and the applicant's signed authorisation; the verification
-- centre completes it (the result, limited to the purpose's sources and fields, frozen as of a
-- date, readable until expires_on) or refuses it with a reason. Only what the purpose allows is
-- ever stored: the fields outside it are not read at completion. Persons are kept as blind indexes
-- and masked numbers, never in clear.
--
-- Row visibility: the caller's region subtree, and for a department officer (doudi.department
-- set by the service) only their own department's requests: another department's request is
-- not there (404), whatever the SQL asks.
CREATE TABLE delegated_request (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  purpose              text NOT NULL CHECK (purpose ~ '^[a-z][A-Za-z0-9]{1,39}$'),
  department           text NOT NULL,
  region_code          text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  -- [{name, idNumberMasked, relationship}], in the order filed; subject_index in the same order.
  subjects             jsonb NOT NULL CHECK (jsonb_typeof(subjects) = 'array' AND length(subjects::text) <= 8192),
  subject_index        bytea[] NOT NULL CHECK (cardinality(subject_index) BETWEEN 1 AND 10),
  reference            text CHECK (reference IS NULL OR char_length(reference) <= 100),
  note                 text CHECK (note IS NULL OR char_length(note) <= 500),
  auth_reference       text NOT NULL CHECK (char_length(auth_reference) BETWEEN 1 AND 100),
  auth_signed_on       date NOT NULL,
  auth_file            bytea CHECK (auth_file IS NULL OR length(auth_file) <= 524288),
  auth_file_type       text CHECK (auth_file_type IS NULL OR auth_file_type IN ('application/pdf', 'image/jpeg', 'image/png')),
  status               text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'completed', 'refused')),
  as_of                date,
  result               jsonb CHECK (result IS NULL OR (jsonb_typeof(result) = 'object' AND length(result::text) <= 1048576)),
  expires_on           date,
  refusal_reason       text CHECK (refusal_reason IS NULL OR char_length(refusal_reason) BETWEEN 1 AND 500),
  decided_by           text,
  decided_by_name      text,
  decided_at           timestamptz,
  requested_by         text NOT NULL DEFAULT doudi_actor_id(),
  requested_by_name    text NOT NULL,
  requested_at         timestamptz NOT NULL DEFAULT now(),
  idempotency_key      text NOT NULL CHECK (char_length(idempotency_key) BETWEEN 8 AND 100),
  request_hash         text NOT NULL,
  CHECK (status <> 'completed' OR (as_of IS NOT NULL AND result IS NOT NULL AND expires_on IS NOT NULL)),
  CHECK (status <> 'refused' OR refusal_reason IS NOT NULL)
);
-- A retried submission finds the first one (same officer, same key) instead of filing twice.
CREATE UNIQUE INDEX delegated_request_idempotency_idx ON delegated_request (requested_by, idempotency_key);
CREATE INDEX delegated_request_list_idx ON delegated_request (region_code, status, requested_at DESC);

-- 身后一件事: an heir's authorised inquiry into a deceased person's estate across every source, as
-- of the date of death. Filed at the verification centre's window; issued at once (the combined
-- report, frozen) or refused with the reason (no death record; kinship neither recorded nor
-- proved by a notarised document).
CREATE TABLE estate_inquiry (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_code          text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  deceased_name        text NOT NULL CHECK (char_length(deceased_name) BETWEEN 1 AND 50),
  deceased_index       bytea NOT NULL CHECK (length(deceased_index) = 32),
  deceased_masked      text NOT NULL,
  death_date           date,
  death_evidence       jsonb,
  death_certificate    text CHECK (death_certificate IS NULL OR char_length(death_certificate) <= 100),
  heir_name            text NOT NULL CHECK (char_length(heir_name) BETWEEN 1 AND 50),
  heir_index           bytea NOT NULL CHECK (length(heir_index) = 32),
  heir_masked          text NOT NULL,
  heir_relationship    text NOT NULL,
  kinship_basis        text CHECK (kinship_basis IS NULL OR kinship_basis IN ('household', 'supporter', 'notarised')),
  notarised_reference  text CHECK (notarised_reference IS NULL OR char_length(notarised_reference) <= 100),
  auth_reference       text NOT NULL CHECK (char_length(auth_reference) BETWEEN 1 AND 100),
  auth_signed_on       date NOT NULL,
  status               text NOT NULL CHECK (status IN ('issued', 'refused')),
  report               jsonb CHECK (report IS NULL OR (jsonb_typeof(report) = 'object' AND length(report::text) <= 2097152)),
  refusal_reason       text CHECK (refusal_reason IS NULL OR char_length(refusal_reason) <= 500),
  requested_by         text NOT NULL DEFAULT doudi_actor_id(),
  requested_by_name    text NOT NULL,
  requested_at         timestamptz NOT NULL DEFAULT now(),
  idempotency_key      text NOT NULL CHECK (char_length(idempotency_key) BETWEEN 8 AND 100),
  request_hash         text NOT NULL,
  CHECK (status <> 'issued' OR (report IS NOT NULL AND death_date IS NOT NULL AND kinship_basis IS NOT NULL)),
  CHECK (status <> 'refused' OR refusal_reason IS NOT NULL)
);
CREATE UNIQUE INDEX estate_inquiry_idempotency_idx ON estate_inquiry (requested_by, idempotency_key);
CREATE INDEX estate_inquiry_list_idx ON estate_inquiry (region_code, requested_at DESC);

-- Every access to a delegated result or an estate report: who, in which role and department, when,
-- and what (view, print, complete, refuse, issue). Insert-only. The requesting department sees the
-- log of its own requests (requester_department), the centre sees every row in its region.
CREATE TABLE delegated_access (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subject_type         text NOT NULL CHECK (subject_type IN ('delegated', 'estate')),
  subject_id           uuid NOT NULL,
  action               text NOT NULL CHECK (action IN ('view', 'print', 'complete', 'refuse', 'issue')),
  actor_id             text NOT NULL DEFAULT doudi_actor_id(),
  actor_name           text NOT NULL,
  actor_role           text NOT NULL,
  actor_department     text,
  requester_department text,
  region_code          text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  request_id           text DEFAULT nullif(current_setting('doudi.request_id', true), ''),
  accessed_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX delegated_access_subject_idx ON delegated_access (subject_id, accessed_at DESC);

CREATE FUNCTION doudi_delegated_visible(code text, dept text) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high())
     AND (coalesce(current_setting('doudi.department', true), '') = ''
          OR dept = current_setting('doudi.department', true))
$$;

ALTER TABLE delegated_request ENABLE ROW LEVEL SECURITY;
CREATE POLICY delegated_request_scope ON delegated_request
  USING (doudi_delegated_visible(region_code, department))
  WITH CHECK (doudi_delegated_visible(region_code, department));
GRANT SELECT, INSERT, UPDATE ON delegated_request TO doudi_app;

-- Estate inquiries are the centre's own files: no department sees them.
ALTER TABLE estate_inquiry ENABLE ROW LEVEL SECURITY;
CREATE POLICY estate_inquiry_scope ON estate_inquiry
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high())
         AND coalesce(current_setting('doudi.department', true), '') = '')
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT ON estate_inquiry TO doudi_app;

ALTER TABLE delegated_access ENABLE ROW LEVEL SECURITY;
CREATE POLICY delegated_access_scope ON delegated_access
  USING (doudi_delegated_visible(region_code, requester_department))
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT ON delegated_access TO doudi_app;
