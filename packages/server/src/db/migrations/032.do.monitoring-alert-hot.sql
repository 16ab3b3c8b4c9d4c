-- Monitoring at scale (issue 7): a full run sees most open alerts again unchanged and then moves only
-- raise_count, last_raised_at, last_run_id and updated_at (none indexed; monitoring.repo.ts
-- upsertAlerts). PostgreSQL does that in place (a HOT update: no index entry, a small WAL record)
-- only when the alert's page has room for a second copy of the row. Alerts are wide (≈1.4 kB, the
-- evidence inline), so a full page held none and every re-raise wrote the row elsewhere and all
-- nine indexes again. At 50 each row of a page can be seen again once, and the copies a run leaves
-- behind are pruned from the page before the next run needs the room. Applies to pages written from
-- now on: a row moved by one non-HOT update lands on such a page, so one run brings the table there.
ALTER TABLE monitoring_alert SET (fillfactor = 50);
