package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/skilltrend/skilltrend"
	"github.com/skilltrend/skilltrend/config"
)

func TestSitemaps(t *testing.T) {
	var base string
	gz := func(s string) []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write([]byte(s))
		zw.Close()
		return b.Bytes()
	}
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/sitemap.xml":
			w.Header().Set("Content-Type", "application/xml")
			fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>%s/jobs-1.xml</loc></sitemap><sitemap><loc>%s/jobs-2.xml.gz</loc></sitemap></sitemapindex>`, base, base)
		case "/jobs-1.xml":
			w.Header().Set("Content-Type", "text/xml")
			fmt.Fprintf(w, `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>%s/job/1</loc></url><url><loc> %s/job/2 </loc></url>
<url><loc>https://elsewhere.example/job/3</loc></url></urlset>`, base, base)
		case "/jobs-2.xml.gz":
			w.Header().Set("Content-Type", "application/x-gzip")
			w.Write(gz(fmt.Sprintf(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>%s/job/4</loc></url></urlset>`, base)))
		default:
			if strings.HasPrefix(r.URL.Path, "/job/") {
				fmt.Fprint(w, jobPage("Job "+strings.TrimPrefix(r.URL.Path, "/job/")))
				return
			}
			http.NotFound(w, r)
		}
	}))
	base = srv.URL
	src := config.Source{Name: "site", Type: config.TypeJSONLD, Sitemaps: []string{base + "/sitemap.xml"}}
	ps, st, err := collect(t, newTestCrawler(fastPoliteness(), nil), src)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(sorted(titles(ps)), ","); got != "Job 1,Job 2,Job 4" {
		t.Errorf("emitted %s, want the three job pages on the allowed host", got)
	}
	if st.Pages != 6 {
		t.Errorf("pages = %d, want 3 sitemaps and 3 jobs", st.Pages)
	}
}

// Site pages are fetched conditionally on the second run; unchanged pages
// emit nothing, and the links they had are followed again, conditionally.
func TestSiteConditionalGet(t *testing.T) {
	var full, notModified atomic.Int32
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Last-Modified", "Mon, 06 Apr 2026 10:00:00 GMT")
		if r.Header.Get("If-Modified-Since") == "Mon, 06 Apr 2026 10:00:00 GMT" {
			notModified.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		full.Add(1)
		if r.URL.Path == "/" {
			fmt.Fprint(w, jobPage("Index", "/a"))
			return
		}
		fmt.Fprint(w, jobPage("A"))
	}))
	st := newMemState()
	c := newTestCrawler(fastPoliteness(), st)
	if ps, _, err := collect(t, c, siteSource(srv.URL, "/")); err != nil || len(ps) != 2 {
		t.Fatalf("first run: %d postings, err %v", len(ps), err)
	}
	ps, stats, err := collect(t, c, siteSource(srv.URL, "/"))
	if err != nil || len(ps) != 0 || stats.Pages != 2 {
		t.Errorf("second run: %d postings, %d pages, err %v; want 0, 2, nil", len(ps), stats.Pages, err)
	}
	if full.Load() != 2 || notModified.Load() != 2 {
		t.Errorf("%d full and %d conditional responses, want 2 and 2", full.Load(), notModified.Load())
	}
}

func TestRedirectOutsideAllowedDomains(t *testing.T) {
	var other atomic.Int32
	elsewhere := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		other.Add(1)
		fmt.Fprint(w, jobPage("Elsewhere"))
	}))
	// Same address, other host name: outside the allowed domain 127.0.0.1.
	away := strings.Replace(elsewhere.URL, "127.0.0.1", "localhost", 1)
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			fmt.Fprint(w, jobPage("Index", "/away", away+"/direct"))
		case "/away":
			http.Redirect(w, r, away+"/redirected", http.StatusFound)
		}
	}))
	ps, st, err := collect(t, newTestCrawler(fastPoliteness(), nil), siteSource(srv.URL, "/"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || other.Load() != 0 || st.Errors != 1 {
		t.Errorf("%d postings, %d requests to the other host, %d errors; want 1, 0, 1", len(ps), other.Load(), st.Errors)
	}
}

// emit is never called from two goroutines at once, however many workers
// fetch pages.
func TestEmitSerialised(t *testing.T) {
	srv := serve(t, benchSite(300))
	var inside, overlaps atomic.Int32
	n := 0
	pol := fastPoliteness()
	pol.Parallelism = 8
	src := siteSource(srv.URL, "/p/0")
	src.MaxDepth = 300
	_, err := New(Options{Politeness: pol}).Crawl(t.Context(), src, func(context.Context, skilltrend.Posting) error {
		if inside.Add(1) > 1 {
			overlaps.Add(1)
		}
		n++ // a data race here would show under -race
		inside.Add(-1)
		return nil
	})
	if err != nil || n != 300 || overlaps.Load() != 0 {
		t.Errorf("%d postings, %d overlapping emits, err %v", n, overlaps.Load(), err)
	}
}
