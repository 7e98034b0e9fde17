package main

import (
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/skilltrend/skilltrend/config"
	"github.com/skilltrend/skilltrend/crawler/redisstore/redistest"
)

// TestCrawlWorkersShareOneCrawl runs three `skilltrend crawl --workers`
// processes against one local career site through a real redis-server and
// checks that every job page was fetched exactly once and that together
// they stored every posting, each in one worker's database only.
func TestCrawlWorkersShareOneCrawl(t *testing.T) {
	redisURL := redistest.Start(t)
	dir := chdir(t)
	var (
		mu      sync.Mutex
		fetched = map[string]int{}
	)
	ps, sources := market(t, 400, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			fetched[r.URL.RequestURI()]++
			mu.Unlock()
			h.ServeHTTP(w, r)
		})
	})
	var sites []config.Source
	var names []string
	want := 0
	for _, s := range sources {
		if s.Type == config.TypeJSONLD {
			sites = append(sites, s)
			names = append(names, s.Name)
		}
	}
	for _, p := range ps {
		for _, n := range names {
			if p.Source == n {
				want++
			}
		}
	}
	if want < 50 {
		t.Fatalf("the market has only %d career-site postings", want)
	}
	cfg := writeConfig(t, dir, sites)

	const workers = 3
	var wg sync.WaitGroup
	errs := make([]string, workers)
	for i := range workers {
		db := filepath.Join(dir, fmt.Sprintf("worker%d.duckdb", i))
		cmd, stderr := startChild(t, "crawl", "--config", cfg, "--db", db,
			"--workers", redisURL, "--workers-prefix", "test-crawl", "--source", strings.Join(names, ","))
		wg.Go(func() {
			if err := cmd.Wait(); err != nil {
				errs[i] = fmt.Sprintf("worker %d: %v\n%s", i, err, stderr.String())
			}
		})
	}
	wg.Wait()
	for _, e := range errs {
		if e != "" {
			t.Fatal(e)
		}
	}

	jobPages := 0
	for uri, n := range fetched {
		if !strings.Contains(uri, "/jobs/") {
			continue
		}
		jobPages++
		if n != 1 {
			t.Errorf("%s fetched %d times", uri, n)
		}
	}
	if jobPages != want {
		t.Errorf("%d job pages fetched, the sites have %d postings", jobPages, want)
	}

	seen := map[int64]int{}
	stored := 0
	for i := range workers {
		db := openDB(t, filepath.Join(dir, fmt.Sprintf("worker%d.duckdb", i)))
		rows, err := db.Query(`SELECT posting_id FROM postings`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			seen[id]++
			stored++
		}
		rows.Close()
	}
	if len(seen) != want || stored != want {
		t.Errorf("workers stored %d postings (%d distinct), the sites have %d", stored, len(seen), want)
	}
}
