-- Policy administration (issue 4 item 7): drafts and published versions of catalogue files.
--
-- The files in catalog/ are the release baseline. A published version replaces one file
-- (e.g. 'parameters/dibaoStandardRural.yaml', 'policies/dibao.yaml', 'policies/dibao.scenarios.yaml')
-- from its effective date on; the catalogue in force on a date is the baseline overlaid, per file,
-- with the newest version whose effective date is on or before that date (activeCatalog.ts).

-- Published versions are immutable: the application may only read and append them.
CREATE TABLE policy_version (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  file           text NOT NULL CHECK (file ~ '^(parameters|variables|policies)/[A-Za-z0-9_/.-]{1,200}\.yaml$'
                                      AND file !~ '\.\.'),
  version_no     integer NOT NULL CHECK (version_no >= 1),
  body           text NOT NULL CHECK (length(body) <= 262144),
  sha256         text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  -- SHA-256 of the text this version replaced (baseline or previous version): shows what was reviewed.
  base_sha256    text NOT NULL CHECK (base_sha256 ~ '^[0-9a-f]{64}$'),
  effective_from date NOT NULL,
  reason         text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  -- The publisher's region: a county publishes for its own region.
  region_code    text NOT NULL REFERENCES region (code),
  published_by   uuid NOT NULL REFERENCES app_user (id),
  -- Kept with the row: readers in every scope see who published, though app_user rows are scoped.
  publisher_name text NOT NULL CHECK (length(publisher_name) BETWEEN 1 AND 100),
  published_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (file, version_no)
);
CREATE INDEX policy_version_effective_idx ON policy_version (file, effective_from, version_no);

CREATE FUNCTION policy_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'policy_version rows are immutable (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER policy_version_no_update BEFORE UPDATE OR DELETE ON policy_version
  FOR EACH ROW EXECUTE FUNCTION policy_version_immutable();
CREATE TRIGGER policy_version_no_truncate BEFORE TRUNCATE ON policy_version
  FOR EACH STATEMENT EXECUTE FUNCTION policy_version_immutable();

-- Rules are public documents and every evaluator, whatever its scope, reads the catalogue in
-- force, so every version is readable; appending is limited to the publisher's own region.
ALTER TABLE policy_version ENABLE ROW LEVEL SECURITY;
CREATE POLICY policy_version_read ON policy_version FOR SELECT USING (true);
CREATE POLICY policy_version_append ON policy_version FOR INSERT
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high())
              AND published_by::text = doudi_actor_id());
GRANT SELECT, INSERT ON policy_version TO doudi_app;

-- Drafts are shared by the officers of one region: one draft per file per region, so colleagues
-- review and finish each other's work instead of publishing competing copies. `revision` guards
-- against two people saving over each other.
CREATE TABLE policy_draft (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_code    text NOT NULL REFERENCES region (code),
  file           text NOT NULL CHECK (file ~ '^(parameters|variables|policies)/[A-Za-z0-9_/.-]{1,200}\.yaml$'
                                      AND file !~ '\.\.' AND file !~ '\.scenarios\.yaml$'),
  body           text NOT NULL CHECK (length(body) <= 262144),
  -- For a policy file: its scenario tests, edited and published together with it.
  scenario_body  text CHECK (length(scenario_body) <= 262144),
  base_sha256    text NOT NULL CHECK (base_sha256 ~ '^[0-9a-f]{64}$'),
  revision       integer NOT NULL DEFAULT 1,
  created_by     uuid NOT NULL REFERENCES app_user (id),
  updated_by     uuid NOT NULL REFERENCES app_user (id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (region_code, file)
);
ALTER TABLE policy_draft ENABLE ROW LEVEL SECURITY;
CREATE POLICY policy_draft_scope ON policy_draft
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()))
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT, UPDATE, DELETE ON policy_draft TO doudi_app;
