-- The alert loop 点单 → 派单 → 接单 (issue 7, item 4) on the tables of migration 011: who raised a
-- request and with which key (a retried request never duplicates), which region level is
-- responsible now (village → township → county as an unaccepted alert is escalated), who accepted,
-- and what was done and reported back. The history itself stays in monitoring_alert_event.

ALTER TABLE monitoring_alert
  -- 点单: the need a request names (income, medical, …): it picks the dispatch rule.
  ADD COLUMN request_category text CHECK (request_category IS NULL OR request_category ~ '^[a-z][A-Za-z0-9]{0,39}$'),
  ADD COLUMN request_text     text CHECK (request_text IS NULL OR char_length(request_text) <= 1000),
  ADD COLUMN raised_by        text,
  ADD COLUMN raised_by_name   text,
  ADD COLUMN request_key      text CHECK (request_key IS NULL OR request_key ~ '^[A-Za-z0-9._:-]{8,100}$'),
  -- The dispatch rule that routed the alert, and the region whose staff must accept it now.
  ADD COLUMN dispatch_rule    text,
  ADD COLUMN responsible_region_code text CHECK (responsible_region_code IS NULL OR responsible_region_code ~ '^[0-9]{12}$'),
  ADD COLUMN dispatched_on    date,
  ADD COLUMN accepted_by      text,
  ADD COLUMN accepted_by_name text,
  ADD COLUMN accepted_on      date,
  ADD COLUMN referral_department text,
  ADD COLUMN handling_note    text CHECK (handling_note IS NULL OR char_length(handling_note) <= 1000),
  ADD COLUMN feedback         text CHECK (feedback IS NULL OR char_length(feedback) <= 2000);

-- A retried request (same user, same Idempotency-Key) finds the first alert.
CREATE UNIQUE INDEX monitoring_alert_request_key_idx ON monitoring_alert (raised_by, request_key)
  WHERE request_key IS NOT NULL;
-- The escalation job walks dispatched alerts past their accept date; the dashboard counts by month.
CREATE INDEX monitoring_alert_raised_month_idx ON monitoring_alert (region_code, first_raised_at);
