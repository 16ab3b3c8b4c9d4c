-- Service of statutory documents (送达, issue 6 item 8): a document takes effect on the household, and
-- the time for an appeal (行政复议 60 days, 行政诉讼 6 months) runs, from the day it is served, so the
-- service is recorded, once per document, with the method, date, who received it and — for 留置送达
-- (left at the address when refused) — the witness and the reason given for refusing.
--
-- 1. The receipt (送达回执) is itself a numbered document: its own series per county and year (type
--    word 送), printed on demand for the caseworker to take along, or issued when the service is
--    recorded. It names the document it serves in served_document_id (one receipt per document).
ALTER TABLE statutory_document DROP CONSTRAINT statutory_document_kind_check;
ALTER TABLE statutory_document ADD CONSTRAINT statutory_document_kind_check CHECK (kind IN ('acceptance',
  'intakeRefusal', 'confirmation', 'refusal', 'termination', 'serviceReceipt'));
ALTER TABLE statutory_document ADD COLUMN served_document_id uuid UNIQUE REFERENCES statutory_document (id);
ALTER TABLE statutory_document ADD CONSTRAINT statutory_document_receipt_check
  CHECK ((kind = 'serviceReceipt') = (served_document_id IS NOT NULL));

-- 2. The service record. Never updated or deleted (a wrong record is a matter for the file, not an
--    edit); one per document (UNIQUE), and one per caseworker and Idempotency-Key, so a retried
--    request finds the first.
CREATE TABLE document_service (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  document_id        uuid NOT NULL UNIQUE REFERENCES statutory_document (id),
  household_id       uuid NOT NULL REFERENCES household (id),
  region_code        text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  method             text NOT NULL CHECK (method IN ('direct', 'leftAtAddress', 'post', 'electronic')),
  served_on          date NOT NULL,
  recipient_name     text NOT NULL CHECK (char_length(recipient_name) BETWEEN 1 AND 50),
  -- self: the addressee; adultFamilyMember: an adult living with them signed (代收); agent: their agent.
  recipient_relation text NOT NULL CHECK (recipient_relation IN ('self', 'adultFamilyMember', 'agent')),
  witness_name       text CHECK (witness_name IS NULL OR char_length(witness_name) BETWEEN 1 AND 50),
  refusal_reason     text CHECK (refusal_reason IS NULL OR char_length(refusal_reason) BETWEEN 1 AND 200),
  tracking_number    text CHECK (tracking_number IS NULL OR tracking_number ~ '^[A-Za-z0-9]{6,40}$'),
  server_name        text NOT NULL CHECK (char_length(server_name) BETWEEN 1 AND 50),
  note               text CHECK (note IS NULL OR char_length(note) <= 500),
  idempotency_key    text NOT NULL CHECK (idempotency_key ~ '^[A-Za-z0-9._:-]{8,100}$'),
  recorded_by        text NOT NULL DEFAULT coalesce(doudi_actor_id(), 'system'),
  recorded_by_name   text NOT NULL,
  recorded_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (recorded_by, idempotency_key),
  CHECK (method <> 'leftAtAddress' OR (witness_name IS NOT NULL AND refusal_reason IS NOT NULL))
);
CREATE INDEX document_service_household_idx ON document_service (household_id);

CREATE TRIGGER document_service_no_update BEFORE UPDATE OR DELETE ON document_service
  FOR EACH ROW EXECUTE FUNCTION decision_record_immutable();
CREATE TRIGGER document_service_no_truncate BEFORE TRUNCATE ON document_service
  FOR EACH STATEMENT EXECUTE FUNCTION decision_record_immutable();

ALTER TABLE document_service ENABLE ROW LEVEL SECURITY;
CREATE POLICY document_service_scope ON document_service
  USING (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()))
  WITH CHECK (region_code BETWEEN (SELECT doudi_scope_low()) AND (SELECT doudi_scope_high()));
GRANT SELECT, INSERT ON document_service TO doudi_app;
