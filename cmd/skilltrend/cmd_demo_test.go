package main

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skilltrend/skilltrend/analytics"
	"github.com/skilltrend/skilltrend/extract"
	"github.com/skilltrend/skilltrend/synth"
)

// TestDemoRecoversBuiltInTrends runs the offline demo like a user and checks
// that the trends the synthetic market was built with come out of the
// database: direction and approximate shares, not only that files exist.
func TestDemoRecoversBuiltInTrends(t *testing.T) {
	dir := chdir(t)
	out := filepath.Join(dir, "demo")
	te := newTestEnv(t)
	if code := te.run(t.Context(), "demo", "--out", out); code != exitOK {
		t.Fatalf("demo exited %d; stderr:\n%s", code, te.errOut.String())
	}
	dbPath := filepath.Join(out, "skilltrend.duckdb")
	index := filepath.Join(out, "report", "index.html")
	if got := te.out.String(); got != dbPath+"\n"+index+"\n" {
		t.Errorf("demo printed %q, want the database and report paths", got)
	}
	html, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), "echarts") {
		t.Error("report index does not load the local ECharts copy")
	}
	// The methodology page publishes the extractor's recorded accuracy.
	ev, err := extract.PublishedEvaluation()
	if err != nil {
		t.Fatal(err)
	}
	method, err := os.ReadFile(filepath.Join(out, "report", "methodology.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{fmt.Sprintf("%.1f%%", 100*ev.SkillSpan.Recall), ev.TaxonomyVersion, fmt.Sprint(ev.Gold.Postings)} {
		if !strings.Contains(string(method), want) {
			t.Errorf("methodology page does not show %q", want)
		}
	}

	db := openDB(t, dbPath)
	var distinct, total int
	queryRow(t, db, `SELECT count(*) FILTER (WHERE duplicate_of IS NULL), count(*) FROM postings`, &distinct, &total)
	if total != demoPostings || total < 3000 {
		t.Errorf("demo stored %d postings, the market has %d: the crawl missed some", total, demoPostings)
	}
	var months int
	queryRow(t, db, `SELECT count(DISTINCT month) FROM skill_demand_monthly WHERE role = 'all'`, &months)
	if months < 24 {
		t.Errorf("skill_demand_monthly covers %d months, want at least 24", months)
	}
	for _, tr := range synth.Trends() {
		first, last, nFirst, nLast := windowShares(t, db, tr.SkillID)
		t.Logf("%-10s declared %.3f -> %.3f, measured %.3f -> %.3f", tr.SkillID, tr.Start, tr.End, first, last)
		// The first and last three months average the declared line over
		// months 0-2 and n-3..n-1: one month in from each end.
		n := float64(demoMonths)
		wantFirst := tr.Start + (tr.End-tr.Start)*1/(n-1)
		wantLast := tr.End - (tr.End-tr.Start)*1/(n-1)
		for _, c := range []struct {
			name      string
			got, want float64
			n         float64
		}{{"first", first, wantFirst, nFirst}, {"last", last, wantLast, nLast}} {
			// Three standard errors of a share over the window's postings,
			// plus one point for the tagger's and the dedup's own noise.
			tol := 3*math.Sqrt(c.want*(1-c.want)/c.n) + 0.01
			if math.Abs(c.got-c.want) > tol {
				t.Errorf("%s: share in the %s three months %.3f, declared %.3f (tolerance %.3f)", tr.SkillID, c.name, c.got, c.want, tol)
			}
		}
		switch {
		case tr.End > tr.Start+0.03 && last <= first:
			t.Errorf("%s should rise: %.3f -> %.3f", tr.SkillID, first, last)
		case tr.End < tr.Start-0.03 && last >= first:
			t.Errorf("%s should fall: %.3f -> %.3f", tr.SkillID, first, last)
		}
	}

	// A second demo run over the same market changes nothing. The driver
	// shares one database per path in a process: close before it publishes.
	db.Close()
	if code := te.run(t.Context(), "demo", "--out", out); code != exitOK {
		t.Fatalf("second demo exited %d; stderr:\n%s", code, te.errOut.String())
	}
	db2 := openDB(t, dbPath)
	var distinct2, total2 int
	queryRow(t, db2, `SELECT count(*) FILTER (WHERE duplicate_of IS NULL), count(*) FROM postings`, &distinct2, &total2)
	if distinct2 != distinct || total2 != total {
		t.Errorf("second run: %d distinct of %d postings, first run %d of %d", distinct2, total2, distinct, total)
	}
}

// windowShares returns the pooled share of distinct jobs mentioning skill in
// the first three and the last three months of the data, and the number of
// jobs in each window.
func windowShares(t *testing.T, db *sql.DB, skill string) (first, last, nFirst, nLast float64) {
	t.Helper()
	q := `WITH m AS (
	        SELECT month, postings, total_postings,
	               row_number() OVER (ORDER BY month) AS asc_rank,
	               row_number() OVER (ORDER BY month DESC) AS desc_rank
	        FROM skill_demand_monthly WHERE role = 'all' AND skill_id = ?)
	      SELECT sum(postings) FILTER (WHERE asc_rank <= 3) / sum(total_postings) FILTER (WHERE asc_rank <= 3),
	             sum(postings) FILTER (WHERE desc_rank <= 3) / sum(total_postings) FILTER (WHERE desc_rank <= 3),
	             sum(total_postings) FILTER (WHERE asc_rank <= 3),
	             sum(total_postings) FILTER (WHERE desc_rank <= 3)
	      FROM m`
	if err := db.QueryRow(q, skill).Scan(&first, &last, &nFirst, &nLast); err != nil {
		t.Fatalf("shares of %s: %v", skill, err)
	}
	return first, last, nFirst, nLast
}

// openDB opens a published database read-only until the test ends; close it
// earlier when a later run in the same process publishes the file again.
func openDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := analytics.OpenReadOnly(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func queryRow(t *testing.T, db *sql.DB, q string, dest ...any) {
	t.Helper()
	if err := db.QueryRow(q).Scan(dest...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
