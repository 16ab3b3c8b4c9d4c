-- Home visit on a phone (入户调查, issue 6 item 6): what two investigators found at the household,
-- when and where, with photos. One visit per case and step round (a retried save finds it instead of
-- adding one); the first investigator records it, the second, a different staff account named by the
-- first, confirms it on their own login. Confirming records the step's visit document on the case.
--
-- Photos are stored in the database (bytea), not the data folder: they are personal data of the
-- household, so the same row-level security, the same backup/restore and the same transaction as the
-- visit apply to them; a county's visits (a few re-encoded JPEGs of ≤ 2048 px, ~300 KB each) stay small
-- enough for that. Each photo is re-encoded on upload, which drops every metadata block (EXIF location
-- included): the visit's own location is captured separately, with the user's consent.

CREATE TABLE intake_home_visit (
  id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id                   uuid NOT NULL REFERENCES intake_case (id),
  step                      text NOT NULL,
  step_round                integer NOT NULL,
  household_id              uuid NOT NULL REFERENCES household (id),
  region_code               text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  status                    text NOT NULL DEFAULT 'awaitingConfirmation'
                              CHECK (status IN ('awaitingConfirmation', 'confirmed')),
  visited_at                timestamptz NOT NULL,
  -- Where: the phone's position (with the user's consent) or an address typed by hand.
  location_source           text NOT NULL CHECK (location_source IN ('device', 'manual')),
  latitude                  double precision CHECK (latitude BETWEEN -90 AND 90),
  longitude                 double precision CHECK (longitude BETWEEN -180 AND 180),
  accuracy_m                double precision CHECK (accuracy_m >= 0),
  address                   text CHECK (address IS NULL OR char_length(address) <= 200),
  first_investigator_id     text NOT NULL,
  first_investigator_name   text NOT NULL,
  second_investigator_id    text NOT NULL,
  second_investigator_name  text NOT NULL,
  confirmed_at              timestamptz,
  -- Figures found, under the catalogue's fact names (money in fen), and living conditions.
  figures                   jsonb NOT NULL CHECK (jsonb_typeof(figures) = 'object' AND length(figures::text) <= 4096),
  living                    jsonb NOT NULL CHECK (jsonb_typeof(living) = 'object' AND length(living::text) <= 4096),
  note                      text CHECK (note IS NULL OR char_length(note) <= 1000),
  -- SHA-256 of the saved body: an identical retry is answered with the row, not written again.
  request_hash              text NOT NULL,
  version                   integer NOT NULL DEFAULT 1,
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now(),
  UNIQUE (case_id, step_round),
  CHECK (first_investigator_id <> second_investigator_id),
  CHECK ((status = 'confirmed') = (confirmed_at IS NOT NULL)),
  CHECK (location_source <> 'device' OR (latitude IS NOT NULL AND longitude IS NOT NULL)),
  CHECK (location_source <> 'manual' OR address IS NOT NULL)
);
CREATE INDEX intake_home_visit_second_idx ON intake_home_visit (second_investigator_id, status);

CREATE TABLE intake_home_visit_photo (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  visit_id      uuid NOT NULL REFERENCES intake_home_visit (id),
  region_code   text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  -- SHA-256 of the uploaded bytes: the same photo sent twice (a retry) is kept once.
  sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  content_type  text NOT NULL CHECK (content_type = 'image/jpeg'),
  bytes         bytea NOT NULL CHECK (octet_length(bytes) <= 4194304),
  width         integer NOT NULL CHECK (width BETWEEN 1 AND 4096),
  height        integer NOT NULL CHECK (height BETWEEN 1 AND 4096),
  caption       text CHECK (caption IS NULL OR char_length(caption) <= 100),
  uploaded_by   text NOT NULL DEFAULT doudi_actor_id(),
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (visit_id, sha256)
);
CREATE INDEX intake_home_visit_photo_visit_idx ON intake_home_visit_photo (visit_id, created_at);

ALTER TABLE intake_home_visit ENABLE ROW LEVEL SECURITY;
CREATE POLICY intake_home_visit_scope ON intake_home_visit
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()))
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT, UPDATE ON intake_home_visit TO doudi_app;

ALTER TABLE intake_home_visit_photo ENABLE ROW LEVEL SECURITY;
CREATE POLICY intake_home_visit_photo_scope ON intake_home_visit_photo
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()))
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT ON intake_home_visit_photo TO doudi_app;
