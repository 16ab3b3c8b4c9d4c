-- Departmental import at scale (issue 5): a newer snapshot that repeats a record unchanged moves only
-- its seen_as_of (not indexed). PostgreSQL can do that in place (a HOT update: no index touched) only
-- when the record's page has room for a second copy of the row; at fillfactor 80 (migration 013) a
-- page had room for about a fifth of its rows, so most repeats wrote every index again (18 µs
-- a row instead of a few). At 50 every row of a page can be re-seen once, and the copies a snapshot
-- leaves behind are pruned from the page before the next one needs the room. The price is a heap
-- twice as large (indexes unchanged). Applies to pages written from now on.
ALTER TABLE source_record SET (fillfactor = 50);
