package main

import (
	"database/sql"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
)

// docQueries returns the sql code blocks of a markdown file.
func docQueries(t *testing.T, path string) []string {
	t.Helper()
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var qs []string
	for _, m := range regexp.MustCompile("(?s)```sql\n(.*?)```").FindAllStringSubmatch(string(doc), -1) {
		qs = append(qs, m[1])
	}
	if len(qs) == 0 {
		t.Fatalf("%s has no sql blocks", path)
	}
	return qs
}

type demandRow struct {
	month            time.Time
	skill            string
	postings, total  int64
	share, low, high float64
	name, category   string
}

func (r demandRow) key() string { return r.month.Format("2006-01") + "/" + r.skill }

func scanDemand(t *testing.T, db *sql.DB, q string) map[string]demandRow {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%v\n%s", err, q)
	}
	defer rows.Close()
	out := map[string]demandRow{}
	for rows.Next() {
		var r demandRow
		if err := rows.Scan(&r.month, &r.skill, &r.name, &r.category, &r.postings, &r.total, &r.share, &r.low, &r.high); err != nil {
			t.Fatal(err)
		}
		out[r.key()] = r
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestScalingDocQueriesMatchViews exports a real database as Parquet and
// checks that the SQL docs/scaling.md gives for other engines reproduces the
// view it documents, row for row.
func TestScalingDocQueriesMatchViews(t *testing.T) {
	queries := docQueries(t, filepath.Join("..", "..", "docs", "scaling.md"))
	dir := chdir(t)
	_, sources := market(t, 300, nil)
	cfg := writeConfig(t, dir, sources)
	te := newTestEnv(t)
	if code := te.run(t.Context(), "run", "--config", cfg); code != exitOK {
		t.Fatalf("run exited %d: %s", code, te.errOut.String())
	}
	if code := te.run(t.Context(), "export", "--config", cfg, "--format", "parquet", "--out", "export"); code != exitOK {
		t.Fatalf("export exited %d: %s", code, te.errOut.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "export", "postings")); err != nil {
		t.Fatalf("export wrote no postings: %v", err)
	}
	published := openDB(t, filepath.Join(dir, "st.duckdb"))
	want := scanDemand(t, published, `SELECT month, skill_id, skill, category, postings, total_postings, share, share_low, share_high
		FROM skill_demand_monthly WHERE role = 'all' AND postings > 0`)
	if len(want) == 0 {
		t.Fatal("the view is empty; nothing to compare")
	}

	engine, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer engine.Close()
	got := scanDemand(t, engine, fmt.Sprintf("SELECT month, skill_id, skill, category, postings, total_postings, share, share_low, share_high FROM (%s)", strings.TrimRight(strings.TrimSpace(queries[0]), ";")))
	if len(got) != len(want) {
		t.Errorf("doc query gives %d rows, the view %d", len(got), len(want))
	}
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("doc query lacks %s", k)
			continue
		}
		if g.postings != w.postings || g.total != w.total || g.name != w.name || g.category != w.category ||
			math.Abs(g.share-w.share) > 1e-12 || math.Abs(g.low-w.low) > 1e-9 || math.Abs(g.high-w.high) > 1e-9 {
			t.Errorf("%s: doc query %+v, view %+v", k, g, w)
		}
	}
}
