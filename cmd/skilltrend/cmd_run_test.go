package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/skilltrend/skilltrend"
	"github.com/skilltrend/skilltrend/config"
	"github.com/skilltrend/skilltrend/synth"
)

// market serves a small synthetic market on 127.0.0.1 and returns its
// postings and the config sources that crawl it.
func market(t *testing.T, n int, wrap func(http.Handler) http.Handler) ([]skilltrend.Posting, []config.Source) {
	t.Helper()
	ps := synth.Generate(synth.Options{Seed: 7, Postings: n, Months: 6})
	h := synth.Handler(ps)
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return ps, synth.Sources(ps, srv.URL)
}

// writeConfig writes a config for sources in dir and returns its path.
func writeConfig(t *testing.T, dir string, sources []config.Source) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "database: %s\nreport_dir: %s\n", filepath.Join(dir, "st.duckdb"), filepath.Join(dir, "report"))
	b.WriteString("politeness: {delay: 0s, parallelism: 4, allow_private_addresses: true, timeout: 5s, max_retries: 1}\nsources:\n")
	for _, s := range sources {
		fmt.Fprintf(&b, "  - name: %s\n    type: %s\n", s.Name, s.Type)
		if s.BaseURL != "" {
			fmt.Fprintf(&b, "    base_url: %q\n", s.BaseURL)
		}
		for key, v := range map[string]string{"since": s.Since, "board": s.Board} {
			if v != "" {
				fmt.Fprintf(&b, "    %s: %q\n", key, v)
			}
		}
		for key, vs := range map[string][]string{"start_urls": s.StartURLs, "sitemaps": s.Sitemaps, "allowed_domains": s.AllowedDomains} {
			if len(vs) > 0 {
				quoted := make([]string, len(vs))
				for i, v := range vs {
					quoted[i] = fmt.Sprintf("%q", v)
				}
				fmt.Fprintf(&b, "    %s: [%s]\n", key, strings.Join(quoted, ", "))
			}
		}
	}
	path := filepath.Join(dir, "skilltrend.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := config.Load(path); err != nil {
		t.Fatalf("test config invalid: %v\n%s", err, b.String())
	}
	return path
}

func countPostings(t *testing.T, dbPath string) (distinct, total int) {
	t.Helper()
	db := openDB(t, dbPath)
	defer db.Close() // the driver shares one database per path in a process: close before the next run publishes
	queryRow(t, db, `SELECT count(*) FILTER (WHERE duplicate_of IS NULL), count(*) FROM postings`, &distinct, &total)
	return distinct, total
}

func TestRunIsQuietAndIdempotent(t *testing.T) {
	dir := chdir(t)
	ps, sources := market(t, 300, nil)
	cfg := writeConfig(t, dir, sources)
	te := newTestEnv(t)
	for i := range 2 {
		if code := te.run(t.Context(), "run", "--config", cfg); code != exitOK {
			t.Fatalf("run %d exited %d; stderr:\n%s", i+1, code, te.errOut.String())
		}
		if te.out.Len()+te.errOut.Len() > 0 {
			t.Errorf("run %d without a terminal printed:\nstdout: %s\nstderr: %s", i+1, te.out.String(), te.errOut.String())
		}
		_, total := countPostings(t, filepath.Join(dir, "st.duckdb"))
		if total != len(ps) {
			t.Errorf("run %d stored %d postings, the market has %d", i+1, total, len(ps))
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "report", "index.html")); err != nil {
		t.Errorf("no report: %v", err)
	}
}

func TestRunWithADownSourceExits3AndPublishesTheRest(t *testing.T) {
	dir := chdir(t)
	ps, sources := market(t, 200, nil)
	// A port that refuses connections: listen, note the address, close.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + ln.Addr().String()
	ln.Close()
	sources = append(sources, config.Source{Name: "down", Type: config.TypeGreenhouse, Board: "gone", BaseURL: down})
	cfg := writeConfig(t, dir, sources)
	te := newTestEnv(t)
	if code := te.run(t.Context(), "run", "--config", cfg); code != exitPartial {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitPartial, te.errOut.String())
	}
	if !strings.Contains(te.errOut.String(), "down") {
		t.Errorf("stderr does not name the failed source:\n%s", te.errOut.String())
	}
	db := openDB(t, filepath.Join(dir, "st.duckdb"))
	var stored, failedRuns int
	queryRow(t, db, `SELECT count(*) FROM postings`, &stored)
	queryRow(t, db, `SELECT count(*) FROM crawl_runs WHERE source = 'down' AND error IS NOT NULL AND error <> ''`, &failedRuns)
	if stored != len(ps) {
		t.Errorf("published %d postings, the working sources have %d", stored, len(ps))
	}
	if failedRuns != 1 {
		t.Errorf("crawl_runs records %d failed runs of the down source, want 1", failedRuns)
	}
}

func TestInterruptedRunExits130AndPublishesNothing(t *testing.T) {
	dir := chdir(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var requests atomic.Int64
	_, sources := market(t, 300, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if requests.Add(1) == 20 {
				cancel() // as SIGINT would, part way through the crawl
			}
			h.ServeHTTP(w, r)
		})
	})
	cfg := writeConfig(t, dir, sources)
	te := newTestEnv(t)
	if code := te.run(ctx, "run", "--config", cfg); code != exitInterrupted {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitInterrupted, te.errOut.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "st.duckdb")); !os.IsNotExist(err) {
		t.Errorf("an interrupted first run published a database (stat: %v)", err)
	}
}
