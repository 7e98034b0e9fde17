package analytics

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

// TestNodeClientReadsViews opens the published file with a second,
// independent DuckDB client (@duckdb/node-api, installed by `npm ci` in
// analytics/nodecheck) and checks that it sees every documented view with
// the columns and rows the Go driver sees.
func TestNodeClientReadsViews(t *testing.T) {
	if _, err := os.Stat(filepath.Join("nodecheck", "node_modules", "@duckdb", "node-api")); err != nil {
		t.Skip("analytics/nodecheck/node_modules is missing: run `npm ci` in analytics/nodecheck to enable this test")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: this test needs Node.js to run analytics/nodecheck/check.mjs")
	}
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "st.duckdb")
	load(t, ctx, dbPath, marketV1)

	cmd := exec.CommandContext(ctx, node, append([]string{"check.mjs", dbPath}, Views()...)...)
	cmd.Dir = "nodecheck"
	cmd.Stderr = os.Stderr
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("node check.mjs: %v", err)
	}
	var got struct {
		Version string
		Views   map[string]struct {
			Columns []string
			Rows    int
		}
		GoDemand     [][]any
		WriteRefused bool
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("node output %q: %v", raw, err)
	}
	t.Logf("node client: DuckDB %s", got.Version)
	if !got.WriteRefused {
		t.Error("the node client could write to a file opened read-only")
	}

	db, err := OpenReadOnly(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, v := range Views() {
		rows, err := db.QueryContext(ctx, "SELECT * FROM "+v)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		n := 0
		for rows.Next() {
			n++
		}
		rows.Close()
		g := got.Views[v]
		if !slices.Equal(g.Columns, cols) || g.Rows != n || n == 0 {
			t.Errorf("view %s: node sees %v columns %d rows, Go sees %v %d", v, g.Columns, g.Rows, cols, n)
		}
	}
	if len(got.GoDemand) != marketV1.months {
		t.Fatalf("node read %d months of Go demand, want %d", len(got.GoDemand), marketV1.months)
	}
	for m, r := range got.GoDemand {
		want := fmt.Sprint([]any{fmt.Sprintf("2025-%02d", m+1), fmt.Sprint(growingGo(m)), "40", float64(growingGo(m)) / 40})
		if fmt.Sprint(r) != want {
			t.Errorf("node row %d = %v, want %v", m, r, want)
		}
	}
}
