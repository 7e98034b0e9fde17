package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/skilltrend/skilltrend/config"
	"github.com/skilltrend/skilltrend/crawler/redisstore/redistest"
)

// TestCrawlWorkersShareOneCrawl runs three `skilltrend crawl --workers`
// processes against a local market (HN, boards and career sites) through a
// real redis-server and checks that every page and API document was fetched
// exactly once (robots.txt aside) and that together they stored every
// posting, each in one worker's database only.
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
	// Every source: site crawls are shared request by request, the others
	// (HN, boards) go whole to one worker each.
	var names []string
	types := map[string]bool{}
	for _, s := range sources {
		names = append(names, s.Name)
		types[s.Type] = true
	}
	if !types[config.TypeJSONLD] || !types[config.TypeGreenhouse] || !types[config.TypeHN] {
		t.Fatalf("the market's sources %v lack a site, board or HN source", names)
	}
	want := len(ps)
	cfg := writeConfig(t, dir, sources)

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

	// Each worker reads robots.txt itself; everything else is fetched once.
	for uri, n := range fetched {
		if n != 1 && !strings.HasSuffix(uri, "/robots.txt") {
			t.Errorf("%s fetched %d times", uri, n)
		}
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
		t.Errorf("workers stored %d postings (%d distinct), the market has %d", stored, len(seen), want)
	}
}

// TestUnchangedDocumentsMoveLastSeen crawls a board and a career site that
// send validators, then crawls them again a day later when every document
// answers 304 Not Modified: the stored postings' last_seen moves to the
// second run's time, and nothing else about them changes (no new content,
// no re-tagging).
func TestUnchangedDocumentsMoveLastSeen(t *testing.T) {
	dir := chdir(t)
	var mu sync.Mutex
	status := map[int]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body, ctype string
		switch r.URL.Path {
		case "/v1/boards/acme/jobs":
			ctype = "application/json"
			body = `{"jobs":[{"id":1,"title":"Backend Engineer (Go)","absolute_url":"https://acme.example/jobs/1",
				"content":"&lt;p&gt;Go and PostgreSQL.&lt;/p&gt;","location":{"name":"Berlin"}},
				{"id":2,"title":"Platform Engineer","absolute_url":"https://acme.example/jobs/2",
				"content":"&lt;p&gt;Kubernetes and Terraform.&lt;/p&gt;","location":{"name":"Remote"}}]}`
		case "/careers":
			ctype = "text/html"
			body = `<html><body><a href="/careers/python">Python</a></body></html>`
		case "/careers/python":
			ctype = "text/html"
			body = `<html><head><script type="application/ld+json">{"@context":"https://schema.org","@type":"JobPosting",
				"title":"Python Developer","identifier":"py-1","description":"Django and Redis.",
				"hiringOrganization":{"name":"Initech"},"datePosted":"2026-11-01"}</script></head></html>`
		default:
			http.NotFound(w, r)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		code := http.StatusOK
		if r.Header.Get("If-None-Match") == `"v1"` {
			code = http.StatusNotModified
		}
		mu.Lock()
		status[code]++
		mu.Unlock()
		if code == http.StatusNotModified {
			w.WriteHeader(code)
			return
		}
		w.Header().Set("Content-Type", ctype)
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	responses := func() (ok, notModified int) {
		mu.Lock()
		defer mu.Unlock()
		return status[http.StatusOK], status[http.StatusNotModified]
	}
	base := srv.URL
	cfg := writeConfig(t, dir, []config.Source{
		{Name: "acme", Type: config.TypeGreenhouse, Board: "acme", BaseURL: base},
		{Name: "initech", Type: config.TypeJSONLD, StartURLs: []string{base + "/careers"}},
	})
	dbPath := filepath.Join(dir, "st.duckdb")

	type row struct {
		first, last, updated, extracted time.Time
		hash                            uint64
	}
	read := func() (map[string]row, string) {
		t.Helper()
		db := openDB(t, dbPath)
		defer db.Close() // before the next run publishes
		rows, err := db.Query(`SELECT p.source || '/' || p.source_id, p.first_seen, p.last_seen, p.updated_at, p.content_hash, e.extracted_at
			FROM postings p JOIN extractions e USING (posting_id)`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		m := map[string]row{}
		for rows.Next() {
			var k string
			var r row
			if err := rows.Scan(&k, &r.first, &r.last, &r.updated, &r.hash, &r.extracted); err != nil {
				t.Fatal(err)
			}
			m[k] = r
		}
		var version string
		queryRow(t, db, `SELECT value FROM analytics_state WHERE key = 'postings_version'`, &version)
		return m, version
	}

	te := newTestEnv(t)
	t0 := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	te.now = func() time.Time { return t0 }
	if code := te.run(t.Context(), "run", "--config", cfg); code != exitOK {
		t.Fatalf("first run exited %d; stderr:\n%s", code, te.errOut.String())
	}
	before, version := read()
	if ok, _ := responses(); len(before) != 3 || ok != 3 {
		t.Fatalf("first run stored %v after %d full responses; want 3 postings from 3", before, ok)
	}

	t1 := t0.Add(24 * time.Hour)
	te.now = func() time.Time { return t1 }
	if code := te.run(t.Context(), "run", "--config", cfg); code != exitOK {
		t.Fatalf("second run exited %d; stderr:\n%s", code, te.errOut.String())
	}
	if ok, notModified := responses(); ok != 3 || notModified != 3 {
		t.Fatalf("%d full responses and %d 304s; want the second run to get three 304s", ok, notModified)
	}
	after, version2 := read()
	for k, b := range before {
		a, ok := after[k]
		if !ok {
			t.Errorf("%s: gone", k)
			continue
		}
		if !a.last.Equal(t1) || !b.last.Equal(t0) {
			t.Errorf("%s: last_seen %v then %v, want %v then %v", k, b.last, a.last, t0, t1)
		}
		a.last = b.last
		if a != b {
			t.Errorf("%s: more than last_seen changed:\n before %+v\n after  %+v", k, b, a)
		}
	}
	if version2 != version {
		t.Errorf("postings_version moved from %s to %s: postings counted as changed", version, version2)
	}
	db := openDB(t, dbPath)
	defer db.Close()
	var seen, newNow int
	// The second run's rows: one per source, the last two.
	queryRow(t, db, `SELECT sum(seen), sum(new) FROM (SELECT seen, new FROM crawl_runs ORDER BY run_id DESC LIMIT 2)`, &seen, &newNow)
	if seen != 3 || newNow != 0 {
		t.Errorf("crawl_runs of the second run: %d seen, %d new; want 3 and 0", seen, newNow)
	}
}

// TestCrawlTakesOverSourcesOfADeadWorker runs one `skilltrend crawl
// --workers` while every HN and board source is claimed by a worker that
// has died: its lease is still alive when the crawl starts and lapses a
// moment later. The live worker first crawls what it can, then waits for
// the held sources and crawls them itself once the lease lapses, so every
// posting of the market is stored.
func TestCrawlTakesOverSourcesOfADeadWorker(t *testing.T) {
	redisURL := redistest.Start(t)
	dir := chdir(t)
	ps, sources := market(t, 200, nil)
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	ctx := t.Context()
	const prefix = "dead-worker"
	held := 0
	for _, s := range sources {
		if s.Type == config.TypeJSONLD {
			continue
		}
		if err := rdb.Set(ctx, prefix+":source:"+s.Name, "crawling ghost", 0).Err(); err != nil {
			t.Fatal(err)
		}
		held++
	}
	if held == 0 {
		t.Fatal("the market has no HN or board source")
	}
	const lease = time.Second
	if err := rdb.Set(ctx, prefix+":lease:ghost", "alive", lease).Err(); err != nil {
		t.Fatal(err)
	}

	cfg := writeConfig(t, dir, sources)
	te := newTestEnv(t)
	start := time.Now()
	if code := te.run(ctx, "crawl", "--config", cfg, "--workers", redisURL, "--workers-prefix", prefix); code != exitOK {
		t.Fatalf("crawl exited %d; stderr:\n%s", code, te.errOut.String())
	}
	if took := time.Since(start); took < lease {
		t.Errorf("crawl took %v, less than the dead worker's lease: it did not wait for it", took)
	}
	db := openDB(t, filepath.Join(dir, "st.duckdb"))
	defer db.Close()
	var stored, runs int
	queryRow(t, db, `SELECT count(*) FROM postings`, &stored)
	queryRow(t, db, `SELECT count(*) FROM crawl_runs`, &runs)
	if stored != len(ps) || runs != len(sources) {
		t.Errorf("stored %d postings and %d crawl runs; want %d and %d (the market's sources)", stored, runs, len(ps), len(sources))
	}
	for _, s := range sources {
		v, err := rdb.Get(ctx, prefix+":source:"+s.Name).Result()
		if s.Type != config.TypeJSONLD && (err != nil || !strings.HasPrefix(v, "done ")) {
			t.Errorf("source %s: claim %q (%v), want it done", s.Name, v, err)
		}
	}
}
