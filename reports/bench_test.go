package reports

import (
	"context"
	"database/sql"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/skilltrend/skilltrend"
	"github.com/skilltrend/skilltrend/analytics"
	"github.com/skilltrend/skilltrend/extract"
	"github.com/skilltrend/skilltrend/synth"
)

// BenchmarkRender renders every page from a database of 1M postings
// (REPORTS_BENCH_POSTINGS overrides the size). Building that database takes
// minutes; set REPORTS_BENCH_DB to a path to keep it between runs.
func BenchmarkRender(b *testing.B) {
	n := 1_000_000
	if s := os.Getenv("REPORTS_BENCH_POSTINGS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil {
			b.Fatal(err)
		}
		n = v
	}
	db := benchDB(b, n)
	ctx := context.Background()
	dir := b.TempDir()
	var files int
	opts := Options{}
	if os.Getenv("REPORTS_BENCH_LOG") != "" {
		opts.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	for b.Loop() {
		paths, err := Render(ctx, db, dir, opts)
		if err != nil {
			b.Fatal(err)
		}
		files = len(paths)
	}
	b.ReportMetric(float64(files), "files")
}

// benchDB builds (or reuses) a published database of n synthetic postings.
// Extractions come from the generator's ground truth rather than the tagger,
// which keeps the build to load time; the views see the same shape of data.
func benchDB(b *testing.B, n int) *sql.DB {
	b.Helper()
	ctx := context.Background()
	path := os.Getenv("REPORTS_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "bench.duckdb")
	}
	if _, err := os.Stat(path); err != nil {
		buildBenchDB(b, path, n)
	}
	db, err := analytics.OpenReadOnly(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	var got int64
	if err := db.QueryRowContext(ctx, `SELECT postings FROM dataset_summary`).Scan(&got); err != nil {
		b.Fatal(err)
	}
	b.Logf("benchmark database %s: %d postings", path, got)
	return db
}

func buildBenchDB(b *testing.B, path string, n int) {
	ctx := context.Background()
	st, err := analytics.OpenWork(ctx, path, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	tax, err := extract.DefaultTaxonomy()
	if err != nil {
		b.Fatal(err)
	}
	if err := st.SyncSkills(ctx, tax.Version(), tax.Skills()); err != nil {
		b.Fatal(err)
	}
	const batch = 50_000
	var ps []skilltrend.Posting
	var exs []skilltrend.Extraction
	flush := func() {
		if _, err := st.UpsertPostings(ctx, ps); err != nil {
			b.Fatal(err)
		}
		if err := st.SaveExtractions(ctx, exs); err != nil {
			b.Fatal(err)
		}
		ps, exs = ps[:0], exs[:0]
	}
	for l := range synth.StreamLabeled(synth.Options{Seed: 1, Postings: n, Months: 24}) {
		p := l.Posting
		p.RawHTML = "" // not read by the views; keeps the file small
		ex := skilltrend.Extraction{PostingID: p.ID(), TaxonomyVersion: tax.Version(), Role: l.Role, Seniority: l.Level, WorkMode: p.WorkMode}
		nice := map[string]bool{}
		for _, id := range l.Nice {
			nice[id] = true
		}
		for _, id := range l.Skills {
			ex.Tags = append(ex.Tags, skilltrend.Tag{SkillID: id, Required: !nice[id]})
		}
		if p.Salary != nil && p.Salary.Period == "year" {
			s := *p.Salary
			ex.Salary = &s
		}
		ps = append(ps, p)
		exs = append(exs, ex)
		if len(ps) == batch {
			flush()
		}
	}
	if len(ps) > 0 {
		flush()
	}
	if err := st.Aggregate(ctx); err != nil {
		b.Fatal(err)
	}
	if err := st.Publish(ctx); err != nil {
		b.Fatal(err)
	}
}
