-- Delegated verification leftovers (issue 5 item 7): the authorisation scan can be downloaded, a
-- result is purged some days after it expires, and an estate refusal carries a code so that the
-- English page can say it too.
--
-- Purge: the frozen result is personal data kept for a purpose; once it has expired and the
-- retention period (catalog/parameters/delegatedResultRetentionDays.yaml) has passed, the daily
-- job clears it. The request, the decision and the access log stay: the file still shows who asked,
-- why, who decided and who read it, and that the result was purged on which day.
ALTER TABLE delegated_request ADD COLUMN result_purged_on date;
ALTER TABLE delegated_request DROP CONSTRAINT delegated_request_check;
ALTER TABLE delegated_request ADD CONSTRAINT delegated_request_completed_check CHECK (
  status <> 'completed'
  OR (as_of IS NOT NULL AND expires_on IS NOT NULL AND (result IS NOT NULL OR result_purged_on IS NOT NULL)));
ALTER TABLE delegated_request ADD CONSTRAINT delegated_request_purged_check CHECK (
  result_purged_on IS NULL OR (status = 'completed' AND result IS NULL));
-- The job looks for results still held past their expiry.
CREATE INDEX delegated_request_held_idx ON delegated_request (expires_on) WHERE result IS NOT NULL;

-- download: the authorisation scan was downloaded; purge: the result was cleared by the job.
ALTER TABLE delegated_access DROP CONSTRAINT delegated_access_action_check;
ALTER TABLE delegated_access ADD CONSTRAINT delegated_access_action_check
  CHECK (action IN ('view', 'print', 'complete', 'refuse', 'issue', 'download', 'purge'));

-- Why an estate inquiry was refused, as a code (the Chinese reason stays in refusal_reason).
ALTER TABLE estate_inquiry ADD COLUMN refusal_code text
  CHECK (refusal_code IS NULL OR refusal_code IN ('noDeathRecord', 'administratorDocument', 'kinshipNotRecorded'));
