-- Departmental data (issue 5, items 1–3): imports of source files, the records they carry with
-- their history, rejected rows, per-source settings and department API keys for pushes.
--
-- The departments that own sources join the known list (src/domains/access/permissions.ts).
ALTER TABLE app_user DROP CONSTRAINT app_user_department_known;
ALTER TABLE app_user ADD CONSTRAINT app_user_department_known CHECK (department IS NULL OR department IN (
  'education', 'medicalSecurity', 'housing', 'humanResources', 'health', 'disabledPersons',
  'tradeUnion', 'emergency', 'ruralRevitalization', 'charity',
  'publicSecurity', 'civilAffairs', 'tax', 'naturalResources', 'marketRegulation', 'housingFund',
  'finance', 'utilities'));

-- Row visibility for this domain: the caller's region subtree, and for a department officer
-- (doudi.department set by the service) only the rows of their own department.
CREATE FUNCTION doudi_source_visible(code text, dept text) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high())
     AND (coalesce(current_setting('doudi.department', true), '') = ''
          OR dept = current_setting('doudi.department', true))
$$;

-- One row per import (file upload, CLI, or department push). Counts are moved forward in the
-- same transaction as each batch of rows, so a crashed import is resumed from rows_done.
CREATE TABLE source_import (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  source          text NOT NULL CHECK (source ~ '^[a-zA-Z]{2,40}$'),
  department      text NOT NULL,
  region_code     text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  via             text NOT NULL CHECK (via IN ('upload', 'cli', 'push')),
  file_name       text NOT NULL CHECK (char_length(file_name) BETWEEN 1 AND 255),
  format          text NOT NULL CHECK (format IN ('csv', 'xlsx', 'json')),
  encoding        text,
  checksum        text NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),
  bytes           bigint NOT NULL DEFAULT 0,
  bytes_read      bigint NOT NULL DEFAULT 0,
  as_of           date NOT NULL,
  status          text NOT NULL CHECK (status IN ('running', 'done', 'refused', 'failed')),
  all_or_nothing  boolean NOT NULL DEFAULT false,
  rows_read       integer NOT NULL DEFAULT 0,
  inserted        integer NOT NULL DEFAULT 0,
  updated         integer NOT NULL DEFAULT 0,
  unchanged       integer NOT NULL DEFAULT 0,
  rejected        integer NOT NULL DEFAULT 0,
  unmatched       integer NOT NULL DEFAULT 0,
  name_mismatches integer NOT NULL DEFAULT 0,
  closed          integer NOT NULL DEFAULT 0,
  message         text,
  notes           jsonb,
  idempotency_key text CHECK (idempotency_key IS NULL OR char_length(idempotency_key) BETWEEN 1 AND 100),
  api_key_id      uuid,
  worker          text,
  heartbeat_at    timestamptz NOT NULL DEFAULT now(),
  started_by      text NOT NULL DEFAULT doudi_actor_id(),
  started_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz,
  duration_ms     integer,
  CHECK (status IN ('running', 'refused') OR rows_read = inserted + updated + unchanged + rejected)
);
-- One running import per source: the claim (under an advisory lock) serialises imports.
CREATE UNIQUE INDEX source_import_running_idx ON source_import (source) WHERE status = 'running';
CREATE INDEX source_import_list_idx ON source_import (region_code, started_at DESC);
CREATE INDEX source_import_checksum_idx ON source_import (source, checksum, as_of);
CREATE UNIQUE INDEX source_import_idempotency_idx ON source_import (api_key_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

-- Rejected rows: row number in the file, column header, value (ID numbers masked), reason.
CREATE TABLE source_import_error (
  import_id   uuid NOT NULL REFERENCES source_import (id),
  row_no      integer NOT NULL,
  seq         smallint NOT NULL,
  column_name text,
  value       text,
  reason      text NOT NULL,
  department  text NOT NULL,
  region_code text NOT NULL,
  PRIMARY KEY (import_id, row_no, seq)
);

-- One row per version of a department's record. valid_from is the as-of date of the snapshot
-- that carried it; valid_to the as-of date of the snapshot that replaced or dropped it.
-- "Every record of these members on date D" is one range scan of source_record_person_idx.
CREATE TABLE source_record (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source           text NOT NULL,
  record_key       text NOT NULL CHECK (char_length(record_key) BETWEEN 1 AND 100),
  department       text NOT NULL,
  region_code      text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  person_id        uuid REFERENCES person (id),
  id_number_cipher bytea NOT NULL,
  id_number_index  bytea NOT NULL CHECK (length(id_number_index) = 32),
  id_number_masked text NOT NULL,
  name             text NOT NULL,
  name_mismatch    boolean NOT NULL DEFAULT false,
  data             jsonb NOT NULL CHECK (jsonb_typeof(data) = 'object'),
  content_hash     bytea NOT NULL,
  valid_from       date NOT NULL,
  valid_to         date CHECK (valid_to IS NULL OR valid_to >= valid_from),
  seen_as_of       date NOT NULL,
  import_id        uuid NOT NULL REFERENCES source_import (id),
  closed_by        uuid REFERENCES source_import (id),
  recorded_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX source_record_open_idx ON source_record (source, record_key) WHERE valid_to IS NULL;
CREATE INDEX source_record_person_idx ON source_record (person_id, source, valid_from) WHERE person_id IS NOT NULL;
CREATE INDEX source_record_id_number_idx ON source_record (id_number_index);
CREATE INDEX source_record_unmatched_idx ON source_record (region_code, source, id) WHERE person_id IS NULL;
CREATE INDEX source_record_import_idx ON source_record (import_id);

-- Per-source choices that override the catalogue: all-or-nothing, column headers.
CREATE TABLE source_setting (
  source         text PRIMARY KEY,
  all_or_nothing boolean,
  mapping        jsonb CHECK (mapping IS NULL OR jsonb_typeof(mapping) = 'object'),
  updated_by     text NOT NULL DEFAULT doudi_actor_id(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);

-- A department's key for the push endpoint. Only the SHA-256 of the key is kept.
CREATE TABLE source_api_key (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  department   text NOT NULL,
  region_code  text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  label        text NOT NULL CHECK (char_length(label) BETWEEN 1 AND 100),
  prefix       text NOT NULL,
  key_hash     bytea NOT NULL UNIQUE,
  created_by   text NOT NULL DEFAULT doudi_actor_id(),
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);

-- Matching by blind index must find the person wherever they are registered (the importer
-- may not see them): returns the person, their name and household region, nothing more.
CREATE FUNCTION source_match_persons(idx bytea[])
RETURNS TABLE (id_number_index bytea, person_id uuid, name text, region_code text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT p.id_number_index, p.id, p.name, h.region_code
    FROM person p JOIN household h ON h.id = p.household_id
   WHERE p.id_number_index = ANY(idx) AND p.merged_into IS NULL
$$;
REVOKE ALL ON FUNCTION source_match_persons(bytea[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION source_match_persons(bytea[]) TO doudi_app;

GRANT SELECT, INSERT, UPDATE ON source_import, source_record TO doudi_app;
GRANT SELECT, INSERT ON source_import_error TO doudi_app;
GRANT SELECT, INSERT, UPDATE ON source_setting, source_api_key TO doudi_app;

ALTER TABLE source_import ENABLE ROW LEVEL SECURITY;
CREATE POLICY source_import_scope ON source_import
  USING (doudi_source_visible(region_code, department));
ALTER TABLE source_import_error ENABLE ROW LEVEL SECURITY;
CREATE POLICY source_import_error_scope ON source_import_error
  USING (doudi_source_visible(region_code, department));
ALTER TABLE source_record ENABLE ROW LEVEL SECURITY;
CREATE POLICY source_record_scope ON source_record
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high())
         AND (coalesce(current_setting('doudi.department', true), '') = ''
              OR department = current_setting('doudi.department', true)));
-- Settings and keys are read by every importer in scope; written by the services that check
-- permissions (verification centre, administrator).
ALTER TABLE source_api_key ENABLE ROW LEVEL SECURITY;
CREATE POLICY source_api_key_scope ON source_api_key
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
