package crawler

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/skilltrend/skilltrend"
	"github.com/skilltrend/skilltrend/config"
	"github.com/skilltrend/skilltrend/internal/shareddata"
)

// fastPoliteness is what the tests crawl 127.0.0.1 with: private addresses
// allowed, no delay, robots.txt off unless a test turns it on.
func fastPoliteness() config.Politeness {
	return config.Politeness{Delay: -1, Parallelism: 4, AllowPrivateAddresses: true, Timeout: 5 * time.Second}
}

var testNow = time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC)

func newTestCrawler(pol config.Politeness, st State) *Crawler {
	return New(Options{UserAgent: "skilltrend-test/1.0 (+https://example.org/contact)", Politeness: pol, State: st, Now: func() time.Time { return testNow }})
}

// collect crawls src and returns what it emitted.
func collect(t *testing.T, c *Crawler, src config.Source) ([]skilltrend.Posting, Stats, error) {
	t.Helper()
	var mu sync.Mutex
	var ps []skilltrend.Posting
	st, err := c.Crawl(context.Background(), src, func(_ context.Context, p skilltrend.Posting) error {
		mu.Lock()
		ps = append(ps, p)
		mu.Unlock()
		return nil
	})
	return ps, st, err
}

func serve(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}

// memState is an in-memory State.
type memState struct {
	mu sync.Mutex
	m  map[string]string
}

func newMemState() *memState { return &memState{m: map[string]string{}} }

func (s *memState) GetState(_ context.Context, key string) (string, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[key]
	return v, ok, nil
}

func (s *memState) PutState(_ context.Context, key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key] = value
	return nil
}

// sharedData returns ../shared/data/sub beside the module root, or skips.
func sharedData(t testing.TB, sub string) string {
	return shareddata.Dir(t, sub)
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type postingT = skilltrend.Posting

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	slices.Sort(out)
	return out
}

func sortTimes(ts []time.Time) {
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
}
