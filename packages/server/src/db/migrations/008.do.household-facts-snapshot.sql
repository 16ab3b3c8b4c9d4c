-- Household facts snapshot (issue 4, policy finds people at a million households): one row per
-- household holding everything the facts assembler needs, in a date-independent form, so that a
-- screening run reads one row per household in (village, 户号) order instead of looking up every
-- member through four indexes (person_transfer twice, person, person_attribute), which capped a run
-- at ≈3,000 households/s of PostgreSQL time.
--
-- Date-independent: members are every person with a membership event into the household, each with
-- birth and death dates, sex, the person's whole event list ([moved_on, into this household?,
-- relationship] in (moved_on, seq) order) and every dated attribute ([kind, value, valid_from,
-- valid_to]); categories as [category, valid_from, valid_to]; economic rows as [facts, source, as_of]
-- in the order the assembler prefers them (approved first, newest first). The date is applied when
-- the row is read (src/domains/householdFacts/snapshotFacts.ts), with the same rules as
-- householdFacts.ts, so the snapshot never goes stale when a date passes.
--
-- How it stays right: statement-level triggers (one statement per batch, as registry_summary in 004)
-- mark the households a write touches in household_facts_dirty; a run first rebuilds the dirty
-- households of its region (household_facts_refresh), then reads. Rebuilding is SECURITY DEFINER
-- like the summary triggers: the snapshot is derived data and the refresh returns only a count; the
-- run still reads the snapshot as its starter, under row-level security by the household's village.

CREATE TABLE household_facts (
  household_id     uuid PRIMARY KEY REFERENCES household (id),
  region_code      text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  household_number text NOT NULL,
  urban            boolean NOT NULL,
  -- json, not jsonb: written once, read as text and parsed on a worker thread (no conversion).
  members          json NOT NULL,
  categories       json,
  economy          json,
  refreshed_at     timestamptz NOT NULL DEFAULT now()
);
-- A page's keys come from an index-only scan of one range (as household_region_page_idx in 004):
-- the planner cannot see the row-level-security bounds, and without statistics it sorted the county.
CREATE INDEX household_facts_page_idx ON household_facts (region_code, household_number) INCLUDE (household_id);

CREATE TABLE household_facts_dirty (
  household_id uuid PRIMARY KEY,
  region_code  text NOT NULL
);
CREATE INDEX household_facts_dirty_region_idx ON household_facts_dirty (region_code);

CREATE FUNCTION household_facts_mark(ids uuid[]) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
  INSERT INTO household_facts_dirty (household_id, region_code)
  SELECT h.id, h.region_code FROM household h WHERE h.id = ANY(ids)
  ON CONFLICT (household_id) DO UPDATE SET region_code = excluded.region_code
$$;

-- Every household a person has ever had a membership event into (their event list is in each).
CREATE FUNCTION household_facts_mark_persons(persons uuid[]) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
  SELECT household_facts_mark(array_agg(DISTINCT t.to_household_id))
    FROM person_transfer t WHERE t.person_id = ANY(persons) AND t.to_household_id IS NOT NULL
$$;

CREATE FUNCTION household_facts_touch() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  IF TG_TABLE_NAME = 'household' THEN
    PERFORM household_facts_mark(array_agg(id)) FROM new_rows;
    -- The snapshot row follows its household's village at once: its row-level security uses it.
    UPDATE household_facts f SET region_code = n.region_code FROM new_rows n
     WHERE f.household_id = n.id AND f.region_code <> n.region_code;
  ELSIF TG_TABLE_NAME = 'person' THEN
    PERFORM household_facts_mark_persons(array_agg(id)) FROM new_rows;
  ELSIF TG_TABLE_NAME IN ('person_attribute', 'person_transfer') THEN
    PERFORM household_facts_mark_persons(array_agg(DISTINCT person_id)) FROM new_rows;
  ELSE -- household_category, household_economy
    PERFORM household_facts_mark(array_agg(DISTINCT household_id)) FROM new_rows;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER household_facts_ins AFTER INSERT ON household REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION household_facts_touch();
CREATE TRIGGER household_facts_upd AFTER UPDATE ON household REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION household_facts_touch();
CREATE TRIGGER household_facts_ins AFTER INSERT ON person REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION household_facts_touch();
CREATE TRIGGER household_facts_upd AFTER UPDATE ON person REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION household_facts_touch();
CREATE TRIGGER household_facts_ins AFTER INSERT ON person_attribute REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION household_facts_touch();
CREATE TRIGGER household_facts_upd AFTER UPDATE ON person_attribute REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION household_facts_touch();
CREATE TRIGGER household_facts_ins AFTER INSERT ON person_transfer REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION household_facts_touch();
CREATE TRIGGER household_facts_ins AFTER INSERT ON household_category REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION household_facts_touch();
CREATE TRIGGER household_facts_upd AFTER UPDATE ON household_category REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION household_facts_touch();
CREATE TRIGGER household_facts_ins AFTER INSERT ON household_economy REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION household_facts_touch();
CREATE TRIGGER household_facts_upd AFTER UPDATE ON household_economy REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION household_facts_touch();

-- Rebuilds the rows of the given households from the registry, set-based (hash joins over the
-- batch, not a lookup per member).
CREATE FUNCTION household_facts_build(ids uuid[]) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
  WITH cand AS (
    SELECT DISTINCT t.to_household_id AS hid, t.person_id FROM person_transfer t
     WHERE t.to_household_id = ANY(ids)),
  ev AS (
    SELECT c.hid, c.person_id,
           json_agg(json_build_array(t.moved_on, coalesce(t.to_household_id = c.hid, false), t.relationship_to_head)
                    ORDER BY t.moved_on, t.seq) AS events
      FROM cand c JOIN person_transfer t ON t.person_id = c.person_id
     GROUP BY c.hid, c.person_id),
  attr AS (
    SELECT a.person_id,
           json_agg(json_build_array(a.kind, a.value, a.valid_from, a.valid_to)
                    ORDER BY a.valid_from, a.recorded_at, a.id) AS attrs
      FROM person_attribute a WHERE a.person_id IN (SELECT person_id FROM cand)
     GROUP BY a.person_id),
  mem AS (
    SELECT ev.hid,
           json_agg(json_build_array(p.id, p.birth_date, p.sex, p.death_date, ev.events, coalesce(attr.attrs, '[]'::json))
                    ORDER BY p.id) AS members
      FROM ev JOIN person p ON p.id = ev.person_id LEFT JOIN attr ON attr.person_id = ev.person_id
     GROUP BY ev.hid),
  cat AS (
    SELECT household_id AS hid,
           json_agg(json_build_array(category, valid_from, valid_to) ORDER BY category, valid_from) AS categories
      FROM household_category WHERE household_id = ANY(ids) GROUP BY household_id),
  eco AS (
    SELECT household_id AS hid,
           json_agg(json_build_array(facts, source, as_of)
                    ORDER BY (source = 'approved') DESC, as_of DESC, recorded_at DESC) AS economy
      FROM household_economy WHERE household_id = ANY(ids) GROUP BY household_id)
  INSERT INTO household_facts (household_id, region_code, household_number, urban, members, categories, economy)
  SELECT h.id, h.region_code, h.household_number, h.urban, coalesce(mem.members, '[]'::json), cat.categories, eco.economy
    FROM household h
    LEFT JOIN mem ON mem.hid = h.id LEFT JOIN cat ON cat.hid = h.id LEFT JOIN eco ON eco.hid = h.id
   WHERE h.id = ANY(ids)
  ON CONFLICT (household_id) DO UPDATE SET
    region_code = excluded.region_code, household_number = excluded.household_number, urban = excluded.urban,
    members = excluded.members, categories = excluded.categories, economy = excluded.economy, refreshed_at = now()
$$;

-- Takes up to `lim` dirty households in [low, high] (region order, skipping rows another refresher
-- holds), rebuilds them and returns how many. A write that lands meanwhile marks its household
-- again (its insert waits for this transaction), so nothing is lost. Called in a loop until 0.
CREATE FUNCTION household_facts_refresh(low text, high text, lim integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  taken uuid[];
BEGIN
  WITH picked AS (
    SELECT household_id FROM household_facts_dirty
     WHERE region_code BETWEEN low AND high
     ORDER BY region_code LIMIT lim FOR UPDATE SKIP LOCKED),
  gone AS (
    DELETE FROM household_facts_dirty d USING picked WHERE d.household_id = picked.household_id
    RETURNING d.household_id)
  SELECT array_agg(household_id) INTO taken FROM gone;
  IF taken IS NULL THEN
    RETURN 0;
  END IF;
  PERFORM household_facts_build(taken);
  RETURN cardinality(taken);
END $$;

-- Households already registered are built by the first run that covers them.
INSERT INTO household_facts_dirty (household_id, region_code) SELECT id, region_code FROM household;

REVOKE ALL ON FUNCTION household_facts_mark(uuid[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION household_facts_mark_persons(uuid[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION household_facts_build(uuid[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION household_facts_refresh(text, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION household_facts_refresh(text, text, integer) TO doudi_app;

ALTER TABLE household_facts ENABLE ROW LEVEL SECURITY;
CREATE POLICY household_facts_read ON household_facts FOR SELECT
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT ON household_facts TO doudi_app;
ALTER TABLE household_facts_dirty ENABLE ROW LEVEL SECURITY;
