-- Issue 7 leftovers: handling deadlines with escalation and reminders, and trigger files published
-- as policy versions.

-- 1. Trigger files (triggers/triggers.yaml) are drafted and published like indicator models.
ALTER TABLE policy_version DROP CONSTRAINT policy_version_file_check;
ALTER TABLE policy_version ADD CONSTRAINT policy_version_file_check
  CHECK (file ~ '^(parameters|variables|policies|indicators|triggers)/[A-Za-z0-9_/.-]{1,200}\.yaml$' AND file !~ '\.\.');
ALTER TABLE policy_draft DROP CONSTRAINT policy_draft_file_check;
ALTER TABLE policy_draft ADD CONSTRAINT policy_draft_file_check
  CHECK (file ~ '^(parameters|variables|policies|indicators|triggers)/[A-Za-z0-9_/.-]{1,200}\.yaml$'
         AND file !~ '\.\.' AND file !~ '\.scenarios\.yaml$');

-- 2. The handling clock after 接单: from when it runs (acceptance, or the day of the last escalation),
-- its colour as of the last sweep (green, yellow at 80% of the working days, red once overdue), how
-- many levels up the region tree an overdue handling has been escalated, to which region, and on
-- which day (one escalation per alert per day at most, whatever the job does).
ALTER TABLE monitoring_alert
  ADD COLUMN handle_from_on date,
  ADD COLUMN handle_due_status text CHECK (handle_due_status IS NULL OR handle_due_status IN ('green', 'yellow', 'red')),
  ADD COLUMN handle_escalation_level integer NOT NULL DEFAULT 0,
  ADD COLUMN handle_escalated_to text CHECK (handle_escalated_to IS NULL OR handle_escalated_to ~ '^[0-9]{12}$'),
  ADD COLUMN handle_escalated_on date;
CREATE INDEX monitoring_alert_handle_due_idx ON monitoring_alert (handle_due_on)
  WHERE status IN ('accepted', 'handling');

-- 3. Reminders of the alert loop (escalations, handling due soon or overdue), written by the sweep
-- and delivered by senders (in-app now; SMS or webhook plug in), as intake_outbox does for cases.
-- region_code is the region whose staff are told (the escalated-to township or county, or the
-- alert's responsible region); department is set when a department (the lead) is told instead.
-- One per alert, kind, round (the escalation level, or the due date), audience, region and channel.
CREATE TABLE alert_outbox (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  alert_id     uuid NOT NULL REFERENCES monitoring_alert (id),
  kind         text NOT NULL CHECK (kind IN ('acceptEscalated', 'handleDueSoon', 'handleEscalated')),
  round        text NOT NULL CHECK (char_length(round) <= 20),
  channel      text NOT NULL CHECK (channel IN ('inApp', 'sms', 'webhook')),
  audience     text NOT NULL CHECK (audience IN ('civilAffairs', 'department')),
  department   text,
  region_code  text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  message      text NOT NULL CHECK (char_length(message) <= 1000),
  due_on       date,
  created_at   timestamptz NOT NULL DEFAULT now(),
  sent_at      timestamptz,
  attempts     integer NOT NULL DEFAULT 0,
  last_error   text,
  CHECK ((audience = 'department') = (department IS NOT NULL)),
  UNIQUE (alert_id, kind, round, audience, region_code, channel)
);
CREATE INDEX alert_outbox_pending_idx ON alert_outbox (created_at) WHERE sent_at IS NULL;
CREATE INDEX alert_outbox_region_idx ON alert_outbox (region_code, created_at DESC);

ALTER TABLE alert_outbox ENABLE ROW LEVEL SECURITY;
CREATE POLICY alert_outbox_scope ON alert_outbox
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT ON alert_outbox TO doudi_app;
