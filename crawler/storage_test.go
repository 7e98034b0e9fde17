package crawler

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gocolly/colly/v2/queue"
	"github.com/gocolly/colly/v2/storage"

	"github.com/skilltrend/skilltrend"
)

// sharedStore stands in for a distributed store: colly's visited set and
// cookie jar plus a request queue, counting what goes through it.
type sharedStore struct {
	storage.InMemoryStorage
	q       queue.InMemoryQueueStorage
	visited atomic.Int32
	queued  atomic.Int32
}

func (s *sharedStore) Init() error {
	if err := s.InMemoryStorage.Init(); err != nil {
		return err
	}
	return s.q.Init()
}

func (s *sharedStore) Visited(id uint64) error {
	s.visited.Add(1)
	return s.InMemoryStorage.Visited(id)
}

func (s *sharedStore) AddRequest(r []byte) error {
	s.queued.Add(1)
	return s.q.AddRequest(r)
}

func (s *sharedStore) GetRequest() ([]byte, error) { return s.q.GetRequest() }
func (s *sharedStore) QueueSize() (int, error)     { return s.q.QueueSize() }

func TestStorageOptionUsed(t *testing.T) {
	s := &siteServer{pages: map[string]string{"/": jobPage("A", "/b", "/c"), "/b": jobPage("B", "/"), "/c": jobPage("C")}}
	srv := serve(t, s)
	st := &sharedStore{}
	c := New(Options{Politeness: fastPoliteness(), Storage: st})
	ps, _, err := collect(t, c, siteSource(srv.URL, "/"))
	if err != nil || len(ps) != 3 {
		t.Fatalf("got %d postings, err %v", len(ps), err)
	}
	if st.visited.Load() != 3 || st.queued.Load() != 3 {
		t.Errorf("storage saw %d visits and %d queued requests, want 3 and 3", st.visited.Load(), st.queued.Load())
	}
}

func TestCancelStopsCrawl(t *testing.T) {
	srv := serve(t, benchSite(1000))
	ctx, cancel := context.WithCancel(t.Context())
	var n atomic.Int32
	pol := fastPoliteness()
	pol.Delay = 50 * time.Millisecond
	done := make(chan error, 1)
	go func() {
		_, err := New(Options{Politeness: pol}).Crawl(ctx, siteSource(srv.URL, "/p/0"), func(context.Context, skilltrend.Posting) error {
			if n.Add(1) == 5 {
				cancel()
			}
			return nil
		})
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if n.Load() > 10 {
			t.Errorf("%d postings after cancel at 5", n.Load())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("crawl did not stop after cancel")
	}
}

func TestEmitErrorStopsCrawl(t *testing.T) {
	srv := serve(t, benchSite(1000))
	boom := errors.New("disk full")
	var n atomic.Int32
	_, err := New(Options{Politeness: fastPoliteness()}).Crawl(t.Context(), siteSource(srv.URL, "/p/0"), func(context.Context, skilltrend.Posting) error {
		n.Add(1)
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want it to wrap %v", err, boom)
	}
	if n.Load() > 8 {
		t.Errorf("emit called %d times after failing", n.Load())
	}
}
