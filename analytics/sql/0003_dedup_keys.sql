-- Fixed-width keys for duplicate detection, computed when a posting is
-- stored, so that detecting duplicates reads six numbers per posting instead
-- of its URL, title and company. Rows stored before this migration get their
-- keys on the next aggregation.

ALTER TABLE postings ADD COLUMN url_key UBIGINT;
ALTER TABLE postings ADD COLUMN company_key UBIGINT;

COMMENT ON COLUMN postings.url_key IS 'xxHash64 of canonical_url, a NUL byte and the normalised title (lower-case words joined by spaces); NULL without a canonical URL. Equal keys within 90 days mark a "url" duplicate.';
COMMENT ON COLUMN postings.company_key IS 'xxHash64 of the normalised company name (lower-case words without a legal-form suffix such as Inc or GmbH); near-duplicate texts are compared only within one company_key.';
