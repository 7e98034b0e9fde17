package crawler

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gocolly/colly/v2"
	"github.com/gocolly/colly/v2/queue"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/transform"

	"github.com/skilltrend/skilltrend/config"
)

const (
	defaultMaxPages = 1000 // per host
	defaultMaxDepth = 5
	maxURLLength    = 2048
	maxQueue        = 1_000_000
	maxSitemapURLs  = 50_000 // the sitemap protocol's own limit per file
)

// site crawls a career site: start URLs and sitemaps, following links inside
// the allowed domains, and extracts schema.org JobPostings from every page.
// Requests go through colly's queue with a fixed number of workers and a
// bounded store, so memory does not grow with the number of links found.
func (r *run) site(ctx context.Context) error {
	if len(r.src.StartURLs) == 0 && len(r.src.Sitemaps) == 0 {
		return errors.New("jsonld source needs start_urls or sitemaps")
	}
	f, err := newFrontier(r.src)
	if err != nil {
		return err
	}
	// Cancelling runCtx (the caller's ctx ending, or emit failing) aborts
	// every request still to come: the queue drains without fetching. colly's
	// Queue.Stop is not used; it races with the queue's own loop.
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	col := r.collector(runCtx, r.c.pol.ObeyRobots)
	col.MaxDepth = f.maxDepth + 1 // colly counts start URLs as depth 1
	col.SetRedirectHandler(func(req *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return fmt.Errorf("stopped after %d redirects", maxRedirects)
		}
		if !f.allowedHost(req.URL.Hostname()) {
			return fmt.Errorf("redirect to %s: outside the allowed domains", req.URL.Host)
		}
		return nil
	})
	threads := min(64, max(4, r.c.pol.Parallelism*len(f.allowed)))
	q, err := r.siteQueue(col, threads, f)
	if err != nil {
		return err
	}

	var (
		errMu    sync.Mutex
		firstErr error
		emitErr  error
		skipErr  error
	)
	fail := func(err error) {
		r.error()
		errMu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		errMu.Unlock()
	}
	col.OnRequest(func(req *colly.Request) {
		if runCtx.Err() != nil {
			req.Abort()
			return
		}
		if r.c.opts.State == nil {
			return
		}
		// State is kept under the URL as requested, not as redirected to:
		// the next crawl asks for it under the same URL, and the validators
		// travel along the redirect.
		u := req.URL.String()
		req.Ctx.Put(stateURLKey, u)
		hdr := http.Header{}
		known := r.addValidators(ctx, u, hdr)
		for k, v := range hdr {
			(*req.Headers)[k] = v
		}
		if known != nil {
			req.Ctx.Put(knownKey, known)
		}
	})
	col.OnError(func(resp *colly.Response, err error) {
		u := resp.Request.URL.String()
		if skippable(err) {
			r.log.Debug("page skipped", "url", u, "reason", err)
			if errors.Is(err, errHostSkipped) {
				errMu.Lock()
				skipErr = err
				errMu.Unlock()
			}
			return
		}
		r.log.Warn("page failed", "url", u, "err", err)
		fail(fmt.Errorf("GET %s: %w", u, err))
	})
	col.OnResponse(func(resp *colly.Response) {
		u := resp.Request.URL.String()
		switch resp.StatusCode {
		case http.StatusOK:
		case http.StatusNotModified:
			r.page()
			known, _ := resp.Ctx.GetAny(knownKey).(*docState)
			if err := r.seen(ctx, known); err != nil {
				errMu.Lock()
				emitErr = fmt.Errorf("%w: %w", errEmit, err)
				errMu.Unlock()
				cancel()
				return
			}
			r.revisit(f, q, resp.Request.Depth, known)
			return
		default:
			r.log.Warn("page failed", "url", u, "status", resp.StatusCode)
			fail(fmt.Errorf("GET %s: %d %s", u, resp.StatusCode, http.StatusText(resp.StatusCode)))
			return
		}
		r.page()
		var d *docState // what the page leads to, when there is State to remember it in
		if r.c.opts.State != nil {
			d = &docState{}
		}
		var err error
		if resp.Ctx.Get("kind") == "sitemap" || isSitemap(resp) {
			err = r.sitemap(resp, f, q, d)
		} else {
			err = r.sitePage(ctx, resp, f, q, d)
		}
		if err != nil {
			if errors.Is(err, errEmit) {
				errMu.Lock()
				emitErr = err
				errMu.Unlock()
				cancel()
				return
			}
			r.log.Warn("page failed", "url", u, "err", err)
			fail(err)
			return
		}
		if d == nil {
			return
		}
		if err := r.saveValidators(ctx, resp.Ctx.Get(stateURLKey), &response{Status: resp.StatusCode, Header: *resp.Headers}, *d); err != nil {
			r.log.Warn("save crawl state", "url", u, "err", err)
		}
	})

	for _, s := range r.src.Sitemaps {
		f.enqueue(q, s, 1, "sitemap", r)
	}
	for _, s := range r.src.StartURLs {
		f.enqueue(q, s, 1, "page", r)
	}
	runErr := q.run(runCtx)
	if emitErr != nil {
		return emitErr
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if runErr != nil {
		return fmt.Errorf("queue: %w", runErr)
	}
	r.mu.Lock()
	pages := r.stats.Pages
	r.mu.Unlock()
	if pages == 0 && firstErr != nil {
		return fmt.Errorf("no page fetched: %w", firstErr)
	}
	if pages == 0 && skipErr != nil {
		return fmt.Errorf("no page fetched: %w", skipErr)
	}
	return nil
}

var errEmit = errors.New("emit failed")

// In a request's colly context, knownKey holds the state entry whose
// validators the request sends (a *docState), and stateURLKey the URL that
// entry is kept under (the URL as requested, before any redirect).
const (
	knownKey    = "skilltrend.known"
	stateURLKey = "skilltrend.state_url"
)

// revisit queues again what an unchanged page or sitemap (known, fetched at
// depth) queued when it was last read, so the pages below it are visited
// (conditionally) as if it had been read again.
func (r *run) revisit(f *frontier, q *siteQueue, depth int, known *docState) {
	if known == nil {
		return
	}
	if known.Sitemap {
		for _, s := range known.Sitemaps {
			f.enqueue(q, s, 1, "sitemap", r)
		}
		for _, s := range known.Links {
			f.enqueue(q, s, 1, "page", r)
		}
		return
	}
	if depth > f.maxDepth {
		return
	}
	for _, s := range known.Links {
		f.enqueue(q, s, depth+1, "page", r)
	}
}

// siteQueue holds the requests of a site crawl.
type siteQueue struct {
	add func(*colly.Request) error
	run func(context.Context) error
}

// sharedRunner is a queue shared by several processes (crawler/redisstore)
// that runs requests itself and knows when every worker is done.
type sharedRunner interface {
	queue.Storage
	Run(ctx context.Context, c *colly.Collector, threads int) error
}

// sharedLimiter spreads a host's politeness delay over several processes.
type sharedLimiter interface {
	RateLimit(c *colly.Collector, delay time.Duration)
}

// siteQueue returns colly's queue with a bounded in-memory store, or, when
// Options.Storage is set, the storage's own shared queue.
func (r *run) siteQueue(col *colly.Collector, threads int, f *frontier) (*siteQueue, error) {
	var qs queue.Storage = &queue.InMemoryQueueStorage{MaxSize: min(maxQueue, max(10_000, f.maxPages*len(f.allowed)*2))}
	if st := r.c.opts.Storage; st != nil {
		if err := col.SetStorage(st); err != nil {
			return nil, fmt.Errorf("storage: %w", err)
		}
		if l, ok := st.(sharedLimiter); ok && r.c.pol.Delay > 0 {
			l.RateLimit(col, r.c.pol.Delay)
		}
		if sr, ok := st.(sharedRunner); ok {
			return sharedQueue(sr, col, threads), nil
		}
		if s, ok := st.(queue.Storage); ok {
			qs = s
		}
	}
	q, err := queue.New(threads, qs)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	return &siteQueue{add: q.AddRequest, run: func(context.Context) error { return q.Run(col) }}, nil
}

func sharedQueue(sr sharedRunner, col *colly.Collector, threads int) *siteQueue {
	return &siteQueue{
		add: func(req *colly.Request) error {
			b, err := req.Marshal()
			if err != nil {
				return err
			}
			return sr.AddRequest(b)
		},
		run: func(ctx context.Context) error { return sr.Run(ctx, col, threads) },
	}
}

// sitePage extracts the postings of one HTML page and queues its links,
// noting both in d unless d is nil.
func (r *run) sitePage(ctx context.Context, resp *colly.Response, f *frontier, q *siteQueue, d *docState) error {
	ct := resp.Headers.Get("Content-Type")
	if ct == "" {
		ct = http.DetectContentType(resp.Body)
	}
	if !strings.Contains(ct, "html") {
		return nil
	}
	body, err := toUTF8(resp.Body, ct)
	if err != nil {
		return fmt.Errorf("GET %s: charset: %w", resp.Request.URL, err)
	}
	node, err := parseHTML(body)
	if err != nil {
		return fmt.Errorf("GET %s: parse: %w", resp.Request.URL, err)
	}
	doc := goquery.NewDocumentFromNode(node)
	page := resp.Request.URL
	if b, ok := doc.FindMatcher(selBase).First().Attr("href"); ok {
		if bu, err := page.Parse(strings.TrimSpace(b)); err == nil {
			page = bu
		}
	}
	var ids *[]int64
	if d != nil {
		ids = &d.Postings
	}
	for _, p := range jobPostings(doc, resp.Request.URL.String(), string(body)) {
		if err := r.post(ctx, p, ids); err != nil {
			return fmt.Errorf("%w: %w", errEmit, err)
		}
	}
	if resp.Request.Depth > f.maxDepth {
		return nil
	}
	doc.FindMatcher(selLinks).Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		if rel := s.AttrOr("rel", ""); strings.Contains(rel, "nofollow") {
			return
		}
		u, err := page.Parse(strings.TrimSpace(href))
		if err != nil {
			return
		}
		if u, ok := f.link(u.String(), r); ok {
			s := u.String()
			d.queued(s, false)
			f.add(q, u, s, resp.Request.Depth+1, "page", r)
		}
	})
	return nil
}

// toUTF8 decodes body to UTF-8. A charset in the Content-Type header has
// already been applied by colly; otherwise a BOM or a <meta> charset
// decides, as browsers do.
func toUTF8(body []byte, contentType string) ([]byte, error) {
	if strings.Contains(strings.ToLower(contentType), "charset") {
		return bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), nil
	}
	enc, name, _ := charset.DetermineEncoding(body, "text/html")
	if name == "utf-8" {
		return bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), nil
	}
	out, _, err := transform.Bytes(enc.NewDecoder(), body)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func isSitemap(resp *colly.Response) bool {
	if !strings.Contains(resp.Headers.Get("Content-Type"), "xml") {
		return false
	}
	head := resp.Body[:min(len(resp.Body), 1024)]
	return bytes.Contains(head, []byte("<urlset")) || bytes.Contains(head, []byte("<sitemapindex"))
}

// sitemap queues the pages (and nested sitemaps) a sitemap lists, noting
// them in d unless d is nil.
func (r *run) sitemap(resp *colly.Response, f *frontier, q *siteQueue, d *docState) error {
	if d != nil {
		d.Sitemap = true
	}
	dec := xml.NewDecoder(bytes.NewReader(resp.Body))
	dec.Strict = false
	dec.CharsetReader = charset.NewReaderLabel
	var inIndex bool
	n := 0
	for n < maxSitemapURLs {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("sitemap %s: %w", resp.Request.URL, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "sitemapindex":
			inIndex = true
		case "loc":
			var loc string
			if err := dec.DecodeElement(&loc, &se); err != nil {
				return fmt.Errorf("sitemap %s: %w", resp.Request.URL, err)
			}
			u, err := resp.Request.URL.Parse(strings.TrimSpace(loc))
			if err != nil {
				continue
			}
			n++
			u, ok := f.link(u.String(), r)
			if !ok {
				continue
			}
			s, kind := u.String(), "page"
			if inIndex {
				kind = "sitemap"
			}
			d.queued(s, inIndex)
			f.add(q, u, s, 1, kind, r)
		}
	}
	return nil
}

// frontier decides which URLs get queued: inside the allowed domains, not
// too long, not too deep, not seen before and within each host's page
// budget. The budget counts queued URLs, so a spider trap cannot fill the
// queue either.
type frontier struct {
	allowed  []string
	maxPages int
	maxDepth int

	mu      sync.Mutex
	seed    maphash.Seed
	seen    map[uint64]struct{}
	perHost map[string]int
}

func newFrontier(src config.Source) (*frontier, error) {
	f := &frontier{
		maxPages: src.MaxPages,
		maxDepth: src.MaxDepth,
		seed:     maphash.MakeSeed(),
		seen:     map[uint64]struct{}{},
		perHost:  map[string]int{},
	}
	if f.maxPages <= 0 {
		f.maxPages = defaultMaxPages
	}
	if f.maxDepth <= 0 {
		f.maxDepth = defaultMaxDepth
	}
	for _, d := range src.AllowedDomains {
		f.allowed = append(f.allowed, strings.ToLower(strings.TrimPrefix(strings.TrimSpace(d), ".")))
	}
	if len(f.allowed) == 0 {
		for _, s := range append(append([]string{}, src.StartURLs...), src.Sitemaps...) {
			u, err := url.Parse(s)
			if err != nil || u.Hostname() == "" {
				return nil, fmt.Errorf("start url %q: not an absolute URL", s)
			}
			f.allowed = append(f.allowed, strings.ToLower(u.Hostname()))
		}
	}
	return f, nil
}

// allowedHost accepts a configured domain and its subdomains.
func (f *frontier) allowedHost(host string) bool {
	host = strings.ToLower(host)
	for _, d := range f.allowed {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

func (f *frontier) enqueue(q *siteQueue, raw string, depth int, kind string, r *run) {
	if u, ok := f.link(raw, r); ok {
		f.add(q, u, u.String(), depth, kind, r)
	}
}

// link parses raw and says whether it may be crawled at all: an absolute
// http(s) URL, not too long, inside the allowed domains. The fragment is
// dropped.
func (f *frontier) link(raw string, r *run) (*url.URL, bool) {
	if len(raw) > maxURLLength {
		r.log.Debug("url too long", "len", len(raw))
		return nil, false
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, false
	}
	u.Fragment, u.RawFragment = "", ""
	if !f.allowedHost(u.Hostname()) {
		return nil, false
	}
	return u, true
}

// add queues u (s is u.String()), a URL that link accepted, unless it is too
// deep, was queued before or its host's page budget is spent.
func (f *frontier) add(q *siteQueue, u *url.URL, s string, depth int, kind string, r *run) {
	if depth > f.maxDepth+1 {
		return
	}
	h := maphash.String(f.seed, s)
	f.mu.Lock()
	if _, ok := f.seen[h]; ok {
		f.mu.Unlock()
		return
	}
	if f.perHost[u.Host] >= f.maxPages {
		f.mu.Unlock()
		r.log.Debug("page budget reached", "host", u.Host, "url", s)
		return
	}
	f.seen[h] = struct{}{}
	f.perHost[u.Host]++
	f.mu.Unlock()
	cctx := colly.NewContext()
	cctx.Put("kind", kind)
	if err := q.add(&colly.Request{URL: u, Method: http.MethodGet, Depth: depth, Ctx: cctx}); err != nil {
		r.log.Debug("not queued", "url", s, "err", err)
	}
}
