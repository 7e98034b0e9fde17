-- How many postings each crawl of a source found unchanged behind a
-- 304 Not Modified answer (their last_seen moved, nothing else). Runs
-- recorded before this migration count 0.

ALTER TABLE crawl_runs ADD COLUMN seen INTEGER DEFAULT 0;

COMMENT ON COLUMN crawl_runs.seen IS 'Postings of documents that answered 304 Not Modified: seen again, unchanged (their last_seen moved).';
