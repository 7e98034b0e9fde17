package redisstore

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// site is a local web site of n pages, /p/0 to /p/n-1, that link to each
// other; every page is reachable from /p/0. It counts on the server side
// which pages were served, to whom (User-Agent) and when requests arrived.
type site struct {
	*httptest.Server
	n int

	mu      sync.Mutex
	served  map[string]int         // path -> responses written
	by      map[string]map[int]int // user agent -> page -> responses
	arrived []time.Time            // arrival time of every page request
	hung    []string               // paths held open by hold

	// hold, when set, is asked about each request before it is served;
	// true keeps the request open until the client goes away, unserved.
	hold func(ua string, servedToUA int) bool
	// slow is slept before serving each page.
	slow time.Duration
}

// newSite starts the site after configure has set hold and slow, which the
// handler then reads without locking.
func newSite(t testing.TB, n int, configure ...func(*site)) *site {
	s := &site{n: n, served: make(map[string]int), by: make(map[string]map[int]int)}
	for _, f := range configure {
		f(s)
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *site) serve(w http.ResponseWriter, r *http.Request) {
	var i int
	if _, err := fmt.Sscanf(r.URL.Path, "/p/%d", &i); err != nil || i < 0 || i >= s.n {
		http.NotFound(w, r)
		return
	}
	ua := r.UserAgent()
	s.mu.Lock()
	s.arrived = append(s.arrived, time.Now())
	hold := s.hold != nil && s.hold(ua, len(s.by[ua]))
	if hold {
		s.hung = append(s.hung, r.URL.Path)
	}
	s.mu.Unlock()
	if hold {
		<-r.Context().Done()
		return
	}
	time.Sleep(s.slow)
	var b strings.Builder
	fmt.Fprintf(&b, "<html><body><h1>page %d</h1>", i)
	for _, j := range []int{(i + 1) % s.n, (i * 7) % s.n, (i*13 + 5) % s.n, 0} {
		fmt.Fprintf(&b, `<a href="/p/%d">page %d</a> `, j, j)
	}
	b.WriteString(`<a href="https://elsewhere.invalid/x">off site</a></body></html>`)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, b.String())
	s.mu.Lock()
	s.served[r.URL.Path]++
	if s.by[ua] == nil {
		s.by[ua] = make(map[int]int)
	}
	s.by[ua][i]++
	s.mu.Unlock()
}

// checkExactlyOnce fails t unless every page was served exactly once.
func (s *site) checkExactlyOnce(t *testing.T) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var missing, dup []string
	for i := range s.n {
		p := fmt.Sprintf("/p/%d", i)
		switch c := s.served[p]; {
		case c == 0:
			missing = append(missing, p)
		case c > 1:
			dup = append(dup, fmt.Sprintf("%s x%d", p, c))
		}
	}
	if len(missing) > 0 || len(dup) > 0 {
		t.Errorf("pages never served: %d %v; served more than once: %d %v", len(missing), head(missing), len(dup), head(dup))
	}
}

func head(s []string) []string {
	return s[:min(len(s), 10)]
}

// gaps returns the sorted arrival times' consecutive differences.
func (s *site) gaps() []time.Duration {
	s.mu.Lock()
	ts := append([]time.Time(nil), s.arrived...)
	s.mu.Unlock()
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	var g []time.Duration
	for i := 1; i < len(ts); i++ {
		g = append(g, ts[i].Sub(ts[i-1]))
	}
	return g
}
