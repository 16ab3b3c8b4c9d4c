-- Correcting a service record (送达记录更正): a record entered wrongly (date, method, recipient) is
-- corrected by a new record that names the one it replaces and the written reason. Rows stay
-- immutable (030's triggers): the old record is kept and read as superseded, because the appeal
-- deadlines once shown to the household were counted from it and the file must show why they moved.
--
-- The current record of a document is the one no other record corrects. One correction per record
-- (UNIQUE corrects), so two officers correcting the same record at once give one winner and the
-- history is a single chain; the composite key keeps a correction on the same document.
ALTER TABLE document_service ADD COLUMN corrects uuid UNIQUE;
ALTER TABLE document_service ADD COLUMN correction_reason text
  CHECK (correction_reason IS NULL OR char_length(correction_reason) BETWEEN 2 AND 500);
ALTER TABLE document_service ADD CONSTRAINT document_service_correction_check
  CHECK ((corrects IS NULL) = (correction_reason IS NULL) AND (corrects IS NULL OR corrects <> id));
ALTER TABLE document_service ADD CONSTRAINT document_service_id_document_key UNIQUE (id, document_id);
ALTER TABLE document_service ADD CONSTRAINT document_service_corrects_fkey
  FOREIGN KEY (corrects, document_id) REFERENCES document_service (id, document_id);

-- One original record per document, as before; corrections are the chain after it.
ALTER TABLE document_service DROP CONSTRAINT document_service_document_id_key;
CREATE UNIQUE INDEX document_service_original_idx ON document_service (document_id) WHERE corrects IS NULL;
CREATE INDEX document_service_document_idx ON document_service (document_id);
