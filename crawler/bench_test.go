package crawler

import (
	"context"
	"net/http"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/skilltrend/skilltrend"
	"github.com/skilltrend/skilltrend/config"
)

// benchSite serves n career pages on one host: page i holds one JobPosting
// and links to pages 2i+1 and 2i+2 (a binary tree), to the home page and to
// its neighbour, so the crawler meets as many duplicate links as new ones.
func benchSite(n int) http.Handler {
	// The page is a template with the number spliced in, so that serving
	// costs little next to crawling.
	parts := strings.Split(`<!doctype html><html><head><title>Job #</title><script type="application/ld+json">{"@context":"https://schema.org","@type":"JobPosting",`+
		`"title":"Backend Engineer #","identifier":{"@type":"PropertyValue","value":"job-#"},"datePosted":"2026-04-01",`+
		`"hiringOrganization":{"@type":"Organization","name":"Acme"},"jobLocation":{"@type":"Place","address":{"@type":"PostalAddress","addressLocality":"Berlin","addressCountry":"DE"}},`+
		`"employmentType":"FULL_TIME","baseSalary":{"@type":"MonetaryAmount","currency":"EUR","value":{"@type":"QuantitativeValue","minValue":70000,"maxValue":90000,"unitText":"YEAR"}},`+
		`"description":"<p>We build logistics APIs in Go and PostgreSQL.</p><ul><li>Kafka</li><li>Kubernetes</li></ul><p>Hybrid, two days a week in the office.</p>"}</script></head>`+
		`<body><h1>Backend Engineer #</h1><p>About the team and the role, in a paragraph of ordinary length for a job page.</p>`, "#")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/p/"))
		if err != nil || i < 0 || i >= n {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		b := make([]byte, 0, 2048)
		for k, p := range parts {
			if k > 0 {
				b = strconv.AppendInt(b, int64(i), 10)
			}
			b = append(b, p...)
		}
		for _, j := range []int{2*i + 1, 2*i + 2, 0, i + 1} {
			if j < n {
				b = append(b, `<a href="/p/`...)
				b = strconv.AppendInt(b, int64(j), 10)
				b = append(b, `">another job</a> `...)
			}
		}
		b = append(b, "</body></html>"...)
		w.Write(b)
	})
}

// BenchmarkCrawlSite crawls 100,000 pages from a local server with
// politeness off and reports pages/s and the peak live heap.
func BenchmarkCrawlSite(b *testing.B) {
	const pages = 100_000
	srv := serve(b, benchSite(pages))
	for b.Loop() {
		pol := config.Politeness{Delay: -1, Parallelism: 16, AllowPrivateAddresses: true, Timeout: 10 * time.Second}
		c := New(Options{Politeness: pol})
		src := config.Source{Name: "bench", Type: config.TypeJSONLD, StartURLs: []string{srv.URL + "/p/0"}, MaxPages: pages, MaxDepth: 40}
		var n atomic.Int64
		stop := make(chan struct{})
		peak := make(chan uint64)
		go samplePeakHeap(stop, peak)
		cpu0 := cpuTime()
		start := time.Now()
		st, err := c.Crawl(context.Background(), src, func(_ context.Context, p skilltrend.Posting) error {
			n.Add(1)
			return nil
		})
		elapsed := time.Since(start)
		cpu := cpuTime() - cpu0
		close(stop)
		heap := <-peak
		if err != nil {
			b.Fatal(err)
		}
		if st.Pages != pages || n.Load() != pages {
			b.Fatalf("crawled %d pages, %d postings; want %d", st.Pages, n.Load(), pages)
		}
		b.ReportMetric(float64(pages)/elapsed.Seconds(), "pages/s")
		b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MB")
		// CPU seconds of the whole process (crawler and test server): on a
		// shared machine pages per CPU second is steadier than pages/s.
		b.ReportMetric(float64(pages)/cpu.Seconds(), "pages/cpu-s")
	}
}

func samplePeakHeap(stop <-chan struct{}, out chan<- uint64) {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		metrics.Read(s)
		peak = max(peak, s[0].Value.Uint64())
		select {
		case <-stop:
			out <- peak
			return
		case <-t.C:
		}
	}
}
