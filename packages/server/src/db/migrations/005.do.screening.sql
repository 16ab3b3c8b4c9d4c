-- Policy finds people (政策找人, proactiveMatch; issue 4 item 5): the household's economic facts,
-- screening runs and their results.
--
-- household_economy: income, assets, housing, vehicles … of a household as of a date, keyed by the
-- catalogue's household fact names (catalog/facts/household.yaml), money in integer fen. `declared`
-- rows come from the application form (and `doudi seed`); `approved` rows will come from
-- verification with take-highest reconciliation (issue 5). The facts assembler reads, for a date D,
-- the newest approved row on or before D, else the newest declared one. A fact absent from the JSON
-- is unknown and stays unknown (the rules engine answers needsInformation), never 0 or false.
CREATE TABLE household_economy (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  household_id uuid NOT NULL REFERENCES household (id),
  as_of        date NOT NULL,
  source       text NOT NULL CHECK (source IN ('declared', 'approved')),
  facts        jsonb NOT NULL CHECK (jsonb_typeof(facts) = 'object' AND length(facts::text) <= 8192),
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  recorded_by  text DEFAULT doudi_actor_id(),
  region_code  text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  -- One row per household, source and date: re-importing the same declaration is a no-op.
  UNIQUE (household_id, source, as_of)
);
CREATE INDEX household_economy_lookup_idx ON household_economy (household_id, (source = 'approved') DESC, as_of DESC);

-- One screening of every household in a region subtree on a date with one catalogue version.
-- `cursor_household_id` is the last household whose results are committed (households are taken in
-- id order): a crashed run continues after it, and results are keyed so a repeat writes nothing twice.
CREATE TABLE screening_run (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_code         text NOT NULL REFERENCES region (code),
  -- Highest code in the region's subtree (its prefix padded with 9s): users inside see the run.
  region_high         text NOT NULL CHECK (region_high ~ '^[0-9]{12}$' AND region_high >= region_code),
  on_date             date NOT NULL,
  catalog_version     text,
  status              text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  started_by          text NOT NULL,
  started_by_name     text NOT NULL,
  started_by_role     text NOT NULL,
  previous_run_id     uuid REFERENCES screening_run (id),
  total               integer NOT NULL DEFAULT 0 CHECK (total >= 0),
  processed           integer NOT NULL DEFAULT 0 CHECK (processed >= 0),
  cursor_household_id uuid,
  -- Set when the run ends: households with at least one policy found, (household, policy) pairs found,
  -- of which newly since the previous run, and per policy {eligible, newly, amountFen}.
  households_found    integer,
  pairs_found         integer,
  pairs_newly         integer,
  policy_counts       jsonb,
  error               text,
  attempts            integer NOT NULL DEFAULT 0,
  created_at          timestamptz NOT NULL DEFAULT now(),
  started_at          timestamptz,
  finished_at         timestamptz,
  duration_ms         integer
);
-- At most one unfinished run per region: a second start is refused instead of doubling the work.
CREATE UNIQUE INDEX screening_run_active_idx ON screening_run (region_code) WHERE status IN ('queued', 'running');
CREATE INDEX screening_run_region_idx ON screening_run (region_code, created_at DESC);

-- Per run and household: the policies the household qualifies for and does not receive (eligible,
-- with amounts in fen, same order), those newly qualifying since the previous run, and those that
-- could apply if missing facts were supplied (needs_info). One row per household keeps a county of a
-- million households to a million rows; the policy filters use the GIN indexes.
CREATE TABLE screening_result (
  run_id           uuid NOT NULL REFERENCES screening_run (id),
  household_id     uuid NOT NULL REFERENCES household (id),
  region_code      text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  eligible         text[] NOT NULL,
  amounts_fen      bigint[] NOT NULL,
  newly            text[] NOT NULL,
  needs_info       text[] NOT NULL,
  -- Sum of the monthly (fen/month) amounts found: the default sort, most money first.
  monthly_total_fen bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, household_id),
  CHECK (cardinality(eligible) = cardinality(amounts_fen))
);
CREATE INDEX screening_result_region_idx ON screening_result (run_id, region_code);
CREATE INDEX screening_result_eligible_idx ON screening_result USING gin (eligible);
CREATE INDEX screening_result_newly_idx ON screening_result USING gin (newly);

ALTER TABLE household_economy ENABLE ROW LEVEL SECURITY;
CREATE POLICY household_economy_scope ON household_economy
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()))
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT ON household_economy TO doudi_app;

-- A run is visible to users whose scope contains the run's region, and to those inside it (a township
-- caseworker sees the county run, but only their township's results, by screening_result's policy).
ALTER TABLE screening_run ENABLE ROW LEVEL SECURITY;
CREATE POLICY screening_run_scope ON screening_run
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high())
         OR (SELECT doudi_scope_low()) BETWEEN region_code AND region_high)
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT, UPDATE ON screening_run TO doudi_app;

ALTER TABLE screening_result ENABLE ROW LEVEL SECURITY;
CREATE POLICY screening_result_scope ON screening_result
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()))
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT ON screening_result TO doudi_app;
