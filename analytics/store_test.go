package analytics

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/skilltrend/skilltrend"
)

var testSkills = []skilltrend.Skill{
	{ID: "go", Name: "Go", Category: skilltrend.CategoryLanguage},
	{ID: "rust", Name: "Rust", Category: skilltrend.CategoryLanguage},
	{ID: "postgresql", Name: "PostgreSQL", Category: skilltrend.CategoryDatabase},
	{ID: "kafka", Name: "Kafka", Category: skilltrend.CategoryMessaging},
}

// market is a small job market with known counts: in month m (0-based from
// 2025-01), perMonth postings, of which goCount(m) mention Go, every third
// mentions PostgreSQL (required) and every fifth Kafka (nice to have).
type market struct {
	months, perMonth int
	goCount          func(m int) int
}

func (mk market) start(m int) time.Time {
	return time.Date(2025, time.Month(1+m), 1, 12, 0, 0, 0, time.UTC)
}

func (mk market) postings() []skilltrend.Posting {
	var ps []skilltrend.Posting
	for m := range mk.months {
		for i := range mk.perMonth {
			ps = append(ps, skilltrend.Posting{
				Source:      "test",
				SourceID:    fmt.Sprintf("%d-%d", m, i),
				URL:         fmt.Sprintf("https://jobs.example/%d/%d", m, i),
				Title:       fmt.Sprintf("Backend engineer %d", i),
				Company:     fmt.Sprintf("Company %d-%d", m, i),
				WorkMode:    skilltrend.WorkModeRemote,
				PostedAt:    mk.start(m).Add(time.Duration(i) * time.Hour),
				Description: fmt.Sprintf("We build things number %d in month %d with a team of people who like building software together.", i, m),
			})
		}
	}
	return ps
}

func (mk market) extraction(p skilltrend.Posting, version string) skilltrend.Extraction {
	var m, i int
	fmt.Sscanf(p.SourceID, "%d-%d", &m, &i)
	e := skilltrend.Extraction{PostingID: p.ID(), TaxonomyVersion: version, Role: skilltrend.RoleBackend,
		Seniority: skilltrend.SenioritySenior, WorkMode: skilltrend.WorkModeRemote}
	if i%2 == 1 {
		e.Role, e.Seniority, e.WorkMode = skilltrend.RoleData, skilltrend.SeniorityJunior, skilltrend.WorkModeOnsite
	}
	if i < mk.goCount(m) {
		e.Tags = append(e.Tags, skilltrend.Tag{SkillID: "go", Required: true, Matches: []skilltrend.Match{{Start: 0, End: 2, Text: "Go"}}})
	}
	if i%3 == 0 {
		e.Tags = append(e.Tags, skilltrend.Tag{SkillID: "postgresql", Required: true})
	}
	if i%5 == 0 {
		e.Tags = append(e.Tags, skilltrend.Tag{SkillID: "kafka", Required: false})
	}
	if i%4 == 0 {
		e.Salary = &skilltrend.Salary{Min: 100000 + float64(i)*1000, Max: 120000 + float64(i)*1000, Currency: "USD", Period: "year"}
	}
	return e
}

// load runs one pipeline pass over mk into dbPath: upsert, tag what is new,
// aggregate, publish.
func load(t testing.TB, ctx context.Context, dbPath string, mk market) UpsertStats {
	t.Helper()
	s, err := OpenWork(ctx, dbPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SyncSkills(ctx, "v1", testSkills); err != nil {
		t.Fatal(err)
	}
	st, err := s.UpsertPostings(ctx, mk.postings())
	if err != nil {
		t.Fatal(err)
	}
	err = s.PostingsToTag(ctx, "v1", false, 37, func(ps []skilltrend.Posting) error {
		ex := make([]skilltrend.Extraction, len(ps))
		for i, p := range ps {
			ex[i] = mk.extraction(p, "v1")
		}
		return s.SaveExtractions(ctx, ex)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Aggregate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Publish(ctx); err != nil {
		t.Fatal(err)
	}
	return st
}

func growingGo(m int) int { return 5 + 3*m }

func TestPipelineViews(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "st.duckdb")
	mk := market{months: 8, perMonth: 40, goCount: growingGo}
	st := load(t, ctx, dbPath, mk)
	if st.New != 320 || st.Updated != 0 || st.Unchanged != 0 {
		t.Fatalf("first load stats = %+v, want 320 new", st)
	}
	db, err := OpenReadOnly(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	t.Run("skill_demand_monthly", func(t *testing.T) {
		rows, err := db.QueryContext(ctx, `SELECT month, postings, total_postings, share, share_low, share_high, low_sample
			FROM skill_demand_monthly WHERE role = 'all' AND skill_id = 'go' ORDER BY month`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		m := 0
		for rows.Next() {
			var month time.Time
			var x, n int64
			var share, lo, hi float64
			var low bool
			if err := rows.Scan(&month, &x, &n, &share, &lo, &hi, &low); err != nil {
				t.Fatal(err)
			}
			if !month.Equal(time.Date(2025, time.Month(1+m), 1, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("row %d month = %v", m, month)
			}
			if x != int64(growingGo(m)) || n != 40 || low {
				t.Errorf("month %d: postings %d total %d low %v, want %d 40 false", m, x, n, low, growingGo(m))
			}
			wl, wh := Wilson(x, n)
			if math.Abs(share-float64(x)/40) > 1e-12 || math.Abs(lo-wl) > 1e-9 || math.Abs(hi-wh) > 1e-9 {
				t.Errorf("month %d: share %v [%v, %v], want %v [%v, %v]", m, share, lo, hi, float64(x)/40, wl, wh)
			}
			m++
		}
		if m != mk.months {
			t.Fatalf("got %d months, want %d", m, mk.months)
		}
	})

	t.Run("dense with zero rows", func(t *testing.T) {
		var n, zero int
		err := db.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE postings = 0) FROM skill_demand_monthly
			WHERE role = 'all' AND skill_id = 'rust'`).Scan(&n, &zero)
		if err != nil {
			t.Fatal(err)
		}
		if n != mk.months || zero != mk.months {
			t.Fatalf("rust rows %d zero %d, want %d each", n, zero, mk.months)
		}
	})

	t.Run("segments and roles", func(t *testing.T) {
		// Odd i are data/junior/onsite: PostgreSQL (i%3==0) among them in one month of 40 is
		// i in {3,9,15,21,27,33,39} = 7 of 20.
		var x, n int64
		err := db.QueryRowContext(ctx, `SELECT postings, total_postings FROM skill_demand_monthly_by_segment
			WHERE month = DATE '2025-03-01' AND skill_id = 'postgresql' AND role = 'data' AND seniority = 'junior' AND work_mode = 'onsite'`).Scan(&x, &n)
		if err != nil {
			t.Fatal(err)
		}
		if x != 7 || n != 20 {
			t.Fatalf("segment postgresql = %d/%d, want 7/20", x, n)
		}
		err = db.QueryRowContext(ctx, `SELECT postings, total_postings FROM skill_demand_monthly_by_segment
			WHERE month = DATE '2025-03-01' AND skill_id = 'postgresql' AND role = 'all' AND seniority = 'all' AND work_mode = 'onsite'`).Scan(&x, &n)
		if err != nil {
			t.Fatal(err)
		}
		if x != 7 || n != 20 {
			t.Fatalf("onsite postgresql = %d/%d, want 7/20", x, n)
		}
		var share float64
		if err := db.QueryRowContext(ctx, `SELECT sum(share) FROM role_demand_monthly WHERE month = DATE '2025-02-01'`).Scan(&share); err != nil {
			t.Fatal(err)
		}
		if math.Abs(share-1) > 1e-12 {
			t.Fatalf("role shares sum to %v", share)
		}
	})

	t.Run("segment totals match the overall view", func(t *testing.T) {
		var mismatched, matched int
		err := db.QueryRowContext(ctx, `SELECT
			count(*) FILTER (WHERE s.postings IS DISTINCT FROM m.postings OR s.share IS DISTINCT FROM m.share),
			count(*) FILTER (WHERE s.postings = m.postings)
			FROM (SELECT * FROM skill_demand_monthly WHERE role = 'all' AND postings > 0) m
			FULL JOIN (SELECT * FROM skill_demand_monthly_by_segment WHERE role = 'all' AND seniority = 'all' AND work_mode = 'all') s
			USING (month, skill_id)`).Scan(&mismatched, &matched)
		if err != nil {
			t.Fatal(err)
		}
		if mismatched != 0 || matched == 0 {
			t.Fatalf("%d rows differ between the views (%d agree)", mismatched, matched)
		}
	})

	t.Run("weekly partitions the months", func(t *testing.T) {
		var weekly, monthly, weeks int64
		if err := db.QueryRowContext(ctx, `SELECT sum(postings), count(*) FROM skill_demand_weekly
			WHERE role = 'all' AND skill_id = 'go'`).Scan(&weekly, &weeks); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRowContext(ctx, `SELECT sum(postings) FROM skill_demand_monthly
			WHERE role = 'all' AND skill_id = 'go'`).Scan(&monthly); err != nil {
			t.Fatal(err)
		}
		if weekly != monthly || weeks < int64(mk.months) {
			t.Fatalf("weekly go postings %d over %d weeks, monthly %d", weekly, weeks, monthly)
		}
	})

	t.Run("category", func(t *testing.T) {
		// language = Go only: growingGo(m) postings.
		var x int64
		if err := db.QueryRowContext(ctx, `SELECT postings FROM category_demand_monthly
			WHERE month = DATE '2025-04-01' AND category = 'language' AND role = 'all'`).Scan(&x); err != nil {
			t.Fatal(err)
		}
		if x != int64(growingGo(3)) {
			t.Fatalf("language postings = %d, want %d", x, growingGo(3))
		}
	})

	t.Run("trends", func(t *testing.T) {
		var recent, prior float64
		var xr, nr int64
		var sig bool
		var z, p float64
		err := db.QueryRowContext(ctx, `SELECT share_recent, share_prior, postings_recent, total_recent, significant, z, p_value
			FROM skill_trends WHERE skill_id = 'go'`).Scan(&recent, &prior, &xr, &nr, &sig, &z, &p)
		if err != nil {
			t.Fatal(err)
		}
		wantXR := growingGo(5) + growingGo(6) + growingGo(7)
		wantXP := growingGo(2) + growingGo(3) + growingGo(4)
		if xr != int64(wantXR) || nr != 120 {
			t.Fatalf("recent %d/%d, want %d/120", xr, nr, wantXR)
		}
		wz, wp, _ := TwoProportionZ(int64(wantXR), 120, int64(wantXP), 120)
		if math.Abs(recent-float64(wantXR)/120) > 1e-12 || math.Abs(prior-float64(wantXP)/120) > 1e-12 ||
			math.Abs(z-wz) > 1e-9 || math.Abs(p-wp) > 1e-12 || sig != (wp < 0.05) {
			t.Fatalf("trend %v %v z=%v p=%v sig=%v", recent, prior, z, p, sig)
		}
		if !sig {
			t.Fatalf("go rose from %d to %d of 120 and is not significant", wantXP, wantXR)
		}
	})

	t.Run("requirement pairs salary work mode examples", func(t *testing.T) {
		var posts, req, nice int64
		if err := db.QueryRowContext(ctx, `SELECT postings, required, nice_to_have FROM skill_requirement WHERE skill_id = 'kafka'`).Scan(&posts, &req, &nice); err != nil {
			t.Fatal(err)
		}
		if posts != 8*8 || req != 0 || nice != 64 {
			t.Fatalf("kafka requirement %d %d %d", posts, req, nice)
		}
		var together int64
		var lift float64
		// i%15 == 0: i in {0, 15, 30} per month.
		if err := db.QueryRowContext(ctx, `SELECT together, lift FROM skill_pairs WHERE skill_a = 'kafka' AND skill_b = 'postgresql'`).Scan(&together, &lift); err != nil {
			t.Fatal(err)
		}
		wantLift := 24.0 * 320 / (64 * 14 * 8)
		if together != 24 || math.Abs(lift-wantLift) > 1e-9 {
			t.Fatalf("pair %d lift %v, want 24 %v", together, lift, wantLift)
		}
		var n int64
		var p25, median, p75 float64
		// Salaries on i%4==0 postings; PostgreSQL on i%3==0: i in {0,12,24,36}, midpoints 110k+i*1k,
		// eight of each: the 25th percentile lies 3/4 of the way from 110k to 122k, the 75th 1/4
		// of the way from 134k to 146k.
		if err := db.QueryRowContext(ctx, `SELECT postings, salary_p25, salary_median, salary_p75 FROM salary_by_skill
			WHERE skill_id = 'postgresql' AND currency = 'USD'`).Scan(&n, &p25, &median, &p75); err != nil {
			t.Fatal(err)
		}
		if n != 32 || p25 != 119000 || median != 128000 || p75 != 137000 {
			t.Fatalf("salary n=%d p25=%v median=%v p75=%v, want 32 119000 128000 137000", n, p25, median, p75)
		}
		var share float64
		if err := db.QueryRowContext(ctx, `SELECT share FROM work_mode_by_skill WHERE skill_id = 'kafka' AND work_mode = 'remote'`).Scan(&share); err != nil {
			t.Fatal(err)
		}
		if math.Abs(share-32.0/64) > 1e-12 { // i%5==0: 0,10,20,30 even (remote), 5,15,25,35 odd
			t.Fatalf("kafka remote share %v", share)
		}
		var cnt int
		var latest time.Time
		if err := db.QueryRowContext(ctx, `SELECT count(*), max(month) FILTER (WHERE rank = 1) FROM skill_examples WHERE skill_id = 'go'`).Scan(&cnt, &latest); err != nil {
			t.Fatal(err)
		}
		if cnt != 5 || !latest.Equal(time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC)) {
			t.Fatalf("examples %d latest %v", cnt, latest)
		}
	})

	t.Run("idempotent reload", func(t *testing.T) {
		db.Close()
		st := load(t, ctx, dbPath, mk)
		if st.New != 0 || st.Updated != 0 || st.Unchanged != 320 {
			t.Fatalf("reload stats = %+v, want 320 unchanged", st)
		}
		db2, err := OpenReadOnly(ctx, dbPath)
		if err != nil {
			t.Fatal(err)
		}
		defer db2.Close()
		for q, want := range map[string]int64{
			"SELECT count(*) FROM postings":       320,
			"SELECT count(*) FROM extractions":    320,
			"SELECT count(*) FROM posting_skills": int64(countTags(mk)),
		} {
			var got int64
			if err := db2.QueryRowContext(ctx, q).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("%s = %d, want %d", q, got, want)
			}
		}
	})
}

func TestTrendYearAgo(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "st.duckdb")
	slow := func(m int) int { return 5 + 2*m } // stays below 40 per month
	mk := market{months: 15, perMonth: 40, goCount: slow}
	load(t, ctx, dbPath, mk)
	db, err := OpenReadOnly(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var yearAgo, pointsYear float64
	var xy, ny int64
	var from, to time.Time
	var sigYear bool
	err = db.QueryRowContext(ctx, `SELECT share_year_ago, postings_year_ago, total_year_ago, change_points_year,
		significant_year, recent_from, recent_to FROM skill_trends WHERE skill_id = 'go'`).Scan(&yearAgo, &xy, &ny, &pointsYear, &sigYear, &from, &to)
	if err != nil {
		t.Fatal(err)
	}
	// Recent = months 12..14 (2026-01..03); a year earlier = months 0..2.
	wantX := slow(0) + slow(1) + slow(2)
	recent := slow(12) + slow(13) + slow(14)
	if xy != int64(wantX) || ny != 120 || math.Abs(yearAgo-float64(wantX)/120) > 1e-12 ||
		math.Abs(pointsYear-(float64(recent)-float64(wantX))/120*100) > 1e-9 || !sigYear {
		t.Fatalf("year ago %d/%d share %v points %v significant %v", xy, ny, yearAgo, pointsYear, sigYear)
	}
	if !from.Equal(mk.start(12).Truncate(24*time.Hour)) || !to.Equal(mk.start(14).Truncate(24*time.Hour)) {
		t.Fatalf("recent window %v..%v", from, to)
	}
}

func countTags(mk market) int {
	n := 0
	for _, p := range mk.postings() {
		n += len(mk.extraction(p, "v1").Tags)
	}
	return n
}

func TestLock(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "st.duckdb")
	unlock, err := Lock(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Lock(dbPath); !errors.Is(err, ErrLocked) {
		t.Fatalf("second lock: %v, want ErrLocked", err)
	}
	unlock()
	unlock2, err := Lock(dbPath)
	if err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
	unlock2()
}

var _ = sql.ErrNoRows
