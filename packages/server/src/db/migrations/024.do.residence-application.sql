-- Apply where you live (居住地申办, issue 6 item 1; DOMAIN.md "Dibao procedure" 1): where the region
-- allows it (parameter residenceApplication), a resident-permit holder applies at the township where
-- they live; that township receives and handles the application and its cases, although the household
-- is registered (hukou) in another township that the caseworker's scope does not cover.
--
-- Row-level security stays the only gate. Rather than widen household/person visibility to "every
-- household with a member living here", the residence township may read exactly the households
-- registered outside its scope that have a residence application in its scope, and nothing more:
-- read-only (no UPDATE/INSERT through these policies; the registry stays the hukou township's). The
-- hukou township sees the state of such cases through intake_residence_cases(), not through the case
-- tables, so they never appear on its workbench as work it could act on.
--
-- Why a second role: an OR in the household policy costs every list its ordered index scan (a page
-- of a township's households became a bitmap scan of all of them plus a sort: 20 rows in 0.1 ms
-- became 10,000 rows in 100 ms at 200,000 households). So the extra policies are attached to the
-- role doudi_app_residence only, which src/db/scope.ts takes instead of doudi_app for the few
-- sessions whose scope holds such an application; everyone else keeps the plain plans.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'doudi_app_residence') THEN
    CREATE ROLE doudi_app_residence NOLOGIN;
  END IF;
EXCEPTION
  WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;
GRANT doudi_app TO doudi_app_residence;

ALTER TABLE intake_application
  ADD COLUMN residence jsonb CHECK (residence IS NULL OR (jsonb_typeof(residence) = 'object'
    AND length(residence::text) <= 1000));
COMMENT ON COLUMN intake_application.residence IS
  'Apply where you live: {permitNumber, hukouRegionCode}; region_code is then the residence village';
CREATE INDEX intake_application_residence_idx ON intake_application (region_code, household_id)
  WHERE residence IS NOT NULL;

-- Households with a residence application in the caller's scope. An array, so that the policies below
-- stay indexable (id = ANY((SELECT ...)::uuid[]): the cast keeps the array form of ANY, and the
-- sub-select makes it an init plan evaluated once per statement) instead of calling a
-- function for every household row.
CREATE FUNCTION intake_residence_households() RETURNS uuid[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT coalesce(array_agg(DISTINCT a.household_id), '{}')
    FROM intake_application a
    JOIN household h ON h.id = a.household_id
   WHERE a.residence IS NOT NULL
     AND a.region_code BETWEEN doudi_scope_low() AND doudi_scope_high()
     AND NOT h.region_code BETWEEN doudi_scope_low() AND doudi_scope_high()
$$;
REVOKE ALL ON FUNCTION intake_residence_households() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION intake_residence_households() TO doudi_app;

-- scope.ts asks this in the same statement that sets the scope (no extra round trip per transaction),
-- so it takes the scope as an argument instead of reading the setting being set.
CREATE FUNCTION intake_residence_session(scope text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  WITH bounds AS (
    SELECT CASE WHEN scope = 'all' THEN '000000000000'
                WHEN scope ~ '^[0-9]{2,12}$' THEN rpad(scope, 12, '0') ELSE '~' END AS low,
           CASE WHEN scope = 'all' THEN '999999999999'
                WHEN scope ~ '^[0-9]{2,12}$' THEN rpad(scope, 12, '9') ELSE '' END AS high)
  SELECT EXISTS (
    SELECT 1 FROM bounds b, intake_application a JOIN household h ON h.id = a.household_id
     WHERE a.residence IS NOT NULL
       AND a.region_code BETWEEN b.low AND b.high
       AND NOT h.region_code BETWEEN b.low AND b.high)
$$;
REVOKE ALL ON FUNCTION intake_residence_session(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION intake_residence_session(text) TO doudi_app;

CREATE POLICY household_residence_read ON household FOR SELECT TO doudi_app_residence
  USING (id = ANY ((SELECT intake_residence_households())::uuid[]));
CREATE POLICY person_residence_read ON person FOR SELECT TO doudi_app_residence
  USING (household_id = ANY ((SELECT intake_residence_households())::uuid[]));
CREATE POLICY household_category_residence_read ON household_category FOR SELECT TO doudi_app_residence
  USING (household_id = ANY ((SELECT intake_residence_households())::uuid[]));

-- The hukou township's view of its households' residence cases: state only, no personal data beyond
-- what it already holds, and only for households in its own scope.
CREATE FUNCTION intake_residence_cases(h uuid)
RETURNS TABLE (case_id uuid, policy_id text, status text, current_step text, region_code text,
               region_name text, received_on date, case_due_on date, closed_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT c.id, c.policy_id, c.status, c.current_step, c.region_code, r.name, c.received_on,
         c.case_due_on, c.closed_at
    FROM household hh
    JOIN intake_application a ON a.household_id = hh.id AND a.residence IS NOT NULL
    JOIN intake_case c ON c.application_id = a.id
    LEFT JOIN region r ON r.code = c.region_code
   WHERE hh.id = h
     AND hh.region_code BETWEEN doudi_scope_low() AND doudi_scope_high()
   ORDER BY c.received_on DESC, c.item_no
$$;
REVOKE ALL ON FUNCTION intake_residence_cases(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION intake_residence_cases(uuid) TO doudi_app;

-- Where a household is registered, whatever the caller's scope: the residence township submits for a
-- household it cannot read yet. Takes an unguessable id, returns a region code only.
CREATE FUNCTION intake_household_region(h uuid) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT region_code FROM household WHERE id = h
$$;
REVOKE ALL ON FUNCTION intake_household_region(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION intake_household_region(uuid) TO doudi_app;

-- Close relatives of assistance staff or village committee members (近亲属备案, DOMAIN.md "Dibao
-- procedure" 1): declared at intake, kept on the application; each case of it carries the flag
-- staffRelative, so the county's 备案 list is the case list filtered by that flag.
ALTER TABLE intake_application
  ADD COLUMN staff_relative jsonb CHECK (staff_relative IS NULL OR (jsonb_typeof(staff_relative) = 'object'
    AND length(staff_relative::text) <= 1000));
CREATE INDEX intake_case_staff_relative_idx ON intake_case (region_code) WHERE 'staffRelative' = ANY (flags);
