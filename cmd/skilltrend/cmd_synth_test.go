package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/skilltrend/skilltrend"
)

// TestSynthWritesWhatImportReads writes a corpus and loads it back: every
// line is a Posting, and the import stores each one once.
func TestSynthWritesWhatImportReads(t *testing.T) {
	dir := chdir(t)
	te := newTestEnv(t)
	if code := te.run(t.Context(), "synth", "--postings", "500", "--out", "c.jsonl"); code != exitOK {
		t.Fatalf("synth exit %d: %s", code, te.errOut.String())
	}
	f, err := os.Open(filepath.Join(dir, "c.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ids := map[int64]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var p skilltrend.Posting
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		if p.Source == "" || p.SourceID == "" || p.Description == "" {
			t.Errorf("incomplete posting %+v", p)
		}
		ids[p.ID()] = true
	}
	if len(ids) != 500 {
		t.Fatalf("%d distinct postings, want 500", len(ids))
	}
	if code := te.run(t.Context(), "import", "--db", "s.duckdb", "c.jsonl"); code != exitOK {
		t.Fatalf("import exit %d: %s", code, te.errOut.String())
	}
	db := openDB(t, filepath.Join(dir, "s.duckdb"))
	var n int
	queryRow(t, db, `SELECT count(*) FROM postings`, &n)
	if n != len(ids) {
		t.Errorf("imported %d postings, wrote %d", n, len(ids))
	}
}
