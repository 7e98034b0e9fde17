package crawler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/skilltrend/skilltrend"
	"github.com/skilltrend/skilltrend/config"
)

// seenLog records what a crawler passes to Options.Seen.
type seenLog struct {
	mu    sync.Mutex
	calls int
	ids   []int64
	at    []time.Time
	fail  error
}

func (s *seenLog) seen(_ context.Context, ids []int64, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	s.calls++
	s.ids = append(s.ids, ids...)
	s.at = append(s.at, at)
	return nil
}

// take returns the keys recorded so far, sorted, and the times they were
// reported with, and forgets them.
func (s *seenLog) take() ([]int64, []time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids, at := slices.Sorted(slices.Values(s.ids)), s.at
	s.ids, s.at, s.calls = nil, nil, 0
	return ids, at
}

// clock is a test's Options.Now, moved by hand between crawls.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.now = t; c.mu.Unlock() }

func newSeenCrawler(st State, clk *clock, seen *seenLog) *Crawler {
	return New(Options{UserAgent: "skilltrend-test/1.0 (+https://example.org/contact)", Politeness: fastPoliteness(),
		State: st, Now: clk.Now, Seen: seen.seen})
}

func keys(ps []skilltrend.Posting) []int64 {
	var ids []int64
	for _, p := range ps {
		ids = append(ids, p.ID())
	}
	slices.Sort(ids)
	return ids
}

// An unchanged board (304) emits nothing but reports, at the new crawl's
// time, the keys of the postings it yielded when it was last fetched in full.
func TestUnchangedBoardReportsItsPostings(t *testing.T) {
	for _, tt := range []struct {
		name, path, file string
		src              config.Source
	}{
		{"greenhouse", "/v1/boards/acme/jobs", "greenhouse-jobs.json", config.Source{Name: "gh-acme", Type: config.TypeGreenhouse, Board: "acme"}},
		{"lever", "/v0/postings/acme", "lever-postings.json", config.Source{Name: "lever-acme", Type: config.TypeLever, Site: "acme"}},
		{"ashby", "/posting-api/job-board/acme", "ashby-board.json", config.Source{Name: "ashby-acme", Type: config.TypeAshby, Board: "acme"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv, hits := fixtureServer(t, tt.path, tt.file, "application/json")
			tt.src.BaseURL = srv.URL
			st, clk, seen := newMemState(), &clock{now: testNow}, &seenLog{}
			c := newSeenCrawler(st, clk, seen)
			first, stats, err := collect(t, c, tt.src)
			if err != nil || len(first) == 0 || stats.Seen != 0 {
				t.Fatalf("first run: %d postings, stats %+v, err %v", len(first), stats, err)
			}
			if ids, _ := seen.take(); len(ids) != 0 {
				t.Fatalf("a full response reported %d postings as seen", len(ids))
			}

			later := testNow.Add(26 * time.Hour)
			clk.set(later)
			ps, stats, err := collect(t, c, tt.src)
			if err != nil || len(ps) != 0 || hits.Load() != 2 {
				t.Fatalf("second run: %d postings, err %v, %d requests; want 0, nil, 2", len(ps), err, hits.Load())
			}
			ids, at := seen.take()
			if !slices.Equal(ids, keys(first)) || len(at) != 1 || !at[0].Equal(later) {
				t.Errorf("seen %v at %v, want %v at %v", ids, at, keys(first), later)
			}
			if stats.Seen != len(first) || stats.Postings != 0 || stats.Pages != 1 {
				t.Errorf("stats %+v, want %d seen, 0 postings, 1 page", stats, len(first))
			}
		})
	}
}

func TestUnchangedFeedReportsItsPostings(t *testing.T) {
	rss, rssHits := fixtureServer(t, "/feed.rss", "feed.rss", "application/rss+xml")
	atom, atomHits := fixtureServer(t, "/feed.atom", "feed.atom", "application/atom+xml")
	src := config.Source{Name: "feeds", Type: config.TypeRSS, Feeds: []string{rss.URL + "/feed.rss", atom.URL + "/feed.atom"}}
	st, clk, seen := newMemState(), &clock{now: testNow}, &seenLog{}
	c := newSeenCrawler(st, clk, seen)
	first, _, err := collect(t, c, src)
	if err != nil || len(first) != 3 {
		t.Fatalf("first run: %d postings, err %v", len(first), err)
	}
	later := testNow.Add(time.Hour)
	clk.set(later)
	ps, stats, err := collect(t, c, src)
	if err != nil || len(ps) != 0 || rssHits.Load() != 2 || atomHits.Load() != 2 {
		t.Fatalf("second run: %d postings, err %v, %d+%d requests", len(ps), err, rssHits.Load(), atomHits.Load())
	}
	ids, at := seen.take()
	if !slices.Equal(ids, keys(first)) || len(at) != 2 || !at[0].Equal(later) || !at[1].Equal(later) {
		t.Errorf("seen %v at %v, want %v at %v, once per feed", ids, at, keys(first), later)
	}
	if stats.Seen != 3 {
		t.Errorf("stats.Seen = %d, want 3", stats.Seen)
	}
}

// versionedSite serves pages that carry a Last-Modified version each and
// answer 304 to a request for the version they have; a page can be changed
// or removed between crawls.
type versionedSite struct {
	mu       sync.Mutex
	pages    map[string]string // path -> body
	versions map[string]int
	full     map[string]int
	notMod   map[string]int
}

func (s *versionedSite) set(path, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = body
	s.versions[path]++
}

func (s *versionedSite) remove(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.pages, path)
}

func (s *versionedSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	body, ok := s.pages[r.URL.Path]
	lm := time.Date(2026, 4, 1, 0, 0, s.versions[r.URL.Path], 0, time.UTC).Format(http.TimeFormat)
	notMod := ok && r.Header.Get("If-Modified-Since") == lm
	switch {
	case notMod:
		s.notMod[r.URL.Path]++
	case ok:
		s.full[r.URL.Path]++
	}
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Last-Modified", lm)
	if notMod {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if strings.HasSuffix(r.URL.Path, ".xml") {
		w.Header().Set("Content-Type", "application/xml")
	} else {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	}
	fmt.Fprint(w, body)
}

func (s *versionedSite) counts() (full, notMod map[string]int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	full, notMod = s.full, s.notMod
	s.full, s.notMod = map[string]int{}, map[string]int{}
	return full, notMod
}

// On a site, an unchanged page reports its postings and the pages below it
// are still visited: an unchanged page or sitemap queues the links it had.
// A changed page is emitted again; a removed one is neither emitted nor
// reported.
func TestUnchangedSitePagesReportTheirPostings(t *testing.T) {
	site := &versionedSite{pages: map[string]string{}, versions: map[string]int{}, full: map[string]int{}, notMod: map[string]int{}}
	srv := serve(t, site)
	site.set("/", jobPage("Index", "/a", "/c"))
	site.set("/a", jobPage("A", "/b"))
	site.set("/b", jobPage("B"))
	site.set("/c", jobPage("C"))
	site.set("/d", jobPage("D"))
	site.set("/sitemap.xml", fmt.Sprintf(`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>%s/d</loc></url></urlset>`, srv.URL))
	src := siteSource(srv.URL, "/")
	src.Sitemaps = []string{srv.URL + "/sitemap.xml"}

	st, clk, seen := newMemState(), &clock{now: testNow}, &seenLog{}
	c := newSeenCrawler(st, clk, seen)
	first, _, err := collect(t, c, src)
	if err != nil || len(first) != 5 {
		t.Fatalf("first run: %v, err %v", titles(first), err)
	}
	site.counts()
	byTitle := map[string]skilltrend.Posting{}
	for _, p := range first {
		byTitle[p.Title] = p
	}

	site.set("/b", jobPage("B", "/e")) // changed
	site.set("/e", jobPage("E"))       // new, linked from the changed page only
	site.remove("/c")
	later := testNow.Add(24 * time.Hour)
	clk.set(later)
	ps, stats, err := collect(t, c, src)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(sorted(titles(ps)), ","); got != "B,E" {
		t.Errorf("second run emitted %s, want B,E", got)
	}
	for _, p := range ps {
		if !p.LastSeen.Equal(later) {
			t.Errorf("%s: last seen %v, want %v", p.Title, p.LastSeen, later)
		}
	}
	ids, at := seen.take()
	want := keys([]skilltrend.Posting{byTitle["Index"], byTitle["A"], byTitle["D"]})
	if !slices.Equal(ids, want) {
		t.Errorf("seen %v, want the keys of Index, A and D %v", ids, want)
	}
	for _, a := range at {
		if !a.Equal(later) {
			t.Errorf("seen at %v, want %v", a, later)
		}
	}
	full, notMod := site.counts()
	wantFull := map[string]int{"/b": 1, "/e": 1}
	wantNotMod := map[string]int{"/": 1, "/a": 1, "/sitemap.xml": 1, "/d": 1}
	if fmt.Sprint(full) != fmt.Sprint(wantFull) || fmt.Sprint(notMod) != fmt.Sprint(wantNotMod) {
		t.Errorf("full responses %v, 304s %v; want %v and %v", full, notMod, wantFull, wantNotMod)
	}
	if stats.Seen != 3 || stats.Postings != 2 || stats.Errors != 1 {
		t.Errorf("stats %+v, want 3 seen, 2 postings, 1 error (the removed page)", stats)
	}
}

// State entries written before entries named their source and postings
// (validators only), or written for another source fetching the same URL,
// say nothing of what this source saw: the document is fetched in full once
// and remembered anew.
func TestForeignStateEntriesFetchInFull(t *testing.T) {
	for _, tt := range []struct{ name, entry string }{
		{"old format", `{"etag":"\"v1\"","last_modified":"Mon, 06 Apr 2026 10:00:00 GMT"}`},
		{"other source", `{"etag":"\"v1\"","source":"someone-else","postings":[1,2,3]}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv, hits := fixtureServer(t, "/v1/boards/acme/jobs", "greenhouse-jobs.json", "application/json")
			src := config.Source{Name: "gh-acme", Type: config.TypeGreenhouse, Board: "acme", BaseURL: srv.URL}
			key := validatorKey(srv.URL + "/v1/boards/acme/jobs?content=true")
			st, clk, seen := newMemState(), &clock{now: testNow}, &seenLog{}
			st.m[key] = tt.entry
			c := newSeenCrawler(st, clk, seen)
			first, _, err := collect(t, c, src)
			if err != nil || len(first) != 2 {
				t.Fatalf("with the entry: %d postings, err %v; want the board in full", len(first), err)
			}
			if ids, _ := seen.take(); len(ids) != 0 {
				t.Errorf("the entry's postings were reported: %v", ids)
			}
			var got docState
			if err := json.Unmarshal([]byte(st.m[key]), &got); err != nil || got.Source != "gh-acme" || !slices.Equal(got.Postings, keys(first)) {
				t.Fatalf("entry not rewritten: %s (%v)", st.m[key], err)
			}
			ps, _, err := collect(t, c, src)
			if ids, _ := seen.take(); err != nil || len(ps) != 0 || hits.Load() != 2 || !slices.Equal(ids, keys(first)) {
				t.Errorf("next run: %d postings, err %v, %d requests, seen %v", len(ps), err, hits.Load(), ids)
			}
		})
	}
}

// A document leading to more postings than a state entry keeps is not
// remembered: it is fetched, and its postings emitted, in full every time.
func TestHugeBoardNotRemembered(t *testing.T) {
	var b strings.Builder
	b.WriteString("[")
	for i := range maxDocPostings + 1 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id":"job-%d","text":"Engineer %d"}`, i, i)
	}
	b.WriteString("]")
	var full atomic.Int32
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		full.Add(1)
		fmt.Fprint(w, b.String())
	}))
	src := config.Source{Name: "lever-big", Type: config.TypeLever, Site: "big", BaseURL: srv.URL}
	st, seen := newMemState(), &seenLog{}
	c := newSeenCrawler(st, &clock{now: testNow}, seen)
	for run := range 2 {
		ps, _, err := collect(t, c, src)
		if err != nil || len(ps) != maxDocPostings+1 {
			t.Fatalf("run %d: %d postings, err %v", run, len(ps), err)
		}
	}
	if ids, _ := seen.take(); full.Load() != 2 || len(st.m) != 0 || len(ids) != 0 {
		t.Errorf("%d full responses, %d state entries, %d seen; want 2, 0, 0", full.Load(), len(st.m), len(ids))
	}
}

// An error from Options.Seen fails the source, as an emit error does.
func TestSeenErrorFailsSource(t *testing.T) {
	srv, _ := fixtureServer(t, "/v1/boards/acme/jobs", "greenhouse-jobs.json", "application/json")
	src := config.Source{Name: "gh-acme", Type: config.TypeGreenhouse, Board: "acme", BaseURL: srv.URL}
	feed, _ := fixtureServer(t, "/feed.rss", "feed.rss", "application/rss+xml")
	feeds := config.Source{Name: "feeds", Type: config.TypeRSS, Feeds: []string{feed.URL + "/feed.rss"}}
	site := &versionedSite{pages: map[string]string{}, versions: map[string]int{}, full: map[string]int{}, notMod: map[string]int{}}
	site.set("/", jobPage("Index"))
	pages := siteSource(serve(t, site).URL, "/")
	for _, src := range []config.Source{src, feeds, pages} {
		t.Run(string(src.Type), func(t *testing.T) {
			seen := &seenLog{}
			c := newSeenCrawler(newMemState(), &clock{now: testNow}, seen)
			if _, _, err := collect(t, c, src); err != nil {
				t.Fatal(err)
			}
			boom := errors.New("store is gone")
			seen.fail = boom
			if _, _, err := collect(t, c, src); !errors.Is(err, boom) {
				t.Errorf("err %v, want the Seen error", err)
			}
		})
	}
}

// A page reached through a redirect is remembered under the URL that was
// asked for, so the next crawl, which asks for it under the same URL, asks
// conditionally (the validators follow the redirect) and gets a 304.
func TestRedirectedPageFetchedConditionally(t *testing.T) {
	site := &versionedSite{pages: map[string]string{}, versions: map[string]int{}, full: map[string]int{}, notMod: map[string]int{}}
	mux := http.NewServeMux()
	mux.Handle("/", site)
	mux.Handle("/old", http.RedirectHandler("/a", http.StatusMovedPermanently))
	srv := serve(t, mux)
	site.set("/", jobPage("Index", "/old"))
	site.set("/a", jobPage("A"))
	src := siteSource(srv.URL, "/")

	st, clk, seen := newMemState(), &clock{now: testNow}, &seenLog{}
	c := newSeenCrawler(st, clk, seen)
	first, _, err := collect(t, c, src)
	if err != nil || len(first) != 2 {
		t.Fatalf("first run: %v, err %v", titles(first), err)
	}
	if _, ok := st.m[validatorKey(srv.URL+"/old")]; !ok {
		t.Errorf("no state under the requested URL %s/old; keys %v", srv.URL, slices.Sorted(maps.Keys(st.m)))
	}
	site.counts()

	clk.set(testNow.Add(24 * time.Hour))
	ps, _, err := collect(t, c, src)
	if err != nil || len(ps) != 0 {
		t.Fatalf("second run emitted %v, err %v; want nothing (both pages unchanged)", titles(ps), err)
	}
	full, notMod := site.counts()
	if len(full) != 0 || notMod["/a"] != 1 || notMod["/"] != 1 {
		t.Errorf("full responses %v, 304s %v; want only 304s, for / and /a", full, notMod)
	}
	if ids, _ := seen.take(); !slices.Equal(ids, keys(first)) {
		t.Errorf("seen %v, want the keys of both pages %v", ids, keys(first))
	}
}
