package redisstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gocolly/colly/v2"
	"github.com/gocolly/colly/v2/queue"
)

// takeAndMark takes the next request the way colly would run it: into the
// processing list, then marked visited by this worker.
func takeAndMark(t *testing.T, s *Store) item {
	t.Helper()
	if _, err := s.GetRequest(); err != nil {
		t.Fatalf("GetRequest: %v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var newest item
	for _, it := range s.inflight {
		if newest.id == "" || it.id > newest.id {
			newest = it
		}
	}
	if err := s.rdb.HSetNX(s.ctx, s.key("visited"), hashField(newest.hash), s.id).Err(); err != nil {
		t.Fatal(err)
	}
	return newest
}

func TestDeadWorkerRequestsAreRequeued(t *testing.T) {
	redisURL := startRedis(t)
	ctx := t.Context()
	const lease = 600 * time.Millisecond
	deadCtx, kill := context.WithCancel(ctx)
	dead := newStore(t, deadCtx, redisURL, "r", WithLease(lease), WithWorkerID("dead"))
	live := newStore(t, ctx, redisURL, "r", WithLease(lease), WithWorkerID("live"))

	for i := range 4 {
		if err := live.AddURL(ctx, fmt.Sprintf("http://h.test/%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	d0 := takeAndMark(t, dead)
	d1 := takeAndMark(t, dead)
	l2 := takeAndMark(t, live)
	// The live worker marked /1 too, as if it had fetched it before: that
	// mark is not the dead worker's and must survive.
	if err := live.rdb.HSet(ctx, live.key("visited"), hashField(d1.hash), "live").Err(); err != nil {
		t.Fatal(err)
	}

	// A request whose hash prints with few digits, with its visited mark.
	small := `dead.x 1f` + "\n" + `{"URL":"http://h.test/small","Method":"GET"}`
	if err := dead.rdb.RPush(ctx, dead.processingKey("dead"), small).Err(); err != nil {
		t.Fatal(err)
	}
	if err := dead.Visited(0x1f); err != nil {
		t.Fatal(err)
	}

	// An orphan processing list, of a worker no longer registered.
	orphan := `gone.1 2a` + "\n" + `{"URL":"http://h.test/orphan","Method":"GET"}`
	if err := dead.rdb.RPush(ctx, dead.processingKey("gone"), orphan).Err(); err != nil {
		t.Fatal(err)
	}

	// While the lease holds nothing moves.
	if n, err := live.QueueSize(); err != nil || n != 2 {
		t.Fatalf("QueueSize with both alive = %d, %v, want 1 + the orphan", n, err)
	}
	if raw, err := live.GetRequest(); err != nil || !strings.Contains(string(raw), "/orphan") {
		t.Fatalf("first request = %s, %v, want the orphan", raw, err)
	}
	kill() // the dead worker stops renewing its lease, as if SIGKILLed
	deadline := time.Now().Add(5 * time.Second)
	for {
		n, err := live.QueueSize()
		if err != nil {
			t.Fatal(err)
		}
		if n == 4 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("dead worker's requests not requeued: queue size %d", n)
		}
		time.Sleep(lease / 3)
	}
	// The requeued requests come first, oldest first.
	var got []string
	for range 4 {
		raw, err := live.GetRequest()
		if err != nil {
			t.Fatal(err)
		}
		r, err := colly.NewCollector().UnmarshalRequest(raw)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, r.URL.Path)
	}
	if want := []string{"/small", "/0", "/1", "/3"}; !slices.Equal(got, want) {
		t.Errorf("order after requeue = %v, want %v", got, want)
	}
	if v, _ := live.IsVisited(0x1f); v {
		t.Error("dead worker's visited mark 1f survived")
	}
	if v, _ := live.IsVisited(d0.hash); v {
		t.Error("dead worker's visited mark survived: its request would be skipped")
	}
	if v, _ := live.IsVisited(d1.hash); !v {
		t.Error("another worker's visited mark was cleared")
	}
	if v, _ := live.IsVisited(l2.hash); !v {
		t.Error("live worker's mark was cleared")
	}
	workers, _ := live.rdb.SMembers(ctx, live.key("workers")).Result()
	if !slices.Equal(workers, []string{"live"}) {
		t.Errorf("workers after reaping = %v", workers)
	}
	if n := live.rdb.Exists(ctx, live.processingKey("dead")).Val(); n != 0 {
		t.Error("dead worker's processing list still exists")
	}
}

func TestAckAndClose(t *testing.T) {
	redisURL := startRedis(t)
	ctx := t.Context()
	s, err := New(ctx, redisURL, "a", WithWorkerID("w"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := s.AddURL(ctx, fmt.Sprintf("http://h.test/%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	done := takeAndMark(t, s)
	pending := takeAndMark(t, s)
	if err := s.ack(ctx, done.id); err != nil {
		t.Fatal(err)
	}
	if err := s.ack(ctx, done.id); err != nil { // twice is harmless
		t.Fatal(err)
	}
	if n := s.rdb.LLen(ctx, s.processingKey("w")).Val(); n != 1 {
		t.Fatalf("processing list holds %d after one ack, want 1", n)
	}
	rc := rawClient(t, redisURL)
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	// The unacknowledged request is back on the queue and can be fetched
	// again; the acknowledged one stays visited.
	if n := rc.LLen(ctx, "a:queue").Val(); n != 2 {
		t.Errorf("queue after Close = %d, want 2", n)
	}
	if rc.HExists(ctx, "a:visited", hashField(pending.hash)).Val() {
		t.Error("mark of the requeued request kept")
	}
	if !rc.HExists(ctx, "a:visited", hashField(done.hash)).Val() {
		t.Error("mark of the finished request lost")
	}
	if rc.SIsMember(ctx, "a:workers", "w").Val() || rc.Exists(ctx, "a:lease:w", "a:processing:w").Val() != 0 {
		t.Error("closed worker still registered")
	}
}

func TestReset(t *testing.T) {
	redisURL := startRedis(t)
	ctx := t.Context()
	a := newStore(t, ctx, redisURL, "x*[1]")
	b := newStore(t, ctx, redisURL, "x")
	for _, s := range []*Store{a, b} {
		if err := s.AddURL(ctx, "http://h.test/"); err != nil {
			t.Fatal(err)
		}
		if err := s.Visited(7); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	rc := rawClient(t, redisURL)
	keys := rc.Keys(ctx, "*").Val()
	slices.Sort(keys)
	for _, k := range keys {
		if len(k) >= 5 && k[:5] == "x*[1]" {
			t.Errorf("key %q survived Reset", k)
		}
	}
	if v, _ := b.IsVisited(7); !v {
		t.Errorf("Reset of one prefix touched another; keys left: %v", keys)
	}
}

func TestRunCrawlsEachPageOnce(t *testing.T) {
	redisURL := startRedis(t)
	ctx := t.Context()
	site := newSite(t, 40)
	s := newStore(t, ctx, redisURL, "run")
	c := colly.NewCollector(colly.AllowedDomains("127.0.0.1"))
	if err := c.SetStorage(s); err != nil {
		t.Fatal(err)
	}
	c.OnHTML("a[href]", func(e *colly.HTMLElement) {
		if err := s.AddURL(ctx, e.Request.AbsoluteURL(e.Attr("href"))); err != nil {
			t.Error(err)
		}
	})
	if err := s.AddURL(ctx, site.URL+"/p/0"); err != nil {
		t.Fatal(err)
	}
	if err := s.Run(ctx, c, 4); err != nil {
		t.Fatalf("Run: %v", err)
	}
	site.checkExactlyOnce(t)
	if n, err := s.Outstanding(ctx); err != nil || n != 0 {
		t.Errorf("Outstanding after Run = %d, %v", n, err)
	}
	if err := s.Run(ctx, colly.NewCollector(colly.Async()), 1); err == nil {
		t.Error("Run accepted an async collector")
	}
	if err := s.Run(ctx, c, 1000); err == nil {
		t.Error("Run accepted more threads than Redis connections")
	}
}

func TestRunStopsOnCancel(t *testing.T) {
	redisURL := startRedis(t)
	s := newStore(t, t.Context(), redisURL, "cancel", WithPollInterval(20*time.Millisecond))
	ctx, cancel := context.WithCancel(t.Context())
	c := colly.NewCollector()
	if err := c.SetStorage(s); err != nil {
		t.Fatal(err)
	}
	// Another worker holds a request forever, so the crawl is never over.
	other := newStore(t, t.Context(), redisURL, "cancel")
	if err := other.AddURL(ctx, "http://h.test/"); err != nil {
		t.Fatal(err)
	}
	if _, err := other.GetRequest(); err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() { errc <- s.Run(ctx, c, 2) }()
	time.Sleep(100 * time.Millisecond)
	select {
	case err := <-errc:
		t.Fatalf("Run returned while another worker held a request: %v", err)
	default:
	}
	cancel()
	select {
	case err := <-errc:
		if err != context.Canceled {
			t.Errorf("Run = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

// With colly's own queue.Queue, AckOnDone acknowledges fetched requests and
// the visited check acknowledges duplicates; only filtered requests remain
// until Close gives them back.
func TestCollyQueueWithAckOnDone(t *testing.T) {
	redisURL := startRedis(t)
	ctx := t.Context()
	site := newSite(t, 30)
	s := newStore(t, ctx, redisURL, "cq", WithWorkerID("cq"))
	c := colly.NewCollector(colly.AllowedDomains("127.0.0.1"))
	if err := c.SetStorage(s); err != nil {
		t.Fatal(err)
	}
	s.AckOnDone(c)
	q, err := queue.New(3, s)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	offsite := 0
	c.OnHTML("a[href]", func(e *colly.HTMLElement) {
		u := e.Request.AbsoluteURL(e.Attr("href"))
		if u == "https://elsewhere.invalid/x" {
			mu.Lock()
			offsite++
			mu.Unlock()
		}
		r, err := e.Request.New("GET", u, nil)
		if err != nil {
			t.Error(err)
			return
		}
		if err := q.AddRequest(r); err != nil {
			t.Error(err)
		}
	})
	if err := q.AddURL(site.URL + "/p/0"); err != nil {
		t.Fatal(err)
	}
	if err := q.Run(c); err != nil {
		t.Fatal(err)
	}
	site.checkExactlyOnce(t)
	left := s.rdb.LLen(ctx, s.processingKey("cq")).Val()
	if int(left) != offsite || offsite == 0 {
		t.Errorf("processing list holds %d requests, want only the %d filtered off-site links", left, offsite)
	}
}
