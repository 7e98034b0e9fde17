-- Base tables: what the pipeline stores. Loaded by UpsertPostings, SyncSkills,
-- SaveExtractions, RecordCrawlRun and PutState.

CREATE TABLE postings (
    posting_id       BIGINT PRIMARY KEY,
    source           VARCHAR NOT NULL,
    source_id        VARCHAR NOT NULL,
    url              VARCHAR,
    canonical_url    VARCHAR,
    title            VARCHAR,
    company          VARCHAR,
    location         VARCHAR,
    work_mode        VARCHAR,
    employment_type  VARCHAR,
    salary_min       DOUBLE,
    salary_max       DOUBLE,
    salary_currency  VARCHAR,
    salary_period    VARCHAR,
    posted_at        TIMESTAMP,
    first_seen       TIMESTAMP NOT NULL,
    last_seen        TIMESTAMP NOT NULL,
    description      VARCHAR,
    raw_html         VARCHAR,
    content_hash     UBIGINT NOT NULL,
    fingerprint      UBIGINT NOT NULL,
    duplicate_of     BIGINT,
    duplicate_reason VARCHAR,
    updated_at       TIMESTAMP NOT NULL
);

CREATE TABLE skills (
    skill_id         VARCHAR PRIMARY KEY,
    name             VARCHAR NOT NULL,
    category         VARCHAR NOT NULL,
    taxonomy_version VARCHAR NOT NULL,
    active           BOOLEAN NOT NULL
);

-- No key on purpose: rows arrive through the Appender at millions per second,
-- and SaveExtractions deletes a posting's old rows before appending new ones.
CREATE TABLE posting_skills (
    posting_id       BIGINT NOT NULL,
    skill_id         VARCHAR NOT NULL,
    required         BOOLEAN NOT NULL,
    taxonomy_version VARCHAR NOT NULL,
    matches          INTEGER NOT NULL
);

CREATE TABLE extractions (
    posting_id       BIGINT PRIMARY KEY,
    taxonomy_version VARCHAR NOT NULL,
    role             VARCHAR NOT NULL,
    seniority        VARCHAR NOT NULL,
    work_mode        VARCHAR NOT NULL,
    salary_min       DOUBLE,
    salary_max       DOUBLE,
    salary_currency  VARCHAR,
    extracted_at     TIMESTAMP NOT NULL
);

CREATE SEQUENCE crawl_run_ids;

CREATE TABLE crawl_runs (
    run_id   BIGINT PRIMARY KEY DEFAULT nextval('crawl_run_ids'),
    source   VARCHAR NOT NULL,
    started  TIMESTAMP NOT NULL,
    finished TIMESTAMP NOT NULL,
    pages    INTEGER NOT NULL,
    new      INTEGER NOT NULL,
    updated  INTEGER NOT NULL,
    errors   INTEGER NOT NULL,
    error    VARCHAR
);

CREATE TABLE crawl_state (
    key        VARCHAR PRIMARY KEY,
    value      VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Bookkeeping of the aggregation step: 'dirty' is set by every load that
-- changes what the views show, 'postings_dirty' by loads that change
-- postings (so duplicates must be detected again); Aggregate clears both.
CREATE TABLE analytics_state (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
INSERT INTO analytics_state VALUES ('dirty', 'true'), ('postings_dirty', 'true');

COMMENT ON TABLE postings IS 'One row per job posting as collected from a source; key posting_id.';
COMMENT ON COLUMN postings.posting_id IS 'Primary key: 63-bit FNV-1a hash of source, a NUL byte and source_id.';
COMMENT ON COLUMN postings.source IS 'Name of the configured source, e.g. hn.';
COMMENT ON COLUMN postings.source_id IS 'The source''s own id for the posting.';
COMMENT ON COLUMN postings.url IS 'Posting URL as found.';
COMMENT ON COLUMN postings.canonical_url IS 'URL with https scheme, lower-case host without www., no fragment, tracking parameters or trailing slash; used to detect duplicates.';
COMMENT ON COLUMN postings.title IS 'Job title as stated.';
COMMENT ON COLUMN postings.company IS 'Hiring company as stated.';
COMMENT ON COLUMN postings.location IS 'Location as stated.';
COMMENT ON COLUMN postings.work_mode IS 'remote, hybrid, onsite or unknown as stated by the source (the extractor''s value is in extractions).';
COMMENT ON COLUMN postings.employment_type IS 'Employment type as stated, e.g. FULL_TIME.';
COMMENT ON COLUMN postings.salary_min IS 'Lower salary bound as stated, in salary_period units; NULL when absent.';
COMMENT ON COLUMN postings.salary_max IS 'Upper salary bound as stated, in salary_period units; NULL when absent.';
COMMENT ON COLUMN postings.salary_currency IS 'ISO 4217 currency of the stated salary.';
COMMENT ON COLUMN postings.salary_period IS 'hour, day, week, month or year.';
COMMENT ON COLUMN postings.posted_at IS 'Date posted (UTC); NULL when the source gives none.';
COMMENT ON COLUMN postings.first_seen IS 'Earliest time a crawl saw the posting.';
COMMENT ON COLUMN postings.last_seen IS 'Latest time a crawl saw the posting.';
COMMENT ON COLUMN postings.description IS 'Clean text of the posting.';
COMMENT ON COLUMN postings.raw_html IS 'HTML as fetched, so re-tagging never needs a re-crawl.';
COMMENT ON COLUMN postings.content_hash IS 'Hash of the content fields; tells an updated posting from an unchanged one.';
COMMENT ON COLUMN postings.fingerprint IS '64-bit SimHash of the normalised description (word 3-shingles), compared within one normalised company; 0 when shorter than 8 words.';
COMMENT ON COLUMN postings.duplicate_of IS 'posting_id of the earlier posting this one duplicates; NULL for a distinct job.';
COMMENT ON COLUMN postings.duplicate_reason IS 'url or text when duplicate_of is set.';
COMMENT ON COLUMN postings.updated_at IS 'Last time the stored content changed.';

COMMENT ON TABLE skills IS 'The skill taxonomy.';
COMMENT ON COLUMN skills.skill_id IS 'Taxonomy id, e.g. go or postgresql.';
COMMENT ON COLUMN skills.name IS 'Display name, e.g. Go.';
COMMENT ON COLUMN skills.category IS 'language, framework, database, api, cloud, devops, messaging, vcs, security, practice or soft.';
COMMENT ON COLUMN skills.taxonomy_version IS 'Latest taxonomy version that contained the skill.';
COMMENT ON COLUMN skills.active IS 'True when the skill is in the latest synced taxonomy; the views list active skills.';

COMMENT ON TABLE posting_skills IS 'One row per posting and skill it mentions, from the posting''s latest extraction.';
COMMENT ON COLUMN posting_skills.posting_id IS 'The posting (postings.posting_id).';
COMMENT ON COLUMN posting_skills.skill_id IS 'The skill (skills.skill_id).';
COMMENT ON COLUMN posting_skills.required IS 'False when the skill is only named as nice-to-have.';
COMMENT ON COLUMN posting_skills.taxonomy_version IS 'Taxonomy version the posting was tagged with.';
COMMENT ON COLUMN posting_skills.matches IS 'Number of places in the text that matched the skill.';

COMMENT ON TABLE extractions IS 'One row per tagged posting: what the extractor learned besides tags.';
COMMENT ON COLUMN extractions.posting_id IS 'The posting (postings.posting_id).';
COMMENT ON COLUMN extractions.taxonomy_version IS 'Taxonomy version the posting was tagged with.';
COMMENT ON COLUMN extractions.role IS 'backend, frontend, fullstack, devops, data, ml, mobile or other.';
COMMENT ON COLUMN extractions.seniority IS 'intern, junior, mid, senior, staff+, lead or unknown.';
COMMENT ON COLUMN extractions.work_mode IS 'remote, hybrid, onsite or unknown.';
COMMENT ON COLUMN extractions.salary_min IS 'Annual salary lower bound; NULL when none was found.';
COMMENT ON COLUMN extractions.salary_max IS 'Annual salary upper bound; NULL when none was found.';
COMMENT ON COLUMN extractions.salary_currency IS 'ISO 4217 currency of the salary.';
COMMENT ON COLUMN extractions.extracted_at IS 'When the extraction was stored.';

COMMENT ON TABLE crawl_runs IS 'One row per source per crawl run.';
COMMENT ON COLUMN crawl_runs.run_id IS 'Increasing id of the row.';
COMMENT ON COLUMN crawl_runs.source IS 'Name of the configured source.';
COMMENT ON COLUMN crawl_runs.started IS 'When the crawl of the source started.';
COMMENT ON COLUMN crawl_runs.finished IS 'When it finished.';
COMMENT ON COLUMN crawl_runs.pages IS 'Pages fetched.';
COMMENT ON COLUMN crawl_runs.new IS 'Postings seen for the first time.';
COMMENT ON COLUMN crawl_runs.updated IS 'Known postings whose content changed.';
COMMENT ON COLUMN crawl_runs.errors IS 'Failed requests or unparsable items.';
COMMENT ON COLUMN crawl_runs.error IS 'Why the source failed; NULL when it did not.';

COMMENT ON TABLE crawl_state IS 'The crawler''s incremental state, e.g. the last thread seen per source.';
COMMENT ON COLUMN crawl_state.key IS 'State key, chosen by the crawler.';
COMMENT ON COLUMN crawl_state.value IS 'State value.';
COMMENT ON COLUMN crawl_state.updated_at IS 'When the value was last written.';

COMMENT ON TABLE analytics_state IS 'Bookkeeping of the aggregation step (internal).';
COMMENT ON COLUMN analytics_state.key IS 'State key.';
COMMENT ON COLUMN analytics_state.value IS 'State value.';

COMMENT ON TABLE schema_migrations IS 'Applied schema versions; the file is at the highest version.';
COMMENT ON COLUMN schema_migrations.version IS 'Migration number.';
COMMENT ON COLUMN schema_migrations.name IS 'Migration name.';
COMMENT ON COLUMN schema_migrations.applied_at IS 'When it was applied.';
