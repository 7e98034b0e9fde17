package crawler

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"

	"github.com/skilltrend/skilltrend/config"
)

func greenhouseBody(titles ...string) string {
	var jobs []string
	for i, t := range titles {
		jobs = append(jobs, fmt.Sprintf(`{"id":%d,"title":%q,"absolute_url":"https://example.org/j/%d","updated_at":"2026-04-02T10:00:00-04:00","location":{"name":"Remote"},"content":"&lt;p&gt;Go and PostgreSQL&lt;/p&gt;"}`, i+1, t, i+1))
	}
	return `{"jobs":[` + strings.Join(jobs, ",") + `],"meta":{"total":` + fmt.Sprint(len(titles)) + `}}`
}

func ghSource(base string) config.Source {
	return config.Source{Name: "gh-acme", Type: config.TypeGreenhouse, Board: "acme", BaseURL: base}
}

func TestRetries(t *testing.T) {
	tests := []struct {
		name     string
		fail     []int // statuses before success; a 0 ends the list
		header   string
		wantHits int32
		wantErr  string
		minWait  time.Duration
	}{
		{name: "429 with Retry-After", fail: []int{429}, header: "1", wantHits: 2, minWait: time.Second},
		{name: "503 with Retry-After", fail: []int{503}, header: "1", wantHits: 2, minWait: time.Second},
		{name: "500 then 200", fail: []int{500}, wantHits: 2},
		{name: "500 twice then 200", fail: []int{500, 502}, wantHits: 3},
		{name: "500 three times gives up", fail: []int{500, 500, 500, 500}, wantHits: 3, wantErr: "500"},
		{name: "Retry-After too long is not waited for", fail: []int{503}, header: "3600", wantHits: 1, wantErr: "retry after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits atomic.Int32
			srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := int(hits.Add(1))
				if n <= len(tt.fail) {
					if tt.header != "" {
						w.Header().Set("Retry-After", tt.header)
					}
					w.WriteHeader(tt.fail[n-1])
					return
				}
				fmt.Fprint(w, greenhouseBody("Backend Engineer"))
			}))
			start := time.Now()
			ps, _, err := collect(t, newTestCrawler(fastPoliteness(), nil), ghSource(srv.URL))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one mentioning %q", err, tt.wantErr)
				}
			} else if err != nil || len(ps) != 1 {
				t.Fatalf("got %d postings, err %v", len(ps), err)
			}
			if hits.Load() != tt.wantHits {
				t.Errorf("server saw %d requests, want %d", hits.Load(), tt.wantHits)
			}
			if waited := time.Since(start); waited < tt.minWait {
				t.Errorf("retried after %s, Retry-After asked for %s", waited, tt.minWait)
			}
		})
	}
}

func TestBackoffIsJittered(t *testing.T) {
	resp := &http.Response{StatusCode: 500, Header: http.Header{}}
	seen := map[time.Duration]bool{}
	for range 20 {
		d, ok := retryWait(resp, 2)
		if !ok || d < backoffBase || d > 3*backoffBase {
			t.Fatalf("wait %s for try 2, want within [%s, %s]", d, backoffBase, 3*backoffBase)
		}
		seen[d] = true
	}
	if len(seen) < 10 {
		t.Errorf("only %d distinct waits in 20 draws: no jitter", len(seen))
	}
	if _, ok := retryWait(&http.Response{StatusCode: 404, Header: http.Header{}}, 1); ok {
		t.Error("404 retried")
	}
}

// A server that sends a byte every 100 ms trips the per-request deadline;
// the other pages of the crawl are still collected.
func TestSlowDripServer(t *testing.T) {
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			fmt.Fprint(w, jobPage("Index", "/drip", "/ok"))
		case "/ok":
			fmt.Fprint(w, jobPage("OK"))
		case "/drip":
			w.Header().Set("Content-Type", "text/html")
			for range 100 {
				if _, err := w.Write([]byte(" ")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(100 * time.Millisecond):
				}
			}
		}
	}))
	pol := fastPoliteness()
	pol.Timeout = 500 * time.Millisecond
	ps, st, err := collect(t, newTestCrawler(pol, nil), siteSource(srv.URL, "/"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(sorted(titles(ps)), ","); got != "Index,OK" {
		t.Errorf("emitted %s, want Index,OK", got)
	}
	if st.Errors != 1 {
		t.Errorf("errors = %d, want 1 (the drip page)", st.Errors)
	}
}

func gzipped(t *testing.T, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zero := make([]byte, 1<<20)
	for range n >> 20 {
		zw.Write(zero)
	}
	zw.Close()
	return buf.Bytes()
}

// A small gzip body that inflates to 256 MiB is cut off at the cap after
// decompression, and the crawl allocates far less than the bomb's size.
func TestGzipBomb(t *testing.T) {
	bomb := gzipped(t, 256<<20)
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			fmt.Fprint(w, jobPage("Index", "/bomb", "/sitemap.xml.gz"))
		case "/bomb":
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Type", "text/html")
			w.Write(bomb)
		case "/sitemap.xml.gz":
			w.Header().Set("Content-Type", "application/x-gzip")
			w.Write(bomb)
		}
	}))
	pol := fastPoliteness()
	pol.MaxBodyBytes = 1 << 20
	c, logs := loggedCrawler(pol)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	ps, st, err := collect(t, c, siteSource(srv.URL, "/"))
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || st.Errors != 2 {
		t.Errorf("got %d postings and %d errors, want 1 and 2", len(ps), st.Errors)
	}
	if n := strings.Count(logs.String(), errTooLarge.Error()); n != 2 {
		t.Errorf("%d size-cap rejections logged, want 2:\n%s", n, logs)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
		t.Errorf("crawl allocated %d MiB for a 256 MiB bomb with a 1 MiB cap", alloc>>20)
	}
}

// A page over the cap is rejected and logged, never parsed in part: its
// posting sits at the very start of the page and must not be emitted.
func TestOversizePageRejected(t *testing.T) {
	big := jobPage("Too big") + "<!--" + strings.Repeat("x", 2<<20) + "-->"
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			fmt.Fprint(w, jobPage("Index", "/big-length", "/big-chunked"))
		case "/big-length":
			w.Header().Set("Content-Length", fmt.Sprint(len(big)))
			fmt.Fprint(w, big)
		case "/big-chunked":
			w.(http.Flusher).Flush() // no Content-Length: the cap trips while reading
			fmt.Fprint(w, big)
		}
	}))
	pol := fastPoliteness()
	pol.MaxBodyBytes = 1 << 20
	c, logs := loggedCrawler(pol)
	ps, st, err := collect(t, c, siteSource(srv.URL, "/"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(titles(ps), ","); got != "Index" {
		t.Errorf("emitted %s, want only Index", got)
	}
	if st.Errors != 2 {
		t.Errorf("errors = %d, want 2", st.Errors)
	}
	for _, p := range []string{"/big-length", "/big-chunked"} {
		if !strings.Contains(logs.String(), p) || !strings.Contains(logs.String(), errTooLarge.Error()) {
			t.Errorf("rejection of %s not logged:\n%s", p, logs)
		}
	}
}

func TestRedirects(t *testing.T) {
	var hits atomic.Int32
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		var n int
		switch {
		case r.URL.Path == "/":
			fmt.Fprint(w, jobPage("Index", "/loop/a", "/chain/0", "/short/0"))
		case r.URL.Path == "/loop/a":
			http.Redirect(w, r, "/loop/b", http.StatusFound)
		case r.URL.Path == "/loop/b":
			http.Redirect(w, r, "/loop/a", http.StatusFound)
		case sscan(r.URL.Path, "/chain/%d", &n):
			if n == 30 {
				fmt.Fprint(w, jobPage("End of chain"))
				return
			}
			http.Redirect(w, r, fmt.Sprintf("/chain/%d", n+1), http.StatusMovedPermanently)
		case sscan(r.URL.Path, "/short/%d", &n):
			if n == 3 {
				fmt.Fprint(w, jobPage("Short chain"))
				return
			}
			http.Redirect(w, r, fmt.Sprintf("/short/%d", n+1), http.StatusFound)
		}
	}))
	ps, st, err := collect(t, newTestCrawler(fastPoliteness(), nil), siteSource(srv.URL, "/"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(sorted(titles(ps)), ","); got != "Index,Short chain" {
		t.Errorf("emitted %s, want Index,Short chain", got)
	}
	if st.Errors != 2 {
		t.Errorf("errors = %d, want 2 (loop and 30-hop chain)", st.Errors)
	}
	// index 1 + loop at most 11 + chain at most 11 + short 4
	if h := hits.Load(); h > 27 {
		t.Errorf("server saw %d requests: redirects not bounded", h)
	}
}

func sscan(s, format string, n *int) bool {
	_, err := fmt.Sscanf(s, format, n)
	return err == nil
}

func TestCharsets(t *testing.T) {
	const want = "Ingénieur logiciel – café 東京"
	page := func(meta string) string {
		return `<html><head>` + meta + `<script type="application/ld+json">{"@type":"JobPosting","title":"` + want + `"}</script></head><body><p>` + want + `</p></body></html>`
	}
	latin := func(s string) []byte {
		b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(strings.ReplaceAll(s, " 東京", "")))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	sjis := func(s string) []byte {
		b, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(strings.NewReplacer("é", "e", "–", "-").Replace(s)))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	utf16 := func(s string) []byte {
		b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name        string
		contentType string
		body        []byte
		want        string
	}{
		{"meta charset windows-1252", "text/html", latin(page(`<meta charset="windows-1252">`)), "Ingénieur logiciel – café"},
		{"meta http-equiv Shift_JIS", "text/html", sjis(page(`<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">`)), "Ingenieur logiciel - cafe 東京"},
		{"UTF-8 BOM", "text/html", append([]byte("\xef\xbb\xbf"), page("")...), want},
		{"UTF-16 BOM", "text/html", utf16(page("")), want},
		{"header charset", "text/html; charset=ISO-8859-1", latin(page("")), "Ingénieur logiciel – café"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.contentType)
				w.Write(tt.body)
			}))
			ps, _, err := collect(t, newTestCrawler(fastPoliteness(), nil), siteSource(srv.URL, "/"))
			if err != nil || len(ps) != 1 {
				t.Fatalf("got %d postings, err %v", len(ps), err)
			}
			if ps[0].Title != tt.want {
				t.Errorf("title = %q, want %q", ps[0].Title, tt.want)
			}
			if !utf8.ValidString(ps[0].RawHTML) || !strings.Contains(ps[0].RawHTML, tt.want) {
				t.Errorf("raw HTML not stored as UTF-8 text")
			}
		})
	}
}

func TestInvalidBytesAndNUL(t *testing.T) {
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte("<html><head><script type=\"application/ld+json\">{\"@type\":\"JobPosting\",\"title\":\"Go\\u0000 dev\xff\xfe eloper\",\"description\":\"a\\u0000b\x01c \xc3\"}</script></head><body>\x00\xff</body></html>"))
		default:
			w.Write([]byte(`{"jobs":[{"id":1,"title":"SRE\u0000 \u0007lead","content":"x\u0000y","location":{"name":"Berlin\u0000"}}]}`))
		}
	}))
	c := newTestCrawler(fastPoliteness(), nil)
	site, _, err := collect(t, c, siteSource(srv.URL, "/"))
	if err != nil {
		t.Fatal(err)
	}
	gh, _, err := collect(t, c, ghSource(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if len(site) != 1 || len(gh) != 1 {
		t.Fatalf("got %d and %d postings", len(site), len(gh))
	}
	for _, p := range append(site, gh...) {
		for name, f := range map[string]string{"title": p.Title, "description": p.Description, "raw": p.RawHTML, "location": p.Location} {
			if !utf8.ValidString(f) || strings.ContainsAny(f, "\x00\x01\x07") {
				t.Errorf("%s %q has invalid UTF-8 or control characters", name, f)
			}
		}
	}
	if gh[0].Title != "SRE lead" || gh[0].Location != "Berlin" {
		t.Errorf("greenhouse fields = %q, %q", gh[0].Title, gh[0].Location)
	}
}

func TestMalformedAndDeepHTML(t *testing.T) {
	deep := `<script type="application/ld+json">{"@type":"JobPosting","title":"Deep role"}</script>` +
		strings.Repeat("<div>", 10000) + `<p>deep text <a href="/ok">ok</a>` + strings.Repeat("</div>", 3)
	pages := map[string]string{
		"/":          jobPage("Index", "/deep", "/malformed", "/garbage"),
		"/deep":      deep,
		"/malformed": `<html><head><script type="application/ld+json">{"@type":"JobPosting","title":"Broken JSON",</script><table><tr><td><p><li><a href="/ok">x</td></p><div <<>> <script type="application/ld+json">{"@type":"JobPosting","title":"Fine"}</script>`,
		"/garbage":   "\x00\x01<<<>>>&&&;;<<!-- <![CDATA[ ]]> <a href=",
		"/ok":        jobPage("OK"),
	}
	srv := serve(t, &siteServer{pages: pages})
	ps, _, err := collect(t, newTestCrawler(fastPoliteness(), nil), siteSource(srv.URL, "/"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(sorted(titles(ps)), ","); got != "Deep role,Fine,Index,OK" {
		t.Errorf("emitted %s", got)
	}
	if got := htmlText(strings.Repeat("<ul><li>", 10000) + "x"); got != "- x" {
		t.Errorf("deep list text = %.100q", got)
	}
}

// A site that makes up endless links stops at the page budget, the depth
// limit and the URL length limit.
func TestSpiderTrap(t *testing.T) {
	tests := []struct {
		name     string
		src      func(base string) config.Source
		maxPages int
		check    func(t *testing.T, hits []string)
	}{
		{name: "page budget", src: func(base string) config.Source {
			s := siteSource(base, "/trap/0")
			s.MaxPages, s.MaxDepth = 25, 1000
			return s
		}, check: func(t *testing.T, hits []string) {
			if len(hits) != 25 {
				t.Errorf("fetched %d pages, budget 25", len(hits))
			}
		}},
		{name: "depth", src: func(base string) config.Source {
			s := siteSource(base, "/trap/0")
			s.MaxDepth = 3
			return s
		}, check: func(t *testing.T, hits []string) {
			for _, h := range hits {
				var n int
				if sscan(h, "/trap/%d", &n) && strings.Count(h, "/") > 3+3 {
					t.Errorf("fetched %s beyond depth 3", h)
				}
			}
			if len(hits) == 0 || len(hits) > 1+3+9+27 {
				t.Errorf("fetched %d pages at depth <= 3", len(hits))
			}
		}},
		{name: "url length", src: func(base string) config.Source {
			s := siteSource(base, "/trap/0")
			s.MaxPages, s.MaxDepth = 100000, 100000
			return s
		}, check: func(t *testing.T, hits []string) {
			for _, h := range hits {
				if len(h) > maxURLLength {
					t.Errorf("fetched a %d-byte URL", len(h))
				}
			}
			if len(hits) < 10 {
				t.Errorf("only %d pages fetched", len(hits))
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu = make(chan struct{}, 1)
			var hits []string
			srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu <- struct{}{}
				hits = append(hits, r.URL.Path)
				<-mu
				// each page links one level deeper, three ways
				p := strings.TrimSuffix(r.URL.Path, "/")
				fmt.Fprint(w, jobPage(p, p+"/a/", p+"/bb/", p+"/ccc/"))
			}))
			src := tt.src(srv.URL)
			if tt.name == "url length" {
				src.MaxPages = 400
			}
			_, _, err := collect(t, newTestCrawler(fastPoliteness(), nil), src)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, hits)
		})
	}
}

// With AllowPrivateAddresses false (the default) nothing on loopback is
// fetched, whether the URL names an IP or a host name that resolves to one.
func TestPrivateAddressesBlocked(t *testing.T) {
	var hits atomic.Int32
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, greenhouseBody("x"))
	}))
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	pol := fastPoliteness()
	pol.AllowPrivateAddresses = false
	c := newTestCrawler(pol, nil)
	for _, base := range []string{srv.URL, "http://localhost:" + port} {
		_, _, err := collect(t, c, ghSource(base))
		if !errors.Is(err, errBlockedAddress) {
			t.Errorf("%s: err = %v, want %v", base, err, errBlockedAddress)
		}
	}
	_, _, err := collect(t, c, siteSource(srv.URL, "/"))
	if !errors.Is(err, errBlockedAddress) {
		t.Errorf("site: err = %v, want %v", err, errBlockedAddress)
	}
	if hits.Load() != 0 {
		t.Errorf("server saw %d requests", hits.Load())
	}
	for _, ip := range []string{"10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "::1", "fe80::1", "fc00::1", "0.0.0.0", "100.64.0.1", "::ffff:127.0.0.1"} {
		if err := blockPrivate("tcp", net.JoinHostPort(ip, "80"), nil); !errors.Is(err, errBlockedAddress) {
			t.Errorf("%s not blocked", ip)
		}
	}
	for _, ip := range []string{"93.184.216.34", "2606:4700::1111"} {
		if err := blockPrivate("tcp", net.JoinHostPort(ip, "443"), nil); err != nil {
			t.Errorf("%s blocked: %v", ip, err)
		}
	}
}

func TestInvalidJSONFromAPI(t *testing.T) {
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"jobs": [{"id": 1, "title": "half`)
	}))
	for _, src := range []config.Source{ghSource(srv.URL),
		{Name: "lever", Type: config.TypeLever, Site: "acme", BaseURL: srv.URL},
		{Name: "ashby", Type: config.TypeAshby, Board: "acme", BaseURL: srv.URL},
		{Name: "hn", Type: config.TypeHN, BaseURL: srv.URL}} {
		_, st, err := collect(t, newTestCrawler(fastPoliteness(), nil), src)
		if err == nil || !strings.Contains(err.Error(), "invalid JSON") || !strings.Contains(err.Error(), "crawl "+src.Name) {
			t.Errorf("%s: err = %v, want a crawl error naming invalid JSON", src.Type, err)
		}
		if st.Errors == 0 {
			t.Errorf("%s: no error counted", src.Type)
		}
	}
}

func TestSourceDown(t *testing.T) {
	srv := serve(t, http.NotFoundHandler())
	base := srv.URL
	srv.Close()
	for _, src := range []config.Source{ghSource(base), {Name: "hn", Type: config.TypeHN, BaseURL: base}, siteSource(base, "/"),
		{Name: "rss", Type: config.TypeRSS, Feeds: []string{base + "/feed.xml"}}} {
		st, err := newTestCrawler(fastPoliteness(), nil).Crawl(t.Context(), src, func(ctxT, postingT) error { return nil })
		if err == nil {
			t.Errorf("%s: no error for a source that is down", src.Type)
		}
		if st.Finished.IsZero() || st.Started.IsZero() {
			t.Errorf("%s: stats not filled on error: %+v", src.Type, st)
		}
	}
}
