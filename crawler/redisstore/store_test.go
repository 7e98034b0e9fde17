package redisstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gocolly/colly/v2"
	"github.com/gocolly/colly/v2/queue"
	"github.com/gocolly/colly/v2/storage"
	"github.com/redis/go-redis/v9"

	"github.com/skilltrend/skilltrend/crawler/redisstore/redistest"
)

// The Store must satisfy both colly interfaces.
var (
	_ storage.Storage = (*Store)(nil)
	_ queue.Storage   = (*Store)(nil)
)

func newStore(t *testing.T, ctx context.Context, redisURL, prefix string, opts ...Option) *Store {
	t.Helper()
	s, err := New(ctx, redisURL, prefix, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func rawClient(t *testing.T, redisURL string) *redis.Client {
	t.Helper()
	o, err := redis.ParseURL(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(o)
	t.Cleanup(func() { c.Close() })
	return c
}

func TestNewRejectsBadInput(t *testing.T) {
	ctx := t.Context()
	port, err := redistest.FreePort() // nothing listens there once it returns
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, url, prefix string
		opts              []Option
		want              string
	}{
		{"empty prefix", "redis://127.0.0.1:6379/0", "", nil, "empty key prefix"},
		{"bad url", "http://127.0.0.1/0", "p", nil, "parse url"},
		{"no server", fmt.Sprintf("redis://127.0.0.1:%d/0", port), "p", nil, "connect"},
		{"short lease", "redis://127.0.0.1:6379/0", "p", []Option{WithLease(time.Millisecond)}, "too short"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := New(ctx, tt.url, tt.prefix, tt.opts...)
			if err == nil {
				s.Close()
				t.Fatal("New succeeded")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
		})
	}
}

func TestNewRegistersWorker(t *testing.T) {
	url := startRedis(t)
	ctx := t.Context()
	a := newStore(t, ctx, url, "st")
	b := newStore(t, ctx, url, "st", WithWorkerID("second"))
	if a.ID() == b.ID() || b.ID() != "second" {
		t.Fatalf("ids %q and %q", a.ID(), b.ID())
	}
	rc := rawClient(t, url)
	got, err := rc.SMembers(ctx, "st:workers").Result()
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	want := []string{a.ID(), b.ID()}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("workers = %v, want %v", got, want)
	}
	if ttl := rc.PTTL(ctx, "st:lease:second").Val(); ttl <= 0 || ttl > 15*time.Second {
		t.Errorf("lease ttl = %v, want within the 15s default", ttl)
	}
	if err := a.Init(); err != nil {
		t.Errorf("Init: %v", err)
	}
	if _, err := New(ctx, url, "st", WithWorkerID("bad id")); err == nil {
		t.Error("worker id with a space accepted")
	}
	if _, err := New(ctx, url, "st", WithWorkerID("second")); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("second worker with a live id: %v", err)
	}
	// A process that reuses a dead worker's id first requeues what it left.
	rc.Del(ctx, "st:lease:second")
	rc.LPush(ctx, "st:processing:second", "second.9 1f\n{}")
	again := newStore(t, ctx, url, "st", WithWorkerID("second"))
	if n := rc.LLen(ctx, "st:queue").Val(); n != 1 {
		t.Errorf("left-over request not requeued: queue length %d", n)
	}
	if !rc.SIsMember(ctx, "st:workers", again.ID()).Val() || rc.Exists(ctx, "st:lease:second").Val() != 1 {
		t.Error("reused id not registered")
	}
}

func TestVisitedSharedAcrossWorkers(t *testing.T) {
	url := startRedis(t)
	ctx := t.Context()
	a := newStore(t, ctx, url, "v")
	b := newStore(t, ctx, url, "v")
	other := newStore(t, ctx, url, "w")

	if v, err := a.IsVisited(42); err != nil || v {
		t.Fatalf("fresh IsVisited = %v, %v", v, err)
	}
	if err := a.Visited(42); err != nil {
		t.Fatalf("Visited: %v", err)
	}
	if v, err := b.IsVisited(42); err != nil || !v {
		t.Errorf("other worker IsVisited = %v, %v, want true", v, err)
	}
	if err := b.Visited(42); err != nil {
		t.Errorf("Visited of a request known to be visited (a revisit) = %v, want nil", err)
	}
	// b checks, finds 43 unvisited, but a marks it first: b lost the race.
	if v, err := b.IsVisited(43); err != nil || v {
		t.Fatalf("IsVisited(43) = %v, %v", v, err)
	}
	if err := a.Visited(43); err != nil {
		t.Fatal(err)
	}
	if err := b.Visited(43); !errors.Is(err, ErrAlreadyVisited) {
		t.Errorf("Visited after losing the race = %v, want ErrAlreadyVisited", err)
	}
	if v, _ := other.IsVisited(42); v {
		t.Error("visited mark leaked to another prefix")
	}
	if v, _ := a.IsVisited(44); v {
		t.Error("unrelated request reported visited")
	}
}

func TestVisitedIsAtomicUnderRace(t *testing.T) {
	url := startRedis(t)
	ctx := t.Context()
	stores := []*Store{newStore(t, ctx, url, "race"), newStore(t, ctx, url, "race"), newStore(t, ctx, url, "race")}
	// Every goroutine does colly's check-then-mark for the same 50 requests;
	// exactly one must win each.
	wins := make([]int, 50)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for g := range 12 {
		s := stores[g%len(stores)]
		wg.Go(func() {
			for id := range uint64(50) {
				if v, err := s.IsVisited(id); err != nil || v {
					continue
				}
				if err := s.Visited(id); err == nil {
					mu.Lock()
					wins[id]++
					mu.Unlock()
				} else if !errors.Is(err, ErrAlreadyVisited) {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	for id, w := range wins {
		if w != 1 {
			t.Errorf("request %d won by %d goroutines, want 1", id, w)
		}
	}
}

func TestCookies(t *testing.T) {
	url := startRedis(t)
	ctx := t.Context()
	a := newStore(t, ctx, url, "c")
	b := newStore(t, ctx, url, "c")
	u1, _ := url2("http://example.test:8080/login")
	u2, _ := url2("http://other.test/")
	if got := a.Cookies(u1); got != "" {
		t.Fatalf("fresh Cookies = %q", got)
	}
	a.SetCookies(u1, "session=abc\nlang=en")
	if got := b.Cookies(u1); got != "session=abc\nlang=en" {
		t.Errorf("other worker Cookies = %q", got)
	}
	if got := b.Cookies(u2); got != "" {
		t.Errorf("cookies leaked to another host: %q", got)
	}
	b.SetCookies(u1, "session=def")
	if got := a.Cookies(u1); got != "session=def" {
		t.Errorf("after replace Cookies = %q", got)
	}
}

func url2(s string) (*url.URL, error) { return url.Parse(s) }

// A session cookie set in one worker's response is sent by another worker.
func TestCookiesSharedThroughColly(t *testing.T) {
	redisURL := startRedis(t)
	ctx := t.Context()
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/login" {
			http.SetCookie(w, &http.Cookie{Name: "session", Value: "s3cret", Path: "/"})
			return
		}
		c, err := r.Cookie("session")
		mu.Lock()
		if err == nil {
			seen = append(seen, c.Value)
		} else {
			seen = append(seen, "")
		}
		mu.Unlock()
	}))
	defer srv.Close()

	a := newStore(t, ctx, redisURL, "cc")
	b := newStore(t, ctx, redisURL, "cc")
	ca, cb := colly.NewCollector(), colly.NewCollector()
	if err := ca.SetStorage(a); err != nil {
		t.Fatal(err)
	}
	if err := cb.SetStorage(b); err != nil {
		t.Fatal(err)
	}
	if err := ca.Visit(srv.URL + "/login"); err != nil {
		t.Fatal(err)
	}
	if err := cb.Visit(srv.URL + "/private"); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(seen, []string{"s3cret"}) {
		t.Errorf("second worker sent session cookies %q, want [s3cret]", seen)
	}
}

// colly retries a request without the revisit check, but its redirect check
// still marks the redirect target; a target visited already must not fail
// the retry.
func TestRetryRedirectedToVisitedPage(t *testing.T) {
	redisURL := startRedis(t)
	var mu sync.Mutex
	flaky := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/flaky" {
			mu.Lock()
			flaky++
			first := flaky == 1
			mu.Unlock()
			if first {
				http.Error(w, "try later", http.StatusServiceUnavailable)
				return
			}
			http.Redirect(w, r, "/home", http.StatusFound)
			return
		}
		fmt.Fprint(w, "home")
	}))
	defer srv.Close()
	s := newStore(t, t.Context(), redisURL, "retry")
	c := colly.NewCollector()
	if err := c.SetStorage(s); err != nil {
		t.Fatal(err)
	}
	var errs []error
	var got []string
	c.OnError(func(r *colly.Response, err error) {
		errs = append(errs, err)
		if len(errs) == 1 {
			r.Request.Retry()
		}
	})
	c.OnResponse(func(r *colly.Response) { got = append(got, r.Request.URL.Path+" "+string(r.Body)) })
	if err := c.Visit(srv.URL + "/home"); err != nil {
		t.Fatal(err)
	}
	c.Visit(srv.URL + "/flaky")
	if len(errs) != 1 || !slices.Equal(got, []string{"/home home", "/home home"}) {
		t.Errorf("errors %v, responses %q; want the 503, then home through the retried redirect", errs, got)
	}
}

func TestQueueOrderAndSize(t *testing.T) {
	url := startRedis(t)
	ctx := t.Context()
	a := newStore(t, ctx, url, "q")
	b := newStore(t, ctx, url, "q")
	c := colly.NewCollector()
	urls := []string{"http://h.test/1", "http://h.test/2", "http://h.test/3"}
	for _, u := range urls {
		if err := a.AddURL(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := b.QueueSize(); err != nil || n != 3 {
		t.Fatalf("QueueSize = %d, %v, want 3", n, err)
	}
	for i, want := range urls {
		s := []*Store{a, b}[i%2]
		raw, err := s.GetRequest()
		if err != nil {
			t.Fatalf("GetRequest %d: %v", i, err)
		}
		r, err := c.UnmarshalRequest(raw)
		if err != nil {
			t.Fatalf("colly cannot read the queued request: %v", err)
		}
		if r.URL.String() != want || r.Method != "GET" {
			t.Errorf("request %d = %s %s, want GET %s", i, r.Method, r.URL, want)
		}
		if r.Ctx.Get(ctxItemKey) == "" {
			t.Errorf("request %d carries no item id", i)
		}
		if n, _ := s.QueueSize(); n != len(urls)-i-1 {
			t.Errorf("QueueSize after %d gets = %d", i+1, n)
		}
	}
	if _, err := a.GetRequest(); err == nil {
		t.Error("GetRequest on an empty queue succeeded")
	}
	// Taken requests wait in the workers' processing lists.
	if n, err := a.Outstanding(ctx); err != nil || n != 3 {
		t.Errorf("Outstanding = %d, %v, want 3 in flight", n, err)
	}
	// A request already visited is not queued again.
	a.mu.Lock()
	var h uint64
	for _, it := range a.inflight {
		h = it.hash
		break
	}
	a.mu.Unlock()
	if err := a.Visited(h); err != nil {
		t.Fatal(err)
	}
	for _, u := range urls {
		if err := b.AddURL(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := a.QueueSize(); n != len(urls)-1 {
		t.Errorf("after re-adding with one visited, QueueSize = %d, want %d", n, len(urls)-1)
	}
	if err := a.AddRequest([]byte("not json")); err == nil {
		t.Error("AddRequest accepted garbage")
	}
}

// colly's own request bytes round-trip, context values included.
func TestAddRequestKeepsCollyFields(t *testing.T) {
	url := startRedis(t)
	ctx := t.Context()
	s := newStore(t, ctx, url, "f")
	c := colly.NewCollector()
	u, _ := url2("http://h.test/form?x=1")
	cctx := colly.NewContext()
	cctx.Put("source", "hn")
	hdr := http.Header{"X-Test": {"yes"}}
	in := &colly.Request{URL: u, Method: "POST", Depth: 3, Ctx: cctx, Headers: &hdr, Body: strings.NewReader("a=b")}
	if err := s.Add(ctx, in); err != nil {
		t.Fatal(err)
	}
	raw, err := s.GetRequest()
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.UnmarshalRequest(raw)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	if out.Method != "POST" || out.Depth != 3 || out.URL.String() != u.String() ||
		out.Ctx.Get("source") != "hn" || out.Headers.Get("X-Test") != "yes" || string(body) != "a=b" {
		t.Errorf("round trip lost fields: %s %s depth %d ctx %q hdr %q body %q",
			out.Method, out.URL, out.Depth, out.Ctx.Get("source"), out.Headers.Get("X-Test"), body)
	}
}

// hashRecorder records the request ids colly asks the storage about.
type hashRecorder struct {
	*Store
	mu   sync.Mutex
	seen []uint64
}

func (h *hashRecorder) IsVisited(id uint64) (bool, error) {
	h.mu.Lock()
	h.seen = append(h.seen, id)
	h.mu.Unlock()
	return h.Store.IsVisited(id)
}

// requestHash must equal the id colly computes, or a dead worker's visited
// marks could not be cleared when its requests are requeued.
func TestRequestHashMatchesColly(t *testing.T) {
	redisURL := startRedis(t)
	ctx := t.Context()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	s := newStore(t, ctx, redisURL, "h")
	rec := &hashRecorder{Store: s}
	c := colly.NewCollector()
	if err := c.SetStorage(rec); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		url  string
		body string
	}{
		{url: srv.URL},
		{url: srv.URL + "/a/../b?q=1&r=%zz"},
		{url: srv.URL + "/caf\u00e9?x=a b#frag"},
		{url: srv.URL + "/post", body: "k=v&w=x"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			u, err := url2(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			r := &colly.Request{URL: u, Method: "GET"}
			if tt.body != "" {
				r.Method = "POST"
				r.Body = strings.NewReader(tt.body)
			}
			if err := s.Add(ctx, r); err != nil {
				t.Fatal(err)
			}
			raw, err := s.GetRequest()
			if err != nil {
				t.Fatal(err)
			}
			s.mu.Lock()
			var want uint64
			var id string
			for _, it := range s.inflight {
				want, id = it.hash, it.id
			}
			s.mu.Unlock()
			req, err := c.UnmarshalRequest(raw)
			if err != nil {
				t.Fatal(err)
			}
			rec.mu.Lock()
			rec.seen = nil
			rec.mu.Unlock()
			if err := req.Do(); err != nil {
				t.Fatalf("Do: %v", err)
			}
			rec.mu.Lock()
			defer rec.mu.Unlock()
			if len(rec.seen) == 0 || rec.seen[0] != want {
				t.Errorf("colly asked about %x, item carries %x", rec.seen, want)
			}
			if err := s.ack(ctx, id); err != nil {
				t.Fatal(err)
			}
		})
	}
}
