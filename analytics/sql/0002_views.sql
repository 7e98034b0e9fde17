-- Derived tables (filled by Aggregate) and the documented views over them.

-- 95% Wilson score interval of x successes in n trials.
CREATE MACRO wilson_low(x, n) AS CASE WHEN n > 0 THEN
    ((x::DOUBLE / n) + 1.959963984540054 ^ 2 / (2 * n)
     - 1.959963984540054 * sqrt((x::DOUBLE / n) * (1 - x::DOUBLE / n) / n + 1.959963984540054 ^ 2 / (4 * n::DOUBLE * n)))
    / (1 + 1.959963984540054 ^ 2 / n) END;
CREATE MACRO wilson_high(x, n) AS CASE WHEN n > 0 THEN
    ((x::DOUBLE / n) + 1.959963984540054 ^ 2 / (2 * n)
     + 1.959963984540054 * sqrt((x::DOUBLE / n) * (1 - x::DOUBLE / n) / n + 1.959963984540054 ^ 2 / (4 * n::DOUBLE * n)))
    / (1 + 1.959963984540054 ^ 2 / n) END;

CREATE TABLE agg_demand_monthly (month DATE, skill_id VARCHAR, role VARCHAR, seniority VARCHAR, work_mode VARCHAR, postings BIGINT);
CREATE TABLE agg_totals_monthly (month DATE, role VARCHAR, seniority VARCHAR, work_mode VARCHAR, total_postings BIGINT);
CREATE TABLE agg_demand_weekly (week DATE, skill_id VARCHAR, role VARCHAR, postings BIGINT);
CREATE TABLE agg_totals_weekly (week DATE, role VARCHAR, total_postings BIGINT);
CREATE TABLE agg_category_monthly (month DATE, category VARCHAR, role VARCHAR, postings BIGINT);
CREATE TABLE agg_skill_totals (skill_id VARCHAR, postings BIGINT, required BIGINT);
CREATE TABLE agg_pairs (skill_a VARCHAR, skill_b VARCHAR, together BIGINT);
CREATE TABLE agg_salary (skill_id VARCHAR, currency VARCHAR, postings BIGINT, p25 DOUBLE, median DOUBLE, p75 DOUBLE);
CREATE TABLE agg_work_mode (skill_id VARCHAR, work_mode VARCHAR, postings BIGINT);
CREATE TABLE agg_examples (skill_id VARCHAR, rank INTEGER, posting_id BIGINT, title VARCHAR, company VARCHAR, url VARCHAR, source VARCHAR, month DATE);
CREATE TABLE agg_reposts (month DATE, postings_seen BIGINT, distinct_jobs BIGINT, folded_by_url BIGINT, folded_by_text BIGINT);
CREATE TABLE agg_trends (
    skill_id VARCHAR, postings_recent BIGINT, total_recent BIGINT, postings_prior BIGINT, total_prior BIGINT,
    postings_year_ago BIGINT, total_year_ago BIGINT, z DOUBLE, p_value DOUBLE, z_year DOUBLE, p_value_year DOUBLE,
    recent_from DATE, recent_to DATE
);

COMMENT ON TABLE agg_demand_monthly IS 'Derived by Aggregate: distinct jobs per month, skill and segment (''all'' = rolled up). Query skill_demand_monthly instead.';
COMMENT ON TABLE agg_totals_monthly IS 'Derived by Aggregate: distinct tagged jobs per month and segment. Query the views instead.';
COMMENT ON TABLE agg_demand_weekly IS 'Derived by Aggregate: distinct jobs per ISO week, skill and role. Query skill_demand_weekly instead.';
COMMENT ON TABLE agg_totals_weekly IS 'Derived by Aggregate: distinct tagged jobs per ISO week and role.';
COMMENT ON TABLE agg_category_monthly IS 'Derived by Aggregate: distinct jobs per month, category and role. Query category_demand_monthly instead.';
COMMENT ON TABLE agg_skill_totals IS 'Derived by Aggregate: distinct jobs per skill, all time. Query skill_requirement instead.';
COMMENT ON TABLE agg_pairs IS 'Derived by Aggregate: pairs of skills seen together. Query skill_pairs instead.';
COMMENT ON TABLE agg_salary IS 'Derived by Aggregate: salary quartiles per skill and currency. Query salary_by_skill instead.';
COMMENT ON TABLE agg_work_mode IS 'Derived by Aggregate: distinct jobs per skill and work mode. Query work_mode_by_skill instead.';
COMMENT ON TABLE agg_examples IS 'Derived by Aggregate: most recent jobs per skill. Query skill_examples instead.';
COMMENT ON TABLE agg_reposts IS 'Derived by Aggregate: duplicates folded per month. Query reposts_monthly instead.';
COMMENT ON TABLE agg_trends IS 'Derived by Aggregate: window counts and test statistics per skill. Query skill_trends instead.';

CREATE VIEW skill_demand_monthly AS
SELECT t.month, s.skill_id, s.name AS skill, s.category, t.role,
       coalesce(d.postings, 0) AS postings, t.total_postings,
       coalesce(d.postings, 0) / t.total_postings AS share,
       wilson_low(coalesce(d.postings, 0), t.total_postings) AS share_low,
       wilson_high(coalesce(d.postings, 0), t.total_postings) AS share_high,
       t.total_postings < 30 AS low_sample
FROM agg_totals_monthly t
CROSS JOIN (SELECT * FROM skills WHERE active) s
LEFT JOIN agg_demand_monthly d
  ON d.month = t.month AND d.skill_id = s.skill_id AND d.role = t.role AND d.seniority = 'all' AND d.work_mode = 'all'
WHERE t.seniority = 'all' AND t.work_mode = 'all';

CREATE VIEW skill_demand_weekly AS
SELECT t.week, s.skill_id, s.name AS skill, s.category, t.role,
       coalesce(d.postings, 0) AS postings, t.total_postings,
       coalesce(d.postings, 0) / t.total_postings AS share,
       wilson_low(coalesce(d.postings, 0), t.total_postings) AS share_low,
       wilson_high(coalesce(d.postings, 0), t.total_postings) AS share_high,
       t.total_postings < 30 AS low_sample
FROM agg_totals_weekly t
CROSS JOIN (SELECT * FROM skills WHERE active) s
LEFT JOIN agg_demand_weekly d ON d.week = t.week AND d.skill_id = s.skill_id AND d.role = t.role;

CREATE VIEW skill_demand_monthly_by_segment AS
SELECT d.month, s.skill_id, s.name AS skill, s.category, d.role, d.seniority, d.work_mode,
       d.postings, t.total_postings,
       d.postings / t.total_postings AS share,
       wilson_low(d.postings, t.total_postings) AS share_low,
       wilson_high(d.postings, t.total_postings) AS share_high,
       t.total_postings < 30 AS low_sample
FROM agg_demand_monthly d
JOIN skills s ON s.skill_id = d.skill_id AND s.active
JOIN agg_totals_monthly t
  ON t.month = d.month AND t.role = d.role AND t.seniority = d.seniority AND t.work_mode = d.work_mode;

CREATE VIEW category_demand_monthly AS
SELECT t.month, c.category, t.role,
       coalesce(d.postings, 0) AS postings, t.total_postings,
       coalesce(d.postings, 0) / t.total_postings AS share,
       wilson_low(coalesce(d.postings, 0), t.total_postings) AS share_low,
       wilson_high(coalesce(d.postings, 0), t.total_postings) AS share_high,
       t.total_postings < 30 AS low_sample
FROM agg_totals_monthly t
CROSS JOIN (SELECT DISTINCT category FROM skills WHERE active) c
LEFT JOIN agg_category_monthly d ON d.month = t.month AND d.category = c.category AND d.role = t.role
WHERE t.seniority = 'all' AND t.work_mode = 'all';

CREATE VIEW role_demand_monthly AS
SELECT r.month, r.role, r.total_postings AS postings, a.total_postings,
       r.total_postings / a.total_postings AS share,
       wilson_low(r.total_postings, a.total_postings) AS share_low,
       wilson_high(r.total_postings, a.total_postings) AS share_high,
       a.total_postings < 30 AS low_sample
FROM agg_totals_monthly r
JOIN agg_totals_monthly a ON a.month = r.month AND a.role = 'all' AND a.seniority = 'all' AND a.work_mode = 'all'
WHERE r.role <> 'all' AND r.seniority = 'all' AND r.work_mode = 'all';

CREATE VIEW skill_trends AS
SELECT s.skill_id, s.name AS skill, s.category,
       t.postings_recent / nullif(t.total_recent, 0) AS share_recent,
       t.postings_prior / nullif(t.total_prior, 0) AS share_prior,
       (t.postings_recent / nullif(t.total_recent, 0) - t.postings_prior / nullif(t.total_prior, 0)) * 100 AS change_points,
       t.postings_year_ago / nullif(t.total_year_ago, 0) AS share_year_ago,
       coalesce(t.p_value < 0.05, false) AS significant,
       t.postings_recent, t.total_recent, t.postings_prior, t.total_prior, t.postings_year_ago, t.total_year_ago,
       t.z, t.p_value,
       (t.postings_recent / nullif(t.total_recent, 0) - t.postings_year_ago / nullif(t.total_year_ago, 0)) * 100 AS change_points_year,
       t.z_year,
       coalesce(t.p_value_year < 0.05, false) AS significant_year,
       wilson_low(t.postings_recent, t.total_recent) AS share_recent_low,
       wilson_high(t.postings_recent, t.total_recent) AS share_recent_high,
       t.recent_from, t.recent_to,
       t.total_recent < 90 OR t.total_prior < 90 AS low_sample
FROM agg_trends t
JOIN skills s ON s.skill_id = t.skill_id AND s.active;

CREATE VIEW skill_pairs AS
SELECT p.skill_a, p.skill_b, p.together,
       p.together * tot.n / (a.postings * b.postings)::DOUBLE AS lift,
       sa.name AS skill_a_name, sb.name AS skill_b_name,
       a.postings AS postings_a, b.postings AS postings_b, tot.n AS total_postings,
       p.together / tot.n AS support
FROM agg_pairs p
JOIN agg_skill_totals a ON a.skill_id = p.skill_a
JOIN agg_skill_totals b ON b.skill_id = p.skill_b
JOIN skills sa ON sa.skill_id = p.skill_a AND sa.active
JOIN skills sb ON sb.skill_id = p.skill_b AND sb.active
CROSS JOIN (SELECT sum(total_postings) AS n FROM agg_totals_monthly WHERE role = 'all' AND seniority = 'all' AND work_mode = 'all') tot;

CREATE VIEW salary_by_skill AS
SELECT s.skill_id, s.name AS skill, s.category, a.currency, a.postings,
       a.p25 AS salary_p25, a.median AS salary_median, a.p75 AS salary_p75,
       a.postings < 30 AS low_sample
FROM agg_salary a JOIN skills s ON s.skill_id = a.skill_id AND s.active;

CREATE VIEW work_mode_by_skill AS
SELECT s.skill_id, s.name AS skill, s.category, w.work_mode, w.postings, t.postings AS total_postings,
       w.postings / t.postings AS share,
       wilson_low(w.postings, t.postings) AS share_low,
       wilson_high(w.postings, t.postings) AS share_high
FROM agg_work_mode w
JOIN agg_skill_totals t ON t.skill_id = w.skill_id
JOIN skills s ON s.skill_id = w.skill_id AND s.active;

CREATE VIEW skill_requirement AS
SELECT s.skill_id, s.name AS skill, s.category, t.postings, t.required,
       t.postings - t.required AS nice_to_have,
       t.required / t.postings AS required_share
FROM agg_skill_totals t JOIN skills s ON s.skill_id = t.skill_id AND s.active;

CREATE VIEW skill_examples AS
SELECT e.skill_id, e.rank, e.posting_id, e.title, e.company, e.url, e.source, e.month
FROM agg_examples e JOIN skills s ON s.skill_id = e.skill_id AND s.active;

CREATE VIEW reposts_monthly AS
SELECT month, postings_seen, distinct_jobs, postings_seen - distinct_jobs AS reposts_folded, folded_by_url, folded_by_text
FROM agg_reposts;

CREATE VIEW dataset_summary AS
SELECT (SELECT count(*) FROM postings) AS postings,
       (SELECT count(*) FROM extractions) AS tagged_postings,
       (SELECT coalesce(sum(total_postings), 0) FROM agg_totals_monthly WHERE role = 'all' AND seniority = 'all' AND work_mode = 'all') AS distinct_jobs,
       (SELECT min(month) FROM agg_totals_monthly) AS first_month,
       (SELECT max(month) FROM agg_totals_monthly) AS last_month,
       (SELECT count(DISTINCT source) FROM postings) AS sources,
       (SELECT arg_max(taxonomy_version, extracted_at) FROM extractions) AS taxonomy_version,
       (SELECT try_cast(value AS TIMESTAMP) FROM analytics_state WHERE key = 'aggregated_at') AS aggregated_at;

COMMENT ON MACRO wilson_low IS 'Lower bound of the 95% Wilson score interval of x successes in n trials.';
COMMENT ON MACRO wilson_high IS 'Upper bound of the 95% Wilson score interval of x successes in n trials.';

COMMENT ON VIEW skill_demand_monthly IS 'Share of distinct jobs per month mentioning each active skill, overall (role = ''all'') and per role, with a 95% Wilson interval. Dense: zero rows included.';
COMMENT ON VIEW skill_demand_weekly IS 'skill_demand_monthly per ISO week (week = the Monday).';
COMMENT ON VIEW skill_demand_monthly_by_segment IS 'Skill demand per month by role, seniority and work mode (each a value or ''all''). Sparse: only rows with postings >= 1.';
COMMENT ON VIEW category_demand_monthly IS 'Share of distinct jobs per month mentioning at least one skill of each category.';
COMMENT ON VIEW role_demand_monthly IS 'Share of each month''s distinct jobs that are of each role.';
COMMENT ON VIEW skill_trends IS 'Per skill: share in the latest 3 months vs the 3 before and vs a year earlier, with two-proportion z-tests.';
COMMENT ON VIEW skill_pairs IS 'Pairs of skills asked for together in at least 10 distinct jobs, with lift.';
COMMENT ON VIEW salary_by_skill IS 'Annualised salary quartiles of distinct jobs mentioning each skill, per currency.';
COMMENT ON VIEW work_mode_by_skill IS 'Split by work mode of the distinct jobs mentioning each skill.';
COMMENT ON VIEW skill_requirement IS 'Per skill, how many distinct jobs require it and how many name it only as nice-to-have.';
COMMENT ON VIEW skill_examples IS 'Up to 5 most recent distinct jobs per skill. Strings are as scraped: escape before rendering.';
COMMENT ON VIEW reposts_monthly IS 'Postings folded as duplicates of an earlier posting, per month.';
COMMENT ON VIEW dataset_summary IS 'One row describing the whole database.';

COMMENT ON COLUMN skill_demand_monthly.month IS 'First day of the month (time basis: posted_at, else first_seen).';
COMMENT ON COLUMN skill_demand_monthly.skill_id IS 'Taxonomy id of the skill, e.g. go.';
COMMENT ON COLUMN skill_demand_monthly.skill IS 'Display name of the skill.';
COMMENT ON COLUMN skill_demand_monthly.category IS 'Skill category.';
COMMENT ON COLUMN skill_demand_monthly.role IS 'A role, or ''all'' for every role.';
COMMENT ON COLUMN skill_demand_monthly.postings IS 'Distinct jobs that mention the skill.';
COMMENT ON COLUMN skill_demand_monthly.total_postings IS 'Distinct tagged jobs in the month and role.';
COMMENT ON COLUMN skill_demand_monthly.share IS 'postings / total_postings.';
COMMENT ON COLUMN skill_demand_monthly.share_low IS 'Lower bound of the 95% Wilson interval of share.';
COMMENT ON COLUMN skill_demand_monthly.share_high IS 'Upper bound of the 95% Wilson interval of share.';
COMMENT ON COLUMN skill_demand_monthly.low_sample IS 'True when total_postings < 30: treat the share with caution.';
COMMENT ON COLUMN skill_demand_weekly.week IS 'Monday that starts the ISO week (time basis: posted_at, else first_seen).';
COMMENT ON COLUMN skill_demand_weekly.skill_id IS 'Taxonomy id of the skill, e.g. go.';
COMMENT ON COLUMN skill_demand_weekly.skill IS 'Display name of the skill.';
COMMENT ON COLUMN skill_demand_weekly.category IS 'Skill category.';
COMMENT ON COLUMN skill_demand_weekly.role IS 'A role, or ''all'' for every role.';
COMMENT ON COLUMN skill_demand_weekly.postings IS 'Distinct jobs that mention the skill.';
COMMENT ON COLUMN skill_demand_weekly.total_postings IS 'Distinct tagged jobs in the week and role.';
COMMENT ON COLUMN skill_demand_weekly.share IS 'postings / total_postings.';
COMMENT ON COLUMN skill_demand_weekly.share_low IS 'Lower bound of the 95% Wilson interval of share.';
COMMENT ON COLUMN skill_demand_weekly.share_high IS 'Upper bound of the 95% Wilson interval of share.';
COMMENT ON COLUMN skill_demand_weekly.low_sample IS 'True when total_postings < 30: treat the share with caution.';
COMMENT ON COLUMN skill_demand_monthly_by_segment.month IS 'First day of the month (time basis: posted_at, else first_seen).';
COMMENT ON COLUMN skill_demand_monthly_by_segment.skill_id IS 'Taxonomy id of the skill, e.g. go.';
COMMENT ON COLUMN skill_demand_monthly_by_segment.skill IS 'Display name of the skill.';
COMMENT ON COLUMN skill_demand_monthly_by_segment.category IS 'Skill category.';
COMMENT ON COLUMN skill_demand_monthly_by_segment.role IS 'A role, or ''all''.';
COMMENT ON COLUMN skill_demand_monthly_by_segment.seniority IS 'A seniority level, or ''all''.';
COMMENT ON COLUMN skill_demand_monthly_by_segment.work_mode IS 'A work mode, or ''all''.';
COMMENT ON COLUMN skill_demand_monthly_by_segment.postings IS 'Distinct jobs in the segment that mention the skill.';
COMMENT ON COLUMN skill_demand_monthly_by_segment.total_postings IS 'Distinct tagged jobs in the segment.';
COMMENT ON COLUMN skill_demand_monthly_by_segment.share IS 'postings / total_postings.';
COMMENT ON COLUMN skill_demand_monthly_by_segment.share_low IS 'Lower bound of the 95% Wilson interval of share.';
COMMENT ON COLUMN skill_demand_monthly_by_segment.share_high IS 'Upper bound of the 95% Wilson interval of share.';
COMMENT ON COLUMN skill_demand_monthly_by_segment.low_sample IS 'True when total_postings < 30: treat the share with caution.';
COMMENT ON COLUMN category_demand_monthly.month IS 'First day of the month (time basis: posted_at, else first_seen).';
COMMENT ON COLUMN category_demand_monthly.category IS 'Skill category.';
COMMENT ON COLUMN category_demand_monthly.role IS 'A role, or ''all''.';
COMMENT ON COLUMN category_demand_monthly.postings IS 'Distinct jobs that mention at least one skill of the category.';
COMMENT ON COLUMN category_demand_monthly.total_postings IS 'Distinct tagged jobs in the month and role.';
COMMENT ON COLUMN category_demand_monthly.share IS 'postings / total_postings.';
COMMENT ON COLUMN category_demand_monthly.share_low IS 'Lower bound of the 95% Wilson interval of share.';
COMMENT ON COLUMN category_demand_monthly.share_high IS 'Upper bound of the 95% Wilson interval of share.';
COMMENT ON COLUMN category_demand_monthly.low_sample IS 'True when total_postings < 30: treat the share with caution.';
COMMENT ON COLUMN role_demand_monthly.month IS 'First day of the month (time basis: posted_at, else first_seen).';
COMMENT ON COLUMN role_demand_monthly.role IS 'The role.';
COMMENT ON COLUMN role_demand_monthly.postings IS 'Distinct jobs of the role.';
COMMENT ON COLUMN role_demand_monthly.total_postings IS 'Distinct tagged jobs in the month.';
COMMENT ON COLUMN role_demand_monthly.share IS 'postings / total_postings; the roles of a month sum to 1.';
COMMENT ON COLUMN role_demand_monthly.share_low IS 'Lower bound of the 95% Wilson interval of share.';
COMMENT ON COLUMN role_demand_monthly.share_high IS 'Upper bound of the 95% Wilson interval of share.';
COMMENT ON COLUMN role_demand_monthly.low_sample IS 'True when total_postings < 30: treat the share with caution.';
COMMENT ON COLUMN skill_trends.skill_id IS 'Taxonomy id of the skill, e.g. go.';
COMMENT ON COLUMN skill_trends.skill IS 'Display name of the skill.';
COMMENT ON COLUMN skill_trends.category IS 'Skill category.';
COMMENT ON COLUMN skill_trends.share_recent IS 'Share of distinct jobs mentioning the skill in the latest 3 months.';
COMMENT ON COLUMN skill_trends.share_prior IS 'Share in the 3 months before; NULL when they have no postings.';
COMMENT ON COLUMN skill_trends.change_points IS '(share_recent - share_prior) * 100, in percentage points.';
COMMENT ON COLUMN skill_trends.share_year_ago IS 'Share in the same 3 months one year earlier; NULL when they have no postings.';
COMMENT ON COLUMN skill_trends.significant IS 'Recent vs prior differs at p < 0.05 (pooled two-proportion z-test, two-sided).';
COMMENT ON COLUMN skill_trends.postings_recent IS 'Jobs mentioning the skill in the recent window.';
COMMENT ON COLUMN skill_trends.total_recent IS 'Distinct jobs in the recent window.';
COMMENT ON COLUMN skill_trends.postings_prior IS 'Jobs mentioning the skill in the prior window.';
COMMENT ON COLUMN skill_trends.total_prior IS 'Distinct jobs in the prior window.';
COMMENT ON COLUMN skill_trends.postings_year_ago IS 'Jobs mentioning the skill a year earlier.';
COMMENT ON COLUMN skill_trends.total_year_ago IS 'Distinct jobs a year earlier.';
COMMENT ON COLUMN skill_trends.z IS 'z statistic of recent vs prior (positive = rising); NULL when undefined.';
COMMENT ON COLUMN skill_trends.p_value IS 'Two-sided p-value of z.';
COMMENT ON COLUMN skill_trends.change_points_year IS '(share_recent - share_year_ago) * 100.';
COMMENT ON COLUMN skill_trends.z_year IS 'z statistic of recent vs a year earlier.';
COMMENT ON COLUMN skill_trends.significant_year IS 'Recent vs a year earlier differs at p < 0.05.';
COMMENT ON COLUMN skill_trends.share_recent_low IS 'Lower bound of the 95% Wilson interval of share_recent.';
COMMENT ON COLUMN skill_trends.share_recent_high IS 'Upper bound of the 95% Wilson interval of share_recent.';
COMMENT ON COLUMN skill_trends.recent_from IS 'First month of the recent window.';
COMMENT ON COLUMN skill_trends.recent_to IS 'Last month of the recent window (the latest month with data).';
COMMENT ON COLUMN skill_trends.low_sample IS 'True when total_recent < 90 or total_prior < 90.';
COMMENT ON COLUMN skill_pairs.skill_a IS 'Skill id, the smaller of the pair.';
COMMENT ON COLUMN skill_pairs.skill_b IS 'Skill id, the larger of the pair.';
COMMENT ON COLUMN skill_pairs.together IS 'Distinct jobs mentioning both (at least 10).';
COMMENT ON COLUMN skill_pairs.lift IS 'together * total_postings / (postings_a * postings_b); above 1 means together more often than chance.';
COMMENT ON COLUMN skill_pairs.skill_a_name IS 'Display name of skill_a.';
COMMENT ON COLUMN skill_pairs.skill_b_name IS 'Display name of skill_b.';
COMMENT ON COLUMN skill_pairs.postings_a IS 'Distinct jobs mentioning skill_a.';
COMMENT ON COLUMN skill_pairs.postings_b IS 'Distinct jobs mentioning skill_b.';
COMMENT ON COLUMN skill_pairs.total_postings IS 'All distinct tagged jobs.';
COMMENT ON COLUMN skill_pairs.support IS 'together / total_postings.';
COMMENT ON COLUMN salary_by_skill.skill_id IS 'Taxonomy id of the skill, e.g. go.';
COMMENT ON COLUMN salary_by_skill.skill IS 'Display name of the skill.';
COMMENT ON COLUMN salary_by_skill.category IS 'Skill category.';
COMMENT ON COLUMN salary_by_skill.currency IS 'ISO 4217 currency.';
COMMENT ON COLUMN salary_by_skill.postings IS 'Distinct jobs with the skill and a salary in this currency.';
COMMENT ON COLUMN salary_by_skill.salary_p25 IS '25th percentile of annual salary (midpoint of the stated range).';
COMMENT ON COLUMN salary_by_skill.salary_median IS 'Median annual salary.';
COMMENT ON COLUMN salary_by_skill.salary_p75 IS '75th percentile of annual salary.';
COMMENT ON COLUMN salary_by_skill.low_sample IS 'True when postings < 30.';
COMMENT ON COLUMN work_mode_by_skill.skill_id IS 'Taxonomy id of the skill, e.g. go.';
COMMENT ON COLUMN work_mode_by_skill.skill IS 'Display name of the skill.';
COMMENT ON COLUMN work_mode_by_skill.category IS 'Skill category.';
COMMENT ON COLUMN work_mode_by_skill.work_mode IS 'remote, hybrid, onsite or unknown.';
COMMENT ON COLUMN work_mode_by_skill.postings IS 'Distinct jobs with the skill and this work mode.';
COMMENT ON COLUMN work_mode_by_skill.total_postings IS 'Distinct jobs with the skill.';
COMMENT ON COLUMN work_mode_by_skill.share IS 'postings / total_postings.';
COMMENT ON COLUMN work_mode_by_skill.share_low IS 'Lower bound of the 95% Wilson interval of share.';
COMMENT ON COLUMN work_mode_by_skill.share_high IS 'Upper bound of the 95% Wilson interval of share.';
COMMENT ON COLUMN skill_requirement.skill_id IS 'Taxonomy id of the skill, e.g. go.';
COMMENT ON COLUMN skill_requirement.skill IS 'Display name of the skill.';
COMMENT ON COLUMN skill_requirement.category IS 'Skill category.';
COMMENT ON COLUMN skill_requirement.postings IS 'Distinct jobs mentioning the skill.';
COMMENT ON COLUMN skill_requirement.required IS 'Distinct jobs that require it.';
COMMENT ON COLUMN skill_requirement.nice_to_have IS 'Distinct jobs that name it only as a plus.';
COMMENT ON COLUMN skill_requirement.required_share IS 'required / postings.';
COMMENT ON COLUMN skill_examples.skill_id IS 'Taxonomy id of the skill, e.g. go.';
COMMENT ON COLUMN skill_examples.rank IS '1 = most recent.';
COMMENT ON COLUMN skill_examples.posting_id IS 'The posting (postings.posting_id).';
COMMENT ON COLUMN skill_examples.title IS 'Job title as scraped.';
COMMENT ON COLUMN skill_examples.company IS 'Company as scraped.';
COMMENT ON COLUMN skill_examples.url IS 'Posting URL as scraped.';
COMMENT ON COLUMN skill_examples.source IS 'Source name.';
COMMENT ON COLUMN skill_examples.month IS 'First day of the month (time basis: posted_at, else first_seen).';
COMMENT ON COLUMN reposts_monthly.month IS 'First day of the month (time basis: posted_at, else first_seen).';
COMMENT ON COLUMN reposts_monthly.postings_seen IS 'Tagged postings in the month, duplicates included.';
COMMENT ON COLUMN reposts_monthly.distinct_jobs IS 'Tagged postings that are not duplicates.';
COMMENT ON COLUMN reposts_monthly.reposts_folded IS 'postings_seen - distinct_jobs.';
COMMENT ON COLUMN reposts_monthly.folded_by_url IS 'Duplicates by canonical URL and title.';
COMMENT ON COLUMN reposts_monthly.folded_by_text IS 'Duplicates by company and near-identical description.';
COMMENT ON COLUMN dataset_summary.postings IS 'All stored postings.';
COMMENT ON COLUMN dataset_summary.tagged_postings IS 'Postings with an extraction.';
COMMENT ON COLUMN dataset_summary.distinct_jobs IS 'Tagged postings that are not duplicates.';
COMMENT ON COLUMN dataset_summary.first_month IS 'Earliest month with distinct jobs.';
COMMENT ON COLUMN dataset_summary.last_month IS 'Latest month with distinct jobs.';
COMMENT ON COLUMN dataset_summary.sources IS 'Distinct sources.';
COMMENT ON COLUMN dataset_summary.taxonomy_version IS 'Taxonomy version of the latest extraction.';
COMMENT ON COLUMN dataset_summary.aggregated_at IS 'When Aggregate last rebuilt the derived tables (UTC).';

COMMENT ON COLUMN agg_demand_monthly.month IS 'First day of the month.';
COMMENT ON COLUMN agg_demand_monthly.skill_id IS 'Skill id.';
COMMENT ON COLUMN agg_demand_monthly.role IS 'Role or ''all''.';
COMMENT ON COLUMN agg_demand_monthly.seniority IS 'Seniority or ''all''.';
COMMENT ON COLUMN agg_demand_monthly.work_mode IS 'Work mode or ''all''.';
COMMENT ON COLUMN agg_demand_monthly.postings IS 'Distinct jobs mentioning the skill.';
COMMENT ON COLUMN agg_totals_monthly.month IS 'First day of the month.';
COMMENT ON COLUMN agg_totals_monthly.role IS 'Role or ''all''.';
COMMENT ON COLUMN agg_totals_monthly.seniority IS 'Seniority or ''all''.';
COMMENT ON COLUMN agg_totals_monthly.work_mode IS 'Work mode or ''all''.';
COMMENT ON COLUMN agg_totals_monthly.total_postings IS 'Distinct tagged jobs.';
COMMENT ON COLUMN agg_demand_weekly.week IS 'Monday of the ISO week.';
COMMENT ON COLUMN agg_demand_weekly.skill_id IS 'Skill id.';
COMMENT ON COLUMN agg_demand_weekly.role IS 'Role or ''all''.';
COMMENT ON COLUMN agg_demand_weekly.postings IS 'Distinct jobs mentioning the skill.';
COMMENT ON COLUMN agg_totals_weekly.week IS 'Monday of the ISO week.';
COMMENT ON COLUMN agg_totals_weekly.role IS 'Role or ''all''.';
COMMENT ON COLUMN agg_totals_weekly.total_postings IS 'Distinct tagged jobs.';
COMMENT ON COLUMN agg_category_monthly.month IS 'First day of the month.';
COMMENT ON COLUMN agg_category_monthly.category IS 'Skill category.';
COMMENT ON COLUMN agg_category_monthly.role IS 'Role or ''all''.';
COMMENT ON COLUMN agg_category_monthly.postings IS 'Distinct jobs mentioning a skill of the category.';
COMMENT ON COLUMN agg_skill_totals.skill_id IS 'Skill id.';
COMMENT ON COLUMN agg_skill_totals.postings IS 'Distinct jobs mentioning the skill.';
COMMENT ON COLUMN agg_skill_totals.required IS 'Distinct jobs requiring it.';
COMMENT ON COLUMN agg_pairs.skill_a IS 'Smaller skill id.';
COMMENT ON COLUMN agg_pairs.skill_b IS 'Larger skill id.';
COMMENT ON COLUMN agg_pairs.together IS 'Distinct jobs mentioning both.';
COMMENT ON COLUMN agg_salary.skill_id IS 'Skill id.';
COMMENT ON COLUMN agg_salary.currency IS 'ISO 4217 currency.';
COMMENT ON COLUMN agg_salary.postings IS 'Distinct jobs with a salary.';
COMMENT ON COLUMN agg_salary.p25 IS '25th percentile of annual salary.';
COMMENT ON COLUMN agg_salary.median IS 'Median annual salary.';
COMMENT ON COLUMN agg_salary.p75 IS '75th percentile of annual salary.';
COMMENT ON COLUMN agg_work_mode.skill_id IS 'Skill id.';
COMMENT ON COLUMN agg_work_mode.work_mode IS 'Work mode.';
COMMENT ON COLUMN agg_work_mode.postings IS 'Distinct jobs.';
COMMENT ON COLUMN agg_examples.skill_id IS 'Skill id.';
COMMENT ON COLUMN agg_examples.rank IS '1 = most recent.';
COMMENT ON COLUMN agg_examples.posting_id IS 'Posting id.';
COMMENT ON COLUMN agg_examples.title IS 'Title.';
COMMENT ON COLUMN agg_examples.company IS 'Company.';
COMMENT ON COLUMN agg_examples.url IS 'URL.';
COMMENT ON COLUMN agg_examples.source IS 'Source.';
COMMENT ON COLUMN agg_examples.month IS 'First day of the month.';
COMMENT ON COLUMN agg_reposts.month IS 'First day of the month.';
COMMENT ON COLUMN agg_reposts.postings_seen IS 'Tagged postings.';
COMMENT ON COLUMN agg_reposts.distinct_jobs IS 'Tagged postings that are not duplicates.';
COMMENT ON COLUMN agg_reposts.folded_by_url IS 'Duplicates by URL.';
COMMENT ON COLUMN agg_reposts.folded_by_text IS 'Duplicates by text.';
COMMENT ON COLUMN agg_trends.skill_id IS 'Skill id.';
COMMENT ON COLUMN agg_trends.postings_recent IS 'Jobs with the skill, recent window.';
COMMENT ON COLUMN agg_trends.total_recent IS 'Jobs, recent window.';
COMMENT ON COLUMN agg_trends.postings_prior IS 'Jobs with the skill, prior window.';
COMMENT ON COLUMN agg_trends.total_prior IS 'Jobs, prior window.';
COMMENT ON COLUMN agg_trends.postings_year_ago IS 'Jobs with the skill a year earlier.';
COMMENT ON COLUMN agg_trends.total_year_ago IS 'Jobs a year earlier.';
COMMENT ON COLUMN agg_trends.z IS 'z, recent vs prior.';
COMMENT ON COLUMN agg_trends.p_value IS 'Two-sided p-value of z.';
COMMENT ON COLUMN agg_trends.z_year IS 'z, recent vs a year earlier.';
COMMENT ON COLUMN agg_trends.p_value_year IS 'Two-sided p-value of z_year.';
COMMENT ON COLUMN agg_trends.recent_from IS 'First month of the recent window.';
COMMENT ON COLUMN agg_trends.recent_to IS 'Last month of the recent window.';
