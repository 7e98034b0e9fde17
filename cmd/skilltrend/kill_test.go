package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// startChild runs skilltrend with args in a child process.
func startChild(t *testing.T, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	raw, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childArgsEnv+"="+string(raw))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &stderr
}

// snapshot is what a database holds, to compare two runs.
type snapshot struct {
	postings, distinctIDs, tags, duplicates int
}

func takeSnapshot(t *testing.T, dbPath string) snapshot {
	t.Helper()
	var s snapshot
	db := openDB(t, dbPath)
	defer db.Close() // the driver shares one database per path in a process: close before the next run publishes
	queryRow(t, db, `SELECT count(*), count(DISTINCT posting_id), count(*) FILTER (WHERE duplicate_of IS NOT NULL) FROM postings`, &s.postings, &s.distinctIDs, &s.duplicates)
	queryRow(t, db, `SELECT count(*) FROM posting_skills`, &s.tags)
	return s
}

// TestSIGKILLDuringCrawl kills a run part way through its crawl and checks
// that the published file is untouched and openable, and that the next run
// converges to exactly what an uninterrupted run produces.
func TestSIGKILLDuringCrawl(t *testing.T) {
	dir := chdir(t)
	var requests atomic.Int64
	killAt := make(chan struct{})
	var armed atomic.Bool
	_, sources := market(t, 400, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if armed.Load() && requests.Add(1) == 40 {
				close(killAt)
			}
			time.Sleep(2 * time.Millisecond)
			h.ServeHTTP(w, r)
		})
	})
	cfg := writeConfig(t, dir, sources)
	db := filepath.Join(dir, "st.duckdb")

	// An uninterrupted run gives the reference result.
	te := newTestEnv(t)
	if code := te.run(t.Context(), "run", "--config", cfg, "--db", db); code != exitOK {
		t.Fatalf("first run exited %d: %s", code, te.errOut.String())
	}
	before := takeSnapshot(t, db)

	// A second database is published from the HN source alone, then a run
	// of every source into it is killed mid-crawl.
	fresh := filepath.Join(dir, "fresh.duckdb")
	if code := te.run(t.Context(), "crawl", "--config", cfg, "--db", fresh, "--source", "hn"); code != exitOK {
		t.Fatalf("crawl of hn exited %d: %s", code, te.errOut.String())
	}
	partial := takeSnapshot(t, fresh)
	if partial.postings == 0 || partial.postings >= before.postings {
		t.Fatalf("hn alone gave %d postings of %d: the test needs a strict subset", partial.postings, before.postings)
	}
	armed.Store(true)
	child, stderr := startChild(t, "run", "--config", cfg, "--db", fresh)
	select {
	case <-killAt:
	case <-time.After(60 * time.Second):
		t.Fatalf("the child never reached the crawl; stderr:\n%s", stderr.String())
	}
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()
	if got := takeSnapshot(t, fresh); got != partial {
		t.Errorf("published database changed under a killed run: %+v, was %+v", got, partial)
	}

	// The next run over the killed one's leftovers converges to the same result.
	armed.Store(false)
	if code := te.run(t.Context(), "run", "--config", cfg, "--db", fresh); code != exitOK {
		t.Fatalf("run after the kill exited %d: %s", code, te.errOut.String())
	}
	after := takeSnapshot(t, fresh)
	if after != before {
		t.Errorf("after the kill and a new run: %+v, an uninterrupted run: %+v", after, before)
	}
	if after.postings != after.distinctIDs {
		t.Errorf("%d postings but %d distinct ids", after.postings, after.distinctIDs)
	}
}
