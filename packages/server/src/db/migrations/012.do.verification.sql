-- Household economic-status verification (issue 5, items 4–5): liable supporters living apart,
-- the home-visit findings, and take-highest reconciliation (就高原则).
--
-- The verification report itself is not stored: it is computed from source_record (migration 007)
-- for a household and a date whenever it is read, so it can never disagree with the data it cites.
-- What is stored is what people decide: who supports whom, what the home visit found, and the
-- approved figures with their overrides. The approved figures also go into household_economy as an
-- `approved` row (migration 005), which the facts assembler already prefers over `declared`: that is
-- the hook by which the rules engine decides on the approved figures.

-- Liable supporters outside the household (赡养、抚养、扶养义务人: adult children living apart).
-- The registry links persons to one household only; this is the minimal link the report needs.
-- region_code is the supported household's village: the link is seen where the household is seen.
CREATE TABLE household_supporter (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  household_id uuid NOT NULL REFERENCES household (id),
  person_id    uuid NOT NULL REFERENCES person (id),
  relationship text NOT NULL CHECK (relationship IN ('son', 'daughter', 'spouse', 'parent', 'other')),
  valid_from   date NOT NULL,
  valid_to     date CHECK (valid_to IS NULL OR valid_to > valid_from),
  region_code  text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  recorded_by  text NOT NULL DEFAULT doudi_actor_id(),
  recorded_at  timestamptz NOT NULL DEFAULT now()
);
-- One open link per household and supporter: a repeated request finds it instead of adding one.
CREATE UNIQUE INDEX household_supporter_open_idx ON household_supporter (household_id, person_id) WHERE valid_to IS NULL;
CREATE INDEX household_supporter_household_idx ON household_supporter (household_id, valid_from);

-- What two investigators found at the home visit (入户调查), as figures under the catalogue's fact
-- names (money in fen). One row per household and visit date: recording the same visit again
-- replaces its figures (audited with the old ones), never adds a second row.
CREATE TABLE verification_home_visit (
  household_id   uuid NOT NULL REFERENCES household (id),
  visited_on     date NOT NULL,
  figures        jsonb NOT NULL CHECK (jsonb_typeof(figures) = 'object' AND length(figures::text) <= 4096),
  investigators  text[] NOT NULL DEFAULT '{}',
  note           text CHECK (note IS NULL OR char_length(note) <= 1000),
  region_code    text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  recorded_by    text NOT NULL DEFAULT doudi_actor_id(),
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (household_id, visited_on)
);

-- The approved figures of a household as of a date: for each figure the declared, home-visit and
-- verified values, the one taken (the highest, or an officer's override with its written reason).
CREATE TABLE verification_approval (
  household_id uuid NOT NULL REFERENCES household (id),
  as_of        date NOT NULL,
  figures      jsonb NOT NULL CHECK (jsonb_typeof(figures) = 'array' AND length(figures::text) <= 65536),
  region_code  text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  approved_by  text NOT NULL DEFAULT doudi_actor_id(),
  approved_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (household_id, as_of)
);

ALTER TABLE household_supporter ENABLE ROW LEVEL SECURITY;
CREATE POLICY household_supporter_scope ON household_supporter
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()))
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT, UPDATE ON household_supporter TO doudi_app;

ALTER TABLE verification_home_visit ENABLE ROW LEVEL SECURITY;
CREATE POLICY verification_home_visit_scope ON verification_home_visit
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()))
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT, UPDATE ON verification_home_visit TO doudi_app;

ALTER TABLE verification_approval ENABLE ROW LEVEL SECURITY;
CREATE POLICY verification_approval_scope ON verification_approval
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()))
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT, UPDATE ON verification_approval TO doudi_app;

-- Re-approving a household on the same date replaces its approved economy row (and re-recording a
-- declaration merges into the declared one): household_economy was insert-only until now.
GRANT UPDATE ON household_economy TO doudi_app;

-- Which sources had been loaded by a date, and the latest as-of date of each: a report must tell
-- "nothing found" (the source was loaded and holds no record) from "not known" (never loaded).
-- Imports are filed under the importer's region, which a township caseworker may not see; this
-- returns source names and dates only, nothing about any person.
-- Only imports filed under a region that contains the household's village count.
CREATE FUNCTION verification_sources_loaded(on_date date, village text)
RETURNS TABLE (source text, last_as_of date)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT source, max(as_of) FROM source_import
   WHERE status = 'done' AND as_of <= on_date
     AND village BETWEEN region_code AND rpad(rtrim(region_code, '0'), 12, '9')
   GROUP BY source
$$;
REVOKE ALL ON FUNCTION verification_sources_loaded(date, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION verification_sources_loaded(date, text) TO doudi_app;

-- The report's reading, one call (src/domains/verification/verification.repo.ts, reportRows). A
-- PL/pgSQL function so that each connection plans it once and reuses the plan: planning this
-- statement (CTEs, row-level security on five tables) cost more than running it. SECURITY
-- INVOKER: it runs as the caller (doudi_app), so row-level security applies as to any query.
CREATE FUNCTION verification_report_rows(p_household uuid, p_as_of date, p_village text)
RETURNS TABLE (persons json, records json, loaded json, hidden integer)
LANGUAGE plpgsql STABLE AS $fn$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH last_event AS (
         SELECT DISTINCT ON (t.person_id) t.person_id, t.to_household_id, t.relationship_to_head
           FROM person_transfer t
          WHERE t.person_id IN (SELECT person_id FROM person_transfer WHERE to_household_id = p_household)
            AND t.moved_on <= p_as_of
          ORDER BY t.person_id, t.moved_on DESC, t.seq DESC),
       links AS (
         SELECT s.person_id, s.relationship FROM household_supporter s
          WHERE s.household_id = p_household AND s.valid_from <= p_as_of AND (s.valid_to IS NULL OR s.valid_to > p_as_of)),
       covered AS (
         SELECT p.id, p.name, p.id_number_masked, p.birth_date, p.sex, p.region_code,
                'member' AS role, e.relationship_to_head AS relationship
           FROM last_event e JOIN person p ON p.id = e.person_id
          WHERE e.to_household_id = p_household AND (p.death_date IS NULL OR p.death_date > p_as_of)
         UNION ALL
         SELECT p.id, p.name, p.id_number_masked, p.birth_date, p.sex, p.region_code, 'supporter', l.relationship
           FROM links l JOIN person p ON p.id = l.person_id
          WHERE p.death_date IS NULL OR p.death_date > p_as_of),
       recs AS (
         SELECT r.id::text AS id, r.person_id, r.source, r.record_key, r.department, r.name_mismatch, r.data,
                r.valid_from, r.seen_as_of, r.import_id
           FROM source_record r
          WHERE r.person_id = ANY (ARRAY(SELECT id FROM covered)) AND r.valid_from <= p_as_of::date
            AND (r.valid_to IS NULL OR r.valid_to > p_as_of::date)),
       -- Each import once (a report cites a few imports, not one per record: the row-level
       -- security check on source_import is a function call per row read).
       imports AS (
         SELECT i.id, i.file_name, i.via, i.started_at FROM source_import i
          WHERE i.id = ANY (ARRAY(SELECT DISTINCT import_id FROM recs)))
       SELECT (SELECT json_agg(covered) FROM covered) AS persons,
              (SELECT json_agg(x ORDER BY x.person_id, x.source, x.valid_from DESC, x.record_key)
                 FROM (SELECT recs.*, i.file_name, i.via, i.started_at AS imported_at
                         FROM recs LEFT JOIN imports i ON i.id = recs.import_id) x) AS records,
              (SELECT json_agg(l) FROM verification_sources_loaded(p_as_of::date, p_village) l) AS loaded,
              (SELECT count(*)::int FROM links l WHERE NOT EXISTS (SELECT 1 FROM person p WHERE p.id = l.person_id)) AS hidden;
END
$fn$;
