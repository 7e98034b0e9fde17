package reports

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"
)

// dataset is everything the pages show, read from the documented views.
// Nothing here is computed beyond ordering and picking rows.
type dataset struct {
	Summary  summary
	Skills   []*skillInfo // active skills, most asked-for first (recent window)
	ByID     map[string]*skillInfo
	Months   []time.Time // the chart window, ascending
	Segments map[segment]*segmentData
	// CategoryDemand is category_demand_monthly: role -> category -> point per Months index.
	CategoryDemand map[string]map[string][]point
	Reposts        []repostRow
	Sources        []sourceCount
}

type summary struct {
	Postings, Tagged, Distinct int64
	FirstMonth, LastMonth      time.Time
	Sources                    int64
	TaxonomyVersion            string
	AggregatedAt               time.Time
}

type skillInfo struct {
	ID, Name, Category string
	Trend              *trend // nil when skill_trends has no row
	Pairs              []pair
	Salaries           []salaryRow
	WorkModes          []workModeRow
	Requirement        *requirement
	Examples           []example
}

type trend struct {
	ShareRecent, SharePrior, ShareYearAgo sql.NullFloat64
	ChangePoints, ChangePointsYear        sql.NullFloat64
	Significant, SignificantYear          bool
	PostingsRecent, TotalRecent           int64
	RecentFrom, RecentTo                  time.Time
	LowSample                             bool
}

// segment is one filter selection: a role, seniority and work mode, each a
// value or "all".
type segment struct {
	Role, Seniority, WorkMode string
}

func (s segment) key() string {
	return variantKey("role", s.Role, "seniority", s.Seniority, "work_mode", s.WorkMode)
}

// segmentData holds skill_demand_monthly_by_segment rows of one segment.
type segmentData struct {
	Jobs   int64              // sum of Totals: distinct jobs in the window
	Totals []int64            // total_postings per month index; 0 when unknown
	Skills map[string][]point // per skill, aligned with dataset.Months
}

// point is one month of a share. Present is false when the view has no row
// (the sparse view omits months in which no job of the segment named the
// skill).
type point struct {
	Present          bool
	Postings, Total  int64
	Share, Low, High float64
	LowSample        bool
}

type pair struct {
	Other, OtherName string
	Together         int64
	Lift             float64
}

type salaryRow struct {
	Currency         string
	Postings         int64
	P25, Median, P75 float64
	LowSample        bool
}

type workModeRow struct {
	Mode            string
	Postings, Total int64
	Share           float64
}

type requirement struct {
	Postings, Required, NiceToHave int64
	RequiredShare                  float64
}

type example struct {
	Rank                        int
	Title, Company, URL, Source string
	Month                       time.Time
}

type repostRow struct {
	Month                                 time.Time
	Seen, Distinct, Folded, ByURL, ByText int64
}

type sourceCount struct {
	Source   string
	Postings int64
}

// querier is the part of *sql.DB that loading needs.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// loadDataset reads every view the pages need. months bounds the chart
// window to the latest months of the data.
func loadDataset(ctx context.Context, db querier, months int) (*dataset, error) {
	d := &dataset{ByID: map[string]*skillInfo{}, Segments: map[segment]*segmentData{}}
	steps := []struct {
		name string
		fn   func(context.Context, querier) error
	}{
		{"dataset_summary", d.loadSummary},
		{"skill_trends", d.loadTrends},
		{"skill_demand_monthly_by_segment", func(ctx context.Context, q querier) error { return d.loadSegments(ctx, q, months) }},
		{"category_demand_monthly", d.loadCategoryDemand},
		{"skill_pairs", d.loadPairs},
		{"salary_by_skill", d.loadSalaries},
		{"work_mode_by_skill", d.loadWorkModes},
		{"skill_requirement", d.loadRequirements},
		{"skill_examples", d.loadExamples},
		{"reposts_monthly", d.loadReposts},
		{"postings", d.loadSources},
	}
	for _, s := range steps {
		if err := s.fn(ctx, db); err != nil {
			return nil, fmt.Errorf("read %s: %w", s.name, err)
		}
	}
	for _, sd := range d.Segments {
		for _, t := range sd.Totals {
			sd.Jobs += t
		}
	}
	d.sortSkills()
	return d, nil
}

// each runs query and calls scan for every row.
func each(ctx context.Context, db querier, query string, scan func(*sql.Rows) error, args ...any) error {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (d *dataset) skill(id, name, category string) *skillInfo {
	s := d.ByID[id]
	if s == nil {
		s = &skillInfo{ID: cleanText(id), Name: cleanText(name), Category: cleanText(category)}
		if s.Name == "" {
			s.Name = s.ID
		}
		d.ByID[id] = s
		d.Skills = append(d.Skills, s)
	}
	return s
}

func (d *dataset) loadSummary(ctx context.Context, db querier) error {
	return each(ctx, db, `SELECT postings, tagged_postings, distinct_jobs, first_month, last_month, sources,
		coalesce(taxonomy_version, ''), aggregated_at FROM dataset_summary`, func(r *sql.Rows) error {
		var first, last, agg sql.NullTime
		s := &d.Summary
		if err := r.Scan(&s.Postings, &s.Tagged, &s.Distinct, &first, &last, &s.Sources, &s.TaxonomyVersion, &agg); err != nil {
			return err
		}
		s.FirstMonth, s.LastMonth, s.AggregatedAt = first.Time.UTC(), last.Time.UTC(), agg.Time.UTC()
		s.TaxonomyVersion = cleanText(s.TaxonomyVersion)
		return nil
	})
}

func (d *dataset) loadTrends(ctx context.Context, db querier) error {
	return each(ctx, db, `SELECT skill_id, skill, category, share_recent, share_prior, share_year_ago,
		change_points, change_points_year, coalesce(significant, false), coalesce(significant_year, false),
		postings_recent, total_recent, recent_from, recent_to, coalesce(low_sample, true)
		FROM skill_trends`, func(r *sql.Rows) error {
		var id, name, cat string
		var t trend
		var from, to sql.NullTime
		var pr, tr sql.NullInt64
		if err := r.Scan(&id, &name, &cat, &t.ShareRecent, &t.SharePrior, &t.ShareYearAgo, &t.ChangePoints,
			&t.ChangePointsYear, &t.Significant, &t.SignificantYear, &pr, &tr, &from, &to, &t.LowSample); err != nil {
			return err
		}
		t.PostingsRecent, t.TotalRecent = pr.Int64, tr.Int64
		t.RecentFrom, t.RecentTo = from.Time.UTC(), to.Time.UTC()
		d.skill(id, name, cat).Trend = &t
		return nil
	})
}

// loadSegments reads the per-segment monthly demand of the latest months.
// Unknown seniority and work mode are not offered as filters, so their rows
// are not read.
func (d *dataset) loadSegments(ctx context.Context, db querier, months int) error {
	if d.Summary.LastMonth.IsZero() {
		return nil
	}
	last := d.Summary.LastMonth
	first := last.AddDate(0, -(months - 1), 0)
	if d.Summary.FirstMonth.After(first) {
		first = d.Summary.FirstMonth
	}
	index := map[time.Time]int{}
	for m := first; !m.After(last); m = m.AddDate(0, 1, 0) {
		index[m] = len(d.Months)
		d.Months = append(d.Months, m)
	}
	n := len(d.Months)
	return each(ctx, db, `SELECT month, skill_id, skill, category, role, seniority, work_mode,
		postings, total_postings, share, share_low, share_high, low_sample
		FROM skill_demand_monthly_by_segment
		WHERE month >= ? AND month <= ? AND seniority <> 'unknown' AND work_mode <> 'unknown'`,
		func(r *sql.Rows) error {
			var month time.Time
			var id, name, cat string
			var seg segment
			var p point
			if err := r.Scan(&month, &id, &name, &cat, &seg.Role, &seg.Seniority, &seg.WorkMode,
				&p.Postings, &p.Total, &p.Share, &p.Low, &p.High, &p.LowSample); err != nil {
				return err
			}
			i, ok := index[month.UTC()]
			if !ok {
				return nil
			}
			sd := d.Segments[seg]
			if sd == nil {
				sd = &segmentData{Totals: make([]int64, n), Skills: map[string][]point{}}
				d.Segments[seg] = sd
			}
			if _, known := d.ByID[id]; !known {
				d.skill(id, name, cat)
			}
			pts := sd.Skills[id]
			if pts == nil {
				pts = make([]point, n)
				sd.Skills[id] = pts
			}
			p.Present = true
			pts[i] = p
			sd.Totals[i] = p.Total
			return nil
		}, first, last)
}

func (d *dataset) loadCategoryDemand(ctx context.Context, db querier) error {
	index := map[time.Time]int{}
	for i, m := range d.Months {
		index[m] = i
	}
	d.CategoryDemand = map[string]map[string][]point{}
	return each(ctx, db, `SELECT month, category, role, postings, total_postings, share, share_low, share_high, low_sample
		FROM category_demand_monthly`, func(r *sql.Rows) error {
		var month time.Time
		var cat, role string
		var p point
		if err := r.Scan(&month, &cat, &role, &p.Postings, &p.Total, &p.Share, &p.Low, &p.High, &p.LowSample); err != nil {
			return err
		}
		i, ok := index[month.UTC()]
		if !ok {
			return nil
		}
		byCat := d.CategoryDemand[role]
		if byCat == nil {
			byCat = map[string][]point{}
			d.CategoryDemand[role] = byCat
		}
		if byCat[cat] == nil {
			byCat[cat] = make([]point, len(d.Months))
		}
		p.Present = true
		byCat[cat][i] = p
		return nil
	})
}

func (d *dataset) loadPairs(ctx context.Context, db querier) error {
	err := each(ctx, db, `SELECT skill_a, skill_b, skill_a_name, skill_b_name, together, lift FROM skill_pairs`,
		func(r *sql.Rows) error {
			var a, b, an, bn string
			var together int64
			var lift float64
			if err := r.Scan(&a, &b, &an, &bn, &together, &lift); err != nil {
				return err
			}
			if s := d.ByID[a]; s != nil {
				s.Pairs = append(s.Pairs, pair{Other: cleanText(b), OtherName: cleanText(bn), Together: together, Lift: lift})
			}
			if s := d.ByID[b]; s != nil {
				s.Pairs = append(s.Pairs, pair{Other: cleanText(a), OtherName: cleanText(an), Together: together, Lift: lift})
			}
			return nil
		})
	for _, s := range d.Skills {
		sort.Slice(s.Pairs, func(i, j int) bool {
			if s.Pairs[i].Lift != s.Pairs[j].Lift {
				return s.Pairs[i].Lift > s.Pairs[j].Lift
			}
			return s.Pairs[i].Other < s.Pairs[j].Other
		})
	}
	return err
}

func (d *dataset) loadSalaries(ctx context.Context, db querier) error {
	return each(ctx, db, `SELECT skill_id, currency, postings, salary_p25, salary_median, salary_p75, low_sample
		FROM salary_by_skill ORDER BY skill_id, postings DESC, currency`, func(r *sql.Rows) error {
		var id string
		var s salaryRow
		if err := r.Scan(&id, &s.Currency, &s.Postings, &s.P25, &s.Median, &s.P75, &s.LowSample); err != nil {
			return err
		}
		s.Currency = cleanText(s.Currency)
		if sk := d.ByID[id]; sk != nil {
			sk.Salaries = append(sk.Salaries, s)
		}
		return nil
	})
}

func (d *dataset) loadWorkModes(ctx context.Context, db querier) error {
	return each(ctx, db, `SELECT skill_id, work_mode, postings, total_postings, share FROM work_mode_by_skill
		ORDER BY skill_id, CASE work_mode WHEN 'remote' THEN 0 WHEN 'hybrid' THEN 1 WHEN 'onsite' THEN 2 ELSE 3 END`,
		func(r *sql.Rows) error {
			var id string
			var w workModeRow
			if err := r.Scan(&id, &w.Mode, &w.Postings, &w.Total, &w.Share); err != nil {
				return err
			}
			if sk := d.ByID[id]; sk != nil {
				sk.WorkModes = append(sk.WorkModes, w)
			}
			return nil
		})
}

func (d *dataset) loadRequirements(ctx context.Context, db querier) error {
	return each(ctx, db, `SELECT skill_id, postings, required, nice_to_have, coalesce(required_share, 0) FROM skill_requirement`,
		func(r *sql.Rows) error {
			var id string
			var q requirement
			if err := r.Scan(&id, &q.Postings, &q.Required, &q.NiceToHave, &q.RequiredShare); err != nil {
				return err
			}
			if sk := d.ByID[id]; sk != nil {
				sk.Requirement = &q
			}
			return nil
		})
}

func (d *dataset) loadExamples(ctx context.Context, db querier) error {
	return each(ctx, db, `SELECT skill_id, rank, coalesce(title, ''), coalesce(company, ''), coalesce(url, ''),
		coalesce(source, ''), month FROM skill_examples ORDER BY skill_id, rank`, func(r *sql.Rows) error {
		var id string
		var e example
		var month sql.NullTime
		if err := r.Scan(&id, &e.Rank, &e.Title, &e.Company, &e.URL, &e.Source, &month); err != nil {
			return err
		}
		e.Title, e.Company, e.Source = cleanText(e.Title), cleanText(e.Company), cleanText(e.Source)
		e.Month = month.Time.UTC()
		if sk := d.ByID[id]; sk != nil {
			sk.Examples = append(sk.Examples, e)
		}
		return nil
	})
}

func (d *dataset) loadReposts(ctx context.Context, db querier) error {
	return each(ctx, db, `SELECT month, postings_seen, distinct_jobs, reposts_folded, folded_by_url, folded_by_text
		FROM reposts_monthly ORDER BY month`, func(r *sql.Rows) error {
		var x repostRow
		if err := r.Scan(&x.Month, &x.Seen, &x.Distinct, &x.Folded, &x.ByURL, &x.ByText); err != nil {
			return err
		}
		x.Month = x.Month.UTC()
		d.Reposts = append(d.Reposts, x)
		return nil
	})
}

// loadSources counts stored postings per source, for the methodology page.
func (d *dataset) loadSources(ctx context.Context, db querier) error {
	return each(ctx, db, `SELECT source, count(*) FROM postings GROUP BY source ORDER BY count(*) DESC, source`,
		func(r *sql.Rows) error {
			var s sourceCount
			if err := r.Scan(&s.Source, &s.Postings); err != nil {
				return err
			}
			s.Source = cleanText(s.Source)
			d.Sources = append(d.Sources, s)
			return nil
		})
}

// sortSkills orders skills by recent share, most asked-for first, then by id.
func (d *dataset) sortSkills() {
	recent := func(s *skillInfo) float64 {
		if s.Trend != nil && s.Trend.ShareRecent.Valid {
			return s.Trend.ShareRecent.Float64
		}
		return -1
	}
	sort.SliceStable(d.Skills, func(i, j int) bool {
		ri, rj := recent(d.Skills[i]), recent(d.Skills[j])
		if ri != rj {
			return ri > rj
		}
		return d.Skills[i].ID < d.Skills[j].ID
	})
}
