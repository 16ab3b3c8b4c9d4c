-- Storing a screening run's results at a million households (issue 4). Nearly every household gets
-- a row (≈60% need information for temporary aid), so what each inserted row costs is paid a
-- million times per run:
--
--  * The GIN indexes on eligible and newly covered every run's rows, yet no query used them: the
--    result pages read one run through screening_result_region_idx (run_id, region_code) and sort
--    all its matching rows by amount anyway, and the household timeline reads by household. Each
--    inserted row added its policies to two inverted indexes (and their pending lists, flushed
--    later by autovacuum): 28 → 22 µs of backend CPU per row in a 40,000-row measurement.
--  * The foreign key to household checked every row with SELECT … FOR KEY SHARE, which writes a
--    lock into the household's own row: a full run dirtied every household heap page. The run
--    writes only ids it has just read from household_facts (whose household_id references
--    household), in the same database, and households are never deleted; the key to the run stays.
--    22 → 17 µs per row.
DROP INDEX screening_result_eligible_idx;
DROP INDEX screening_result_newly_idx;
ALTER TABLE screening_result DROP CONSTRAINT screening_result_household_id_fkey;
