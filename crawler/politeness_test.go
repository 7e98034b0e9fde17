package crawler

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/skilltrend/skilltrend/config"
)

// jobPage is a career-site page with one JSON-LD JobPosting and links.
func jobPage(title string, links ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<!doctype html><html><head><title>%s</title>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"JobPosting","title":%q,
"identifier":{"@type":"PropertyValue","value":%q},"description":"<p>Build APIs in Go.</p>",
"hiringOrganization":{"@type":"Organization","name":"Acme"},"datePosted":"2026-04-01"}</script></head><body>`, title, title, title)
	for _, l := range links {
		fmt.Fprintf(&b, `<a href="%s">next</a>`, l)
	}
	b.WriteString("</body></html>")
	return b.String()
}

// siteServer serves pages by path and records every request.
type siteServer struct {
	mu     sync.Mutex
	hits   []string
	agents []string
	times  map[string][]time.Time
	robots string // body of /robots.txt; "" means 404
	pages  map[string]string
}

func (s *siteServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits = append(s.hits, r.URL.RequestURI())
	s.agents = append(s.agents, r.UserAgent())
	if s.times == nil {
		s.times = map[string][]time.Time{}
	}
	s.times[r.URL.Path] = append(s.times[r.URL.Path], time.Now())
	s.mu.Unlock()
	if r.URL.Path == "/robots.txt" {
		if s.robots == "" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, s.robots)
		return
	}
	page, ok := s.pages[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, page)
}

func (s *siteServer) hit(path string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, h := range s.hits {
		if h == path {
			return true
		}
	}
	return false
}

func siteSource(base string, start ...string) config.Source {
	src := config.Source{Name: "site", Type: config.TypeJSONLD}
	for _, p := range start {
		src.StartURLs = append(src.StartURLs, base+p)
	}
	return src
}

func titles(ps []postingT) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Title)
	}
	return out
}

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func loggedCrawler(pol config.Politeness) (*Crawler, *syncBuffer) {
	buf := &syncBuffer{}
	c := New(Options{UserAgent: "skilltrend-test/1.0 (+https://example.org/contact)", Politeness: pol, Now: func() time.Time { return testNow },
		Logger: slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	return c, buf
}

func TestRobotsTxt(t *testing.T) {
	pages := map[string]string{
		"/":            jobPage("Index", "/public/1", "/private/1", "/slow/1"),
		"/public/1":    jobPage("Public"),
		"/private/1":   jobPage("Private"),
		"/slow/1":      jobPage("Slow"),
		"/after-cap/1": jobPage("AfterCap"),
	}
	tests := []struct {
		name      string
		robots    string
		handler   func(http.ResponseWriter, *http.Request) bool // true: handled
		want      []string                                      // titles emitted
		wantErr   error
		notHit    []string
		crawlTime time.Duration
	}{
		{name: "no robots.txt allows all", want: []string{"Index", "Public", "Private", "Slow"}},
		{name: "disallow obeyed", robots: "User-agent: *\nDisallow: /private\n", want: []string{"Index", "Public", "Slow"}, notHit: []string{"/private/1"}},
		{name: "group for our agent wins", robots: "User-agent: *\nAllow: /\n\nUser-agent: skilltrend-test\nDisallow: /public\nDisallow: /slow\n",
			want: []string{"Index", "Private"}, notHit: []string{"/public/1", "/slow/1"}},
		{name: "5xx skips the host", handler: func(w http.ResponseWriter, r *http.Request) bool {
			if r.URL.Path == "/robots.txt" {
				http.Error(w, "down", http.StatusServiceUnavailable)
				return true
			}
			return false
		}, wantErr: errHostSkipped, notHit: []string{"/"}},
		{name: "timeout skips the host", handler: func(w http.ResponseWriter, r *http.Request) bool {
			if r.URL.Path == "/robots.txt" {
				time.Sleep(1500 * time.Millisecond)
				return true
			}
			return false
		}, wantErr: errHostSkipped, notHit: []string{"/"}},
		{name: "crawl-delay over 30s skips the host", robots: "User-agent: *\nCrawl-delay: 60\n", wantErr: errHostSkipped, notHit: []string{"/"}},
		{name: "only the first 512 KiB are read", robots: "User-agent: *\nDisallow: /private\n#" + strings.Repeat("x", 600<<10) + "\nDisallow: /public\n",
			want: []string{"Index", "Public", "Slow"}, notHit: []string{"/private/1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &siteServer{robots: tt.robots, pages: pages}
			srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.handler != nil && tt.handler(w, r) {
					s.mu.Lock()
					s.hits = append(s.hits, r.URL.RequestURI())
					s.mu.Unlock()
					return
				}
				s.ServeHTTP(w, r)
			}))
			pol := fastPoliteness()
			pol.ObeyRobots = true
			pol.Timeout = time.Second
			ps, _, err := collect(t, newTestCrawler(pol, nil), siteSource(srv.URL, "/"))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(sorted(titles(ps)), ","); got != strings.Join(sorted(tt.want), ",") {
				t.Errorf("emitted %s, want %s", got, strings.Join(sorted(tt.want), ","))
			}
			for _, p := range tt.notHit {
				if s.hit(p) {
					t.Errorf("%s was fetched", p)
				}
			}
		})
	}
}

func TestCrawlDelayHonoured(t *testing.T) {
	s := &siteServer{robots: "User-agent: *\nCrawl-delay: 1\n", pages: map[string]string{"/": jobPage("A", "/b"), "/b": jobPage("B")}}
	srv := serve(t, s)
	pol := fastPoliteness()
	pol.ObeyRobots = true
	if _, _, err := collect(t, newTestCrawler(pol, nil), siteSource(srv.URL, "/")); err != nil {
		t.Fatal(err)
	}
	gap := s.times["/b"][0].Sub(s.times["/"][0])
	if gap < 900*time.Millisecond {
		t.Errorf("pages fetched %s apart, robots.txt asks for 1s", gap)
	}
}

// With the default politeness (1s delay, parallelism 1) a host sees at most
// one request per second.
func TestDefaultDelayPerHost(t *testing.T) {
	s := &siteServer{pages: map[string]string{"/": jobPage("A", "/b", "/c"), "/b": jobPage("B"), "/c": jobPage("C")}}
	srv := serve(t, s)
	pol := config.DefaultPoliteness()
	pol.AllowPrivateAddresses = true
	c := newTestCrawler(pol, nil)
	ps, _, err := collect(t, c, siteSource(srv.URL, "/"))
	if err != nil || len(ps) != 3 {
		t.Fatalf("got %d postings, err %v", len(ps), err)
	}
	var starts []time.Time
	for _, p := range []string{"/", "/b", "/c"} {
		starts = append(starts, s.times[p][0])
	}
	sortTimes(starts)
	for i := 1; i < len(starts); i++ {
		if gap := starts[i].Sub(starts[i-1]); gap < 950*time.Millisecond {
			t.Errorf("requests %d and %d were %s apart, want >= 1s", i-1, i, gap)
		}
	}
}

func TestParallelismPerHost(t *testing.T) {
	var mu sync.Mutex
	inFlight, peak, total := 0, 0, 0
	links := []string{}
	for i := range 12 {
		links = append(links, fmt.Sprintf("/job/%d", i))
	}
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		total++
		peak = max(peak, inFlight)
		mu.Unlock()
		time.Sleep(40 * time.Millisecond)
		mu.Lock()
		inFlight--
		mu.Unlock()
		if r.URL.Path == "/" {
			fmt.Fprint(w, jobPage("Index", links...))
			return
		}
		fmt.Fprint(w, jobPage(r.URL.Path))
	}))
	pol := fastPoliteness()
	pol.Parallelism = 3
	ps, _, err := collect(t, newTestCrawler(pol, nil), siteSource(srv.URL, "/"))
	if err != nil || len(ps) != 13 {
		t.Fatalf("got %d postings, err %v", len(ps), err)
	}
	if peak != 3 {
		t.Errorf("peak concurrent requests = %d, want 3", peak)
	}
}

func TestUserAgentSent(t *testing.T) {
	s := &siteServer{robots: "User-agent: *\nAllow: /\n", pages: map[string]string{"/": jobPage("A")}}
	srv := serve(t, s)
	pol := fastPoliteness()
	pol.ObeyRobots = true
	if _, _, err := collect(t, newTestCrawler(pol, nil), siteSource(srv.URL, "/")); err != nil {
		t.Fatal(err)
	}
	if len(s.agents) != 2 {
		t.Fatalf("got %d requests, want robots.txt and the page", len(s.agents))
	}
	for i, ua := range s.agents {
		if ua != "skilltrend-test/1.0 (+https://example.org/contact)" {
			t.Errorf("request %s sent User-Agent %q", s.hits[i], ua)
		}
	}
	if New(Options{}).opts.UserAgent != DefaultUserAgent || !strings.Contains(DefaultUserAgent, "skilltrend") {
		t.Error("default User-Agent does not name skilltrend")
	}
}
