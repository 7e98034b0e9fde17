package redisstore

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gocolly/colly/v2"
)

func TestWaitSpacesRequestsAcrossWorkers(t *testing.T) {
	redisURL := startRedis(t)
	ctx := t.Context()
	a := newStore(t, ctx, redisURL, "rl")
	b := newStore(t, ctx, redisURL, "rl")
	const delay = 60 * time.Millisecond
	var starts []time.Time
	for i := range 6 {
		s := []*Store{a, b}[i%2]
		if err := s.Wait(ctx, "h.test", delay); err != nil {
			t.Fatal(err)
		}
		starts = append(starts, time.Now())
	}
	// Tokens are taken at least delay apart; the clock is read just after,
	// so allow a little scheduling slack per start.
	for i := 1; i < len(starts); i++ {
		if gap := starts[i].Sub(starts[i-1]); gap < delay*3/4 {
			t.Errorf("start %d came %v after the previous one, want about %v", i, gap, delay)
		}
	}
	if span, want := starts[len(starts)-1].Sub(starts[0]), time.Duration(len(starts)-1)*delay*95/100; span < want {
		t.Errorf("%d starts spanned %v, want at least %v", len(starts), span, want)
	}
}

func TestWaitHostsAreIndependent(t *testing.T) {
	redisURL := startRedis(t)
	ctx := t.Context()
	s := newStore(t, ctx, redisURL, "rl")
	const delay = time.Minute
	if err := s.Wait(ctx, "a.test", delay); err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if err := s.Wait(short, "b.test", delay); err != nil {
		t.Errorf("other host waited on a.test's token: %v", err)
	}
	if err := s.Wait(short, "a.test", delay); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("second Wait for a.test within the delay = %v, want deadline exceeded", err)
	}
	if err := s.Wait(ctx, "a.test", 0); err != nil {
		t.Errorf("zero delay waited: %v", err)
	}
	other := newStore(t, ctx, redisURL, "rl2")
	short2, cancel2 := context.WithTimeout(ctx, time.Second)
	defer cancel2()
	if err := other.Wait(short2, "a.test", delay); err != nil {
		t.Errorf("another prefix shares the token: %v", err)
	}
}

func TestRateLimitHook(t *testing.T) {
	redisURL := startRedis(t)
	ctx := t.Context()
	site := newSite(t, 5)
	s := newStore(t, ctx, redisURL, "hook")
	const delay = 40 * time.Millisecond
	c := colly.NewCollector(colly.AllowedDomains("127.0.0.1"))
	if err := c.SetStorage(s); err != nil {
		t.Fatal(err)
	}
	s.RateLimit(c, delay)
	c.OnHTML("a[href]", func(e *colly.HTMLElement) {
		s.AddURL(ctx, e.Request.AbsoluteURL(e.Attr("href")))
	})
	if err := s.AddURL(ctx, site.URL+"/p/0"); err != nil {
		t.Fatal(err)
	}
	if err := s.Run(ctx, c, 4); err != nil {
		t.Fatal(err)
	}
	site.checkExactlyOnce(t)
	// Arrival times carry scheduling jitter; the span cannot shrink much.
	var span time.Duration
	gaps := site.gaps()
	for _, g := range gaps {
		span += g
	}
	if want := time.Duration(len(gaps)) * delay * 9 / 10; span < want {
		t.Errorf("%d requests with 4 threads spanned %v, want at least %v", len(gaps)+1, span, want)
	}
}
