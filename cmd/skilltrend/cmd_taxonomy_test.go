package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTaxonomyCandidatesFindsUnknownTechnology(t *testing.T) {
	dir := chdir(t)
	var b strings.Builder
	for i := range 8 {
		fmt.Fprintf(&b, `{"source":"board","source_id":"%d","title":"Backend Engineer","description":"You will build services in Go and run them on ZorbDB %d.x with Kubernetes."}`+"\n", i, i)
	}
	if err := os.WriteFile(filepath.Join(dir, "p.jsonl"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	te := newTestEnv(t)
	if code := te.run(t.Context(), "import", "--db", "c.duckdb", "p.jsonl"); code != exitOK {
		t.Fatalf("import exit %d: %s", code, te.errOut.String())
	}
	if code := te.run(t.Context(), "taxonomy", "candidates", "--db", "c.duckdb", "--min", "5"); code != exitOK {
		t.Fatalf("candidates exit %d: %s", code, te.errOut.String())
	}
	out := te.out.String()
	if !strings.Contains(strings.ToLower(out), "zorbdb") {
		t.Errorf("candidates do not list ZorbDB:\n%s", out)
	}
	for _, known := range []string{"kubernetes", "\ngo "} {
		if strings.Contains(strings.ToLower(out), known) {
			t.Errorf("candidates list a known skill %q:\n%s", known, out)
		}
	}
}
