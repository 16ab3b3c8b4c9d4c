-- Storing a screening run's results, continued (issue 4; see 022). The foreign key from
-- screening_result to screening_run ran its check for every inserted row (a SELECT … FOR KEY SHARE
-- of the same run row, 4,000 times per batch): ≈10–13 µs of backend CPU per row, more than a third
-- of what storing a row costs, for one fact that holds for the whole batch. storeBatch now checks it
-- once per batch instead: in the same transaction as the insert it moves the run's cursor with an
-- UPDATE … RETURNING, and a batch whose run is not there is rolled back with an error. Runs are
-- never deleted (no code path does, and a run's results are its record), so no row can lose its run
-- afterwards either.
ALTER TABLE screening_result DROP CONSTRAINT screening_result_run_id_fkey;
