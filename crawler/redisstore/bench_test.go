package redisstore

import (
	"fmt"
	"testing"
	"time"

	"github.com/gocolly/colly/v2"
)

// BenchmarkQueueRoundTrip measures one request through the shared queue:
// queue it, take it, acknowledge it.
func BenchmarkQueueRoundTrip(b *testing.B) {
	redisURL := startRedis(b)
	ctx := b.Context()
	s, err := New(ctx, redisURL, "bench")
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if err := s.AddURL(ctx, fmt.Sprintf("http://h.test/p/%d", i)); err != nil {
			b.Fatal(err)
		}
		if _, err := s.GetRequest(); err != nil {
			b.Fatal(err)
		}
		s.mu.Lock()
		var id string
		for id = range s.inflight {
		}
		s.mu.Unlock()
		if err := s.ack(ctx, id); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRun crawls a 1,000-page local site with one worker of 8 threads
// through Redis, politeness off, and reports pages per second.
func BenchmarkRun(b *testing.B) {
	redisURL := startRedis(b)
	const pages = 1000
	site := newSite(b, pages)
	ctx := b.Context()
	var total time.Duration
	n := 0
	for b.Loop() {
		n++
		s, err := New(ctx, redisURL, fmt.Sprintf("run%d", n))
		if err != nil {
			b.Fatal(err)
		}
		c := colly.NewCollector(colly.AllowedDomains("127.0.0.1"))
		if err := c.SetStorage(s); err != nil {
			b.Fatal(err)
		}
		c.OnHTML("a[href]", func(e *colly.HTMLElement) {
			s.AddURL(ctx, e.Request.AbsoluteURL(e.Attr("href")))
		})
		if err := s.AddURL(ctx, site.URL+"/p/0"); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := s.Run(ctx, c, 8); err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
		s.Close()
	}
	b.ReportMetric(float64(pages*n)/total.Seconds(), "pages/s")
}
