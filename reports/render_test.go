package reports

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skilltrend/skilltrend/analytics"
)

// TestRender renders the fixture database once and checks the pages'
// content against the views, their safety and, in Chromium, their behaviour.
func TestRender(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a DuckDB fixture")
	}
	ctx := context.Background()
	db := fixtureDB(t, 3000)
	dir := t.TempDir()
	if keep := os.Getenv("REPORTS_OUT"); keep != "" { // to look at the pages by hand
		dir = keep
	}
	paths, err := Render(ctx, db, dir, Options{Now: fixedNow, Accuracy: Accuracy{
		Summary: "Tags were checked against hand-labelled postings.",
		Figures: []AccuracyFigure{{Measure: "Skill recall", Value: "93%", Detail: "<img src=x onerror=alert(1)>"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	d, err := loadDataset(ctx, db, defaultMonths)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("files", func(t *testing.T) {
		want := map[string]bool{"index.html": true, "guide.html": true, "methodology.html": true, "assets/echarts.min.js": true, "assets/LICENSE": true, "assets/NOTICE": true}
		for _, c := range []string{"language", "framework", "database", "api", "cloud", "devops", "security", "practice"} {
			want["category-"+c+".html"] = true
		}
		got := map[string]bool{}
		for _, p := range paths {
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				t.Fatal(err)
			}
			got[filepath.ToSlash(rel)] = true
			if _, err := os.Stat(p); err != nil {
				t.Errorf("returned path not written: %v", err)
			}
		}
		for w := range want {
			if !got[w] {
				t.Errorf("%s not written", w)
			}
		}
		for _, s := range d.Skills {
			if !got["skill-"+fileSlug(s.ID)+".html"] && !strings.HasPrefix(s.ID, "xss-") {
				t.Errorf("no page for skill %s", s.ID)
			}
		}
		leftovers, _ := filepath.Glob(filepath.Join(dir, ".*tmp*"))
		if len(leftovers) > 0 {
			t.Errorf("temporary files left: %v", leftovers)
		}
	})

	t.Run("numbers", func(t *testing.T) {
		// The overview sentence names the top skill of skill_trends with
		// its share, read here straight from the view.
		var name string
		var share float64
		if err := db.QueryRowContext(ctx, `SELECT skill, share_recent FROM skill_trends
			ORDER BY share_recent DESC, skill_id LIMIT 1`).Scan(&name, &share); err != nil {
			t.Fatal(err)
		}
		index := readFile(t, filepath.Join(dir, "index.html"))
		if want := name + " (" + pct(share) + ")"; !strings.Contains(index, want) {
			t.Errorf("overview does not name the top skill as %q", want)
		}
		var distinct int64
		if err := db.QueryRowContext(ctx, `SELECT distinct_jobs FROM dataset_summary`).Scan(&distinct); err != nil {
			t.Fatal(err)
		}
		if want := "covers " + count(distinct) + " distinct jobs"; !strings.Contains(index, want) {
			t.Errorf("overview lacks %q", want)
		}
		// The Go page's default sentence is generated from the backend row
		// of its latest month.
		var month string
		var goShare float64
		if err := db.QueryRowContext(ctx, `SELECT strftime(month, '%B %Y'), share FROM skill_demand_monthly_by_segment
			WHERE skill_id = 'go' AND role = 'backend' AND seniority = 'all' AND work_mode = 'all'
			ORDER BY month DESC LIMIT 1`).Scan(&month, &goShare); err != nil {
			t.Fatal(err)
		}
		goPage := readFile(t, filepath.Join(dir, "skill-go.html"))
		if want := "Go appeared in " + pct(goShare) + " of backend jobs in " + month; !strings.Contains(goPage, jsonEscaped(want)) {
			t.Errorf("Go page lacks the sentence %q", want)
		}
	})

	t.Run("payloads are inert in the HTML", func(t *testing.T) {
		for _, p := range paths {
			if !strings.HasSuffix(p, ".html") {
				continue
			}
			s := readFile(t, p)
			for _, bad := range []string{"<script>alert", "<img", "__f__", "<!--<script>", "javascript:"} {
				if strings.Contains(s, bad) {
					t.Errorf("%s contains %q", filepath.Base(p), bad)
				}
			}
		}
	})

	browserChecks(t, dir, paths)
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRenderEmptyDatabase renders a freshly migrated database with no
// postings: every page is still written and says there is no data.
func TestRenderEmptyDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("opens DuckDB")
	}
	ctx := context.Background()
	st, err := analytics.OpenWork(ctx, filepath.Join(t.TempDir(), "empty.duckdb"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	dir := t.TempDir()
	paths, err := Render(ctx, st.DB(), dir, Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < 3+11+len(assetFiles) {
		t.Errorf("%d files written, want at least the overview, guide, methodology, 11 category pages and the assets", len(paths))
	}
	index := readFile(t, filepath.Join(dir, "index.html"))
	if !strings.Contains(index, "holds no tagged job postings yet") {
		t.Error("the overview of an empty database does not say so")
	}
}

// TestRenderWritesNothingOnError checks that a failure while reading the
// views leaves the report directory untouched.
func TestRenderWritesNothingOnError(t *testing.T) {
	if testing.Short() {
		t.Skip("opens DuckDB")
	}
	ctx := context.Background()
	st, err := analytics.OpenWork(ctx, filepath.Join(t.TempDir(), "x.duckdb"), nil)
	if err != nil {
		t.Fatal(err)
	}
	db := st.DB()
	st.Close()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("previous report"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Render(ctx, db, dir, Options{}); err == nil {
		t.Fatal("Render on a closed database succeeded")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || readFile(t, filepath.Join(dir, "index.html")) != "previous report" {
		t.Errorf("the report directory changed after a failed render: %v", entries)
	}
}
