-- Departmental import at scale (issue 5): what PostgreSQL spends per record inserted.
--
-- Source and record number compare byte by byte. The database's collation (C.UTF-8 on Debian)
-- orders text by code point, the same order as "C", but PostgreSQL does not know that and
-- compares through strcoll: in the open-record index, the person index and every lookup by record
-- number, that was ~4% of the database's time on a first import (perf, 1,000,000 rows). Under
-- "C" the comparison is memcmp. The order of these keys does not change; the indexes on them are
-- rebuilt by the ALTER (no table rewrite): 1.2 s for 200,000 records, so about a minute for a
-- county with 10,000,000, once.
ALTER TABLE source_record
  ALTER COLUMN source TYPE text COLLATE "C",
  ALTER COLUMN record_key TYPE text COLLATE "C";

-- The region code's CHECK ran a regular expression on every row inserted (1.5% of the same
-- profile). The same rule, twelve digits, without the regex engine.
ALTER TABLE source_record DROP CONSTRAINT IF EXISTS source_record_region_code_check;
ALTER TABLE source_record ADD CONSTRAINT source_record_region_code_check
  CHECK (octet_length(region_code) = 12 AND btrim(region_code, '0123456789') = '');
