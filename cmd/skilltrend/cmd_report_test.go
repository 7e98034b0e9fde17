package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportRendersThePublishedDatabase renders the reports of a database
// built by import and extract, and refuses, naming the path, when there is
// no database.
func TestReportRendersThePublishedDatabase(t *testing.T) {
	dir := chdir(t)
	te := newTestEnv(t)
	out := filepath.Join(dir, "out")
	if code := te.run(t.Context(), "report", "--db", "none.duckdb", "--out", out); code != exitFailed {
		t.Errorf("report without a database exited %d, want %d", code, exitFailed)
	}
	if !strings.Contains(te.errOut.String(), "no database at none.duckdb") {
		t.Errorf("stderr does not name the missing database:\n%s", te.errOut.String())
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("report without a database created the report directory")
	}

	posts := `{"source":"board","source_id":"1","title":"Backend Engineer","description":"Go and PostgreSQL.","posted_at":"2026-03-02T00:00:00Z"}` + "\n" +
		`{"source":"board","source_id":"2","title":"Platform Engineer","description":"Go and Kubernetes.","posted_at":"2026-04-05T00:00:00Z"}` + "\n"
	if err := os.WriteFile(filepath.Join(dir, "posts.jsonl"), []byte(posts), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "st.duckdb")
	for _, args := range [][]string{{"import", "--db", db, "posts.jsonl"}, {"extract", "--db", db}} {
		if code := te.run(t.Context(), args...); code != exitOK {
			t.Fatalf("%s exited %d: %s", args[0], code, te.errOut.String())
		}
	}
	if code := te.run(t.Context(), "report", "--db", db, "--out", out); code != exitOK {
		t.Fatalf("report exited %d: %s", code, te.errOut.String())
	}
	index := filepath.Join(out, "index.html")
	if got := strings.TrimSpace(te.out.String()); got != index {
		t.Errorf("report printed %q, want the index path %q", got, index)
	}
	page, err := os.ReadFile(filepath.Join(out, "skill-go.html"))
	if err != nil {
		t.Fatalf("no page for a tagged skill: %v", err)
	}
	if !strings.Contains(string(page), "Go") {
		t.Error("the Go page does not name Go")
	}
	if _, err := os.Stat(index); err != nil {
		t.Errorf("no index page: %v", err)
	}
}
