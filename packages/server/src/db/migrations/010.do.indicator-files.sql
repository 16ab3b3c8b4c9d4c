-- Indicator models (catalog/indicators/<id>.yaml, issue 7 item 1) are drafted, checked and published
-- like policy files: drafts and versions may name files under indicators/ too.
ALTER TABLE policy_version DROP CONSTRAINT policy_version_file_check;
ALTER TABLE policy_version ADD CONSTRAINT policy_version_file_check
  CHECK (file ~ '^(parameters|variables|policies|indicators)/[A-Za-z0-9_/.-]{1,200}\.yaml$' AND file !~ '\.\.');
ALTER TABLE policy_draft DROP CONSTRAINT policy_draft_file_check;
ALTER TABLE policy_draft ADD CONSTRAINT policy_draft_file_check
  CHECK (file ~ '^(parameters|variables|policies|indicators)/[A-Za-z0-9_/.-]{1,200}\.yaml$'
         AND file !~ '\.\.' AND file !~ '\.scenarios\.yaml$');
