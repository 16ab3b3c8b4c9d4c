-- A full run no longer rewrites the scoring of a household whose result it finds unchanged (issue 7:
-- at 1,000,000 households every monthly run rewrote every row, 9–11 s of statement time, because
-- the row names the run, and the run holds the date).
--
-- Instead a completed full run vouches for every scoring of its region written before it began
-- comparing (`scoring_from`): it compared each, and left only those equal to its own result. An
-- incremental run then takes, per household, the basis (catalogue, trigger file, date) of the last
-- completed full run of a region containing it that began comparing after the row was written
-- (`scored_at`), else of the row's own run (monitoring.scoring.ts).
--
-- Every scoring write takes a shared advisory lock in its transaction, and a full run sets
-- `scoring_from` holding the exclusive one: a write still in progress then is committed before the
-- full run compares anything, and any later write carries a later `scored_at`.
--
-- Rows written before this migration get its time: no earlier full run vouches for them (their own
-- run's basis is used, as before).
ALTER TABLE monitoring_scoring ADD COLUMN scored_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE monitoring_run ADD COLUMN scoring_from timestamptz;
