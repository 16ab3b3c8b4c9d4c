-- Data governance of departmental data (issue 5, item 8): disputed records reported back to the
-- source department with a status, anomaly checks per import, a per-source threshold for a
-- snapshot that is far smaller than the last one; and room for cheap updates of source_record.

-- An import re-seen unchanged in a newer snapshot only moves seen_as_of (not indexed): with free
-- room on the page PostgreSQL updates it in place (HOT) instead of writing every index again.
-- Applies to pages written from now on.
ALTER TABLE source_record SET (fillfactor = 80);

-- What the anomaly checks found in an import (future dates, negative amounts, duplicate record
-- numbers, a snapshot far smaller than the last one), computed from the committed rows when the
-- import finishes, so a resumed import reports the same as an uninterrupted one.
ALTER TABLE source_import ADD COLUMN anomalies jsonb
  CHECK (anomalies IS NULL OR jsonb_typeof(anomalies) = 'object');

-- A snapshot with fewer rows than this share (percent) of the source's last one is flagged.
ALTER TABLE source_setting ADD COLUMN shrink_alert_percent smallint
  CHECK (shrink_alert_percent IS NULL OR shrink_alert_percent BETWEEN 1 AND 99);

-- A record someone believes wrong (a sold car still listed, a balance that belongs to someone
-- else), with the reason; the owning department answers: corrected (a fixed record follows in
-- its next file) or rejected (the record stands), with its own words. Department and region are
-- the record's, so the dispute is seen where the record is seen (doudi_source_visible).
CREATE TABLE source_dispute (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  record_id   bigint NOT NULL REFERENCES source_record (id),
  source      text NOT NULL,
  record_key  text NOT NULL,
  department  text NOT NULL,
  region_code text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  reason      text NOT NULL CHECK (char_length(reason) BETWEEN 2 AND 500),
  status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'corrected', 'rejected')),
  answer      text CHECK (answer IS NULL OR char_length(answer) BETWEEN 2 AND 500),
  raised_by   text NOT NULL DEFAULT doudi_actor_id(),
  raised_at   timestamptz NOT NULL DEFAULT now(),
  answered_by text,
  answered_at timestamptz,
  CHECK ((status = 'open') = (answer IS NULL))
);
-- One open dispute per record: raising it again returns the open one instead of a second.
CREATE UNIQUE INDEX source_dispute_open_idx ON source_dispute (record_id) WHERE status = 'open';
CREATE INDEX source_dispute_list_idx ON source_dispute (department, status, raised_at DESC);
CREATE INDEX source_dispute_source_idx ON source_dispute (source, status);

GRANT SELECT, INSERT, UPDATE ON source_dispute TO doudi_app;
ALTER TABLE source_dispute ENABLE ROW LEVEL SECURITY;
CREATE POLICY source_dispute_scope ON source_dispute
  USING (doudi_source_visible(region_code, department));
