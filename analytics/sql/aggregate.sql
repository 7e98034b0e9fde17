-- Rebuilds the agg_* tables behind the views. Runs on one connection after
-- duplicate detection; the temp tables die with the session. The 10M-row
-- work table carries only fixed-width codes (skill number, segment code) so
-- that joins and groupings stay fast; names are joined back at the end.

-- Skills as small numbers, with their category as a bit.
CREATE OR REPLACE TEMP TABLE tmp_skill_nos AS
SELECT skill_id, category,
       (row_number() OVER (ORDER BY skill_id))::SMALLINT AS skill_no,
       (dense_rank() OVER (ORDER BY category) - 1)::INTEGER AS category_no
FROM skills;

-- A segment is role, seniority and work mode coded as role*100 + seniority*10 + work mode.
CREATE OR REPLACE TEMP TABLE tmp_segments AS
SELECT r.role, s.seniority, w.work_mode,
       (r.i * 100 + s.i * 10 + w.i)::SMALLINT AS seg, r.i::SMALLINT AS role_no
FROM (SELECT role, (row_number() OVER (ORDER BY role))::INTEGER AS i FROM (SELECT DISTINCT role FROM extractions)) r,
     (SELECT seniority, (row_number() OVER (ORDER BY seniority) - 1)::INTEGER AS i FROM (SELECT DISTINCT seniority FROM extractions)) s,
     (SELECT work_mode, (row_number() OVER (ORDER BY work_mode) - 1)::INTEGER AS i
      FROM (SELECT DISTINCT work_mode FROM extractions UNION SELECT unnest(['remote', 'hybrid', 'onsite', 'unknown']))) w;

-- Distinct tagged jobs with their time basis and segment.
CREATE OR REPLACE TEMP TABLE tmp_jobs AS
WITH j AS (
    SELECT p.posting_id,
           coalesce(p.posted_at, p.first_seen) AS basis,
           e.role, e.seniority,
           CASE WHEN e.work_mode = 'unknown' AND p.work_mode IN ('remote', 'hybrid', 'onsite') THEN p.work_mode
                ELSE e.work_mode END AS work_mode,
           CASE WHEN e.salary_min IS NOT NULL AND e.salary_max IS NOT NULL THEN (e.salary_min + e.salary_max) / 2
                ELSE coalesce(e.salary_min, e.salary_max) END AS salary,
           e.salary_currency
    FROM postings p JOIN extractions e USING (posting_id)
    WHERE p.duplicate_of IS NULL
)
SELECT j.posting_id, j.basis,
       date_trunc('month', j.basis)::DATE AS month, date_trunc('week', j.basis)::DATE AS week,
       g.seg, g.role_no, j.role, j.seniority, j.work_mode, j.salary, j.salary_currency
FROM j JOIN tmp_segments g ON g.role = j.role AND g.seniority = j.seniority AND g.work_mode = j.work_mode;

-- One row per distinct job and skill.
CREATE OR REPLACE TEMP TABLE tmp_job_skills AS
SELECT ps.posting_id, n.skill_no, n.category_no, ps.required, j.month, j.week, j.seg, j.basis
FROM posting_skills ps
JOIN tmp_skill_nos n ON n.skill_id = ps.skill_id
JOIN tmp_jobs j ON j.posting_id = ps.posting_id;

-- Demand per month: counted once at the finest grain, rolled up from there.
CREATE OR REPLACE TEMP TABLE tmp_demand_fine AS
SELECT month, skill_no, seg, count(*) AS postings FROM tmp_job_skills GROUP BY ALL;

DELETE FROM agg_demand_monthly;
INSERT INTO agg_demand_monthly
SELECT f.month, n.skill_id,
       CASE WHEN grouping(g.role) = 1 THEN 'all' ELSE g.role END,
       CASE WHEN grouping(g.seniority) = 1 THEN 'all' ELSE g.seniority END,
       CASE WHEN grouping(g.work_mode) = 1 THEN 'all' ELSE g.work_mode END,
       sum(f.postings)
FROM tmp_demand_fine f JOIN tmp_segments g USING (seg) JOIN tmp_skill_nos n USING (skill_no)
GROUP BY f.month, n.skill_id, CUBE (g.role, g.seniority, g.work_mode);

DELETE FROM agg_totals_monthly;
INSERT INTO agg_totals_monthly
SELECT month,
       CASE WHEN grouping(role) = 1 THEN 'all' ELSE role END,
       CASE WHEN grouping(seniority) = 1 THEN 'all' ELSE seniority END,
       CASE WHEN grouping(work_mode) = 1 THEN 'all' ELSE work_mode END,
       count(*)
FROM tmp_jobs
GROUP BY month, CUBE (role, seniority, work_mode);

DELETE FROM agg_demand_weekly;
INSERT INTO agg_demand_weekly
WITH fine AS (
    SELECT week, skill_no, seg // 100 AS role_no, count(*) AS postings FROM tmp_job_skills GROUP BY ALL
)
SELECT f.week, n.skill_id, CASE WHEN grouping(r.role) = 1 THEN 'all' ELSE r.role END, sum(f.postings)
FROM fine f
JOIN (SELECT DISTINCT role_no, role FROM tmp_segments) r USING (role_no)
JOIN tmp_skill_nos n USING (skill_no)
GROUP BY f.week, n.skill_id, ROLLUP (r.role);

DELETE FROM agg_totals_weekly;
INSERT INTO agg_totals_weekly
SELECT week, CASE WHEN grouping(role) = 1 THEN 'all' ELSE role END, count(*)
FROM tmp_jobs
GROUP BY week, ROLLUP (role);

-- Categories: a job counts once per category, however many of its skills fall in it.
DELETE FROM agg_category_monthly;
INSERT INTO agg_category_monthly
WITH masks AS (
    SELECT posting_id, any_value(month) AS month, any_value(seg) // 100 AS role_no,
           bit_or(1::BIGINT << category_no) AS mask
    FROM tmp_job_skills GROUP BY posting_id
), fine AS (
    SELECT m.month, m.role_no, c.category, count(*) AS postings
    FROM masks m JOIN (SELECT DISTINCT category, category_no FROM tmp_skill_nos) c
      ON m.mask & (1::BIGINT << c.category_no) <> 0
    GROUP BY ALL
)
SELECT f.month, f.category, CASE WHEN grouping(r.role) = 1 THEN 'all' ELSE r.role END, sum(f.postings)
FROM fine f JOIN (SELECT DISTINCT role_no, role FROM tmp_segments) r USING (role_no)
GROUP BY f.month, f.category, ROLLUP (r.role);

DELETE FROM agg_skill_totals;
INSERT INTO agg_skill_totals
SELECT n.skill_id, t.postings, t.required
FROM (SELECT skill_no, count(*) AS postings, count(*) FILTER (WHERE required) AS required
      FROM tmp_job_skills GROUP BY skill_no) t
JOIN tmp_skill_nos n USING (skill_no);

DELETE FROM agg_pairs;
INSERT INTO agg_pairs
SELECT na.skill_id, nb.skill_id, p.together
FROM (SELECT a.skill_no AS a_no, b.skill_no AS b_no, count(*) AS together
      FROM tmp_job_skills a JOIN tmp_job_skills b ON a.posting_id = b.posting_id AND a.skill_no < b.skill_no
      GROUP BY ALL HAVING count(*) >= 10) p
JOIN tmp_skill_nos na ON na.skill_no = p.a_no
JOIN tmp_skill_nos nb ON nb.skill_no = p.b_no;

-- Grouped by skill number, named afterwards; the three quantiles in one pass.
DELETE FROM agg_salary;
INSERT INTO agg_salary
SELECT n.skill_id, s.salary_currency, s.postings, s.q[1], s.q[2], s.q[3]
FROM (SELECT js.skill_no, j.salary_currency, count(*) AS postings, quantile_cont(j.salary, [0.25, 0.5, 0.75]) AS q
      FROM tmp_job_skills js
      JOIN (SELECT posting_id, salary, salary_currency FROM tmp_jobs
            WHERE salary IS NOT NULL AND salary_currency IS NOT NULL) j USING (posting_id)
      GROUP BY js.skill_no, j.salary_currency) s
JOIN tmp_skill_nos n USING (skill_no);

DELETE FROM agg_work_mode;
INSERT INTO agg_work_mode
SELECT n.skill_id, g.work_mode, sum(f.postings)
FROM tmp_demand_fine f JOIN tmp_segments g USING (seg) JOIN tmp_skill_nos n USING (skill_no)
GROUP BY n.skill_id, g.work_mode;

DELETE FROM agg_examples;
INSERT INTO agg_examples
WITH top AS (
    SELECT skill_no, max_by(posting_id, basis, 5) AS ids FROM tmp_job_skills GROUP BY skill_no
), ranked AS (
    SELECT skill_no, unnest(range(1, len(ids) + 1)) AS rank, unnest(ids) AS posting_id FROM top
)
SELECT n.skill_id, r.rank, r.posting_id, p.title, p.company, p.url, p.source,
       date_trunc('month', coalesce(p.posted_at, p.first_seen))::DATE
FROM ranked r JOIN tmp_skill_nos n USING (skill_no) JOIN postings p ON p.posting_id = r.posting_id;

DELETE FROM agg_reposts;
INSERT INTO agg_reposts
SELECT date_trunc('month', coalesce(p.posted_at, p.first_seen))::DATE AS month,
       count(*), count(*) FILTER (WHERE p.duplicate_of IS NULL),
       count(*) FILTER (WHERE p.duplicate_reason = 'url'), count(*) FILTER (WHERE p.duplicate_reason = 'text')
FROM postings p JOIN extractions e USING (posting_id)
GROUP BY 1;
