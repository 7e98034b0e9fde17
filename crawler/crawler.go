package crawler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"
	"github.com/gocolly/colly/v2/storage"

	"github.com/skilltrend/skilltrend"
	"github.com/skilltrend/skilltrend/config"
)

// State persists what makes crawls incremental: HTTP validators (ETag,
// Last-Modified) with what each document led to (the keys of its postings,
// the links it queued) and completed HN threads. *analytics.Store
// implements it.
type State interface {
	GetState(ctx context.Context, key string) (value string, ok bool, err error)
	PutState(ctx context.Context, key, value string) error
}

// Options configure a Crawler.
type Options struct {
	UserAgent  string // names skilltrend and the operator's contact URL
	Politeness config.Politeness
	State      State        // nil: no incremental state
	Logger     *slog.Logger // nil: discard
	Now        func() time.Time
	// Storage, when set, replaces colly's in-memory visited set and cookie
	// jar for site crawls (and, if it also implements colly's queue.Storage,
	// the request queue), so several processes can share one crawl.
	Storage storage.Storage
	// Seen, when set, is told which postings an unchanged document stands
	// for: when a board, feed or site page answers 304 Not Modified, ids are
	// the keys (Posting.ID) of the postings its last full response yielded,
	// as remembered in State, and at is the crawl's time (the LastSeen of
	// the postings it emits). They were seen again at at; nothing else
	// about them is known to have changed. It is called like emit, from one
	// goroutine at a time, and an error fails the source as an emit error
	// does.
	Seen func(ctx context.Context, ids []int64, at time.Time) error
}

// Stats describe one Crawl.
type Stats struct {
	Pages    int // responses received and processed (including 304 Not Modified)
	Postings int // postings emitted
	Seen     int // postings of unchanged (304) documents passed to Options.Seen
	Errors   int // pages or items that failed
	Started  time.Time
	Finished time.Time
}

// Crawler collects postings from configured sources. One Crawler serves a
// whole run: politeness limits and robots.txt are per host across all the
// sources it crawls, concurrently or not.
type Crawler struct {
	opts Options
	pol  politeness
	log  *slog.Logger
	tr   *transport
}

// politeness is config.Politeness with defaults filled in where a zero value
// is not meaningful. Delay is taken as given: the config fills in its 1s
// default, and zero or a negative Delay means no delay at all (for servers
// of one's own, such as the demo's and the benchmarks').
type politeness config.Politeness

// DefaultUserAgent is used when Options.UserAgent is empty.
const DefaultUserAgent = "skilltrend/1.0 (+https://github.com/skilltrend/skilltrend)"

func withDefaults(p config.Politeness) politeness {
	if p.Parallelism <= 0 {
		p.Parallelism = 1
	}
	if p.Timeout <= 0 {
		p.Timeout = 30 * time.Second
	}
	if p.MaxBodyBytes <= 0 {
		p.MaxBodyBytes = 10 << 20
	}
	if p.MaxRetries <= 0 {
		p.MaxRetries = 3
	}
	return politeness(p)
}

// New returns a Crawler. Options are read once and not retained by
// reference.
func New(opts Options) *Crawler {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.UserAgent == "" {
		opts.UserAgent = DefaultUserAgent
	}
	log := opts.Logger.With("stage", "crawl")
	pol := withDefaults(opts.Politeness)
	return &Crawler{opts: opts, pol: pol, log: log, tr: newTransport(pol, opts.UserAgent, log)}
}

// Crawl collects one source and calls emit for every posting, from one
// goroutine at a time. The error says why the source failed; Stats are valid
// even then.
//
// When Options.Storage is a SourceClaimer shared with other processes, a
// source other than a site crawl is crawled by the first process that asks;
// the others get ErrOtherWorker at once, and may call CrawlHeld later.
func (c *Crawler) Crawl(ctx context.Context, src config.Source, emit func(context.Context, skilltrend.Posting) error) (Stats, error) {
	return c.crawlClaimed(ctx, src, emit, SourceClaimer.ClaimSource)
}

// CrawlHeld is Crawl of a source for which Crawl returned ErrOtherWorker: it
// waits until the process crawling the source is done with it. It returns
// ErrOtherWorker when that process crawled it; when that process died or
// gave the source up after a failure, this one crawls it. So a killed
// worker loses no source, as long as one worker still waits for it.
func (c *Crawler) CrawlHeld(ctx context.Context, src config.Source, emit func(context.Context, skilltrend.Posting) error) (Stats, error) {
	return c.crawlClaimed(ctx, src, emit, SourceClaimer.AwaitSource)
}

// crawlClaimed crawls src, when the process holds it according to claim.
func (c *Crawler) crawlClaimed(ctx context.Context, src config.Source, emit func(context.Context, skilltrend.Posting) error,
	claim func(SourceClaimer, context.Context, string) (bool, error)) (Stats, error) {
	// A site crawl is shared request by request through Storage; any other
	// source goes whole to one of the processes sharing it.
	sc, shared := c.opts.Storage.(SourceClaimer)
	if !shared || src.Type == config.TypeJSONLD {
		return c.newRun(src, emit).crawl(ctx)
	}
	started := c.opts.Now()
	mine, err := claim(sc, ctx, src.Name)
	if err == nil && !mine {
		err = ErrOtherWorker
	}
	if err != nil {
		return Stats{Started: started, Finished: c.opts.Now()}, fmt.Errorf("crawl %s: %w", src.Name, err)
	}
	stats, err := c.newRun(src, emit).crawl(ctx)
	if derr := sc.SourceDone(context.WithoutCancel(ctx), src.Name, err == nil); derr != nil {
		err = errors.Join(err, derr)
	}
	return stats, err
}

func (c *Crawler) newRun(src config.Source, emit func(context.Context, skilltrend.Posting) error) *run {
	r := &run{c: c, src: src, log: c.log.With("source", src.Name), emit: emit, now: c.opts.Now()}
	r.stats.Started = r.now
	return r
}

// SourceClaimer is implemented by an Options.Storage that several processes
// share (redisstore.Store): it also divides among them the sources they
// cannot share request by request (all but site crawls), so that each is
// crawled by one process.
type SourceClaimer interface {
	// ClaimSource reports whether this process is to crawl the source.
	ClaimSource(ctx context.Context, name string) (bool, error)
	// AwaitSource waits while another live process crawls the source. It
	// reports false when the source is done, and true when this process
	// is to crawl it instead (the other one died or gave it up).
	AwaitSource(ctx context.Context, name string) (bool, error)
	// SourceDone ends the claim: the source is done when ok, else free
	// for another process.
	SourceDone(ctx context.Context, name string, ok bool) error
}

// ErrOtherWorker is returned by Crawl when another process sharing the
// crawl has the source (see SourceClaimer): nothing was fetched.
var ErrOtherWorker = errors.New("another worker crawls this source")

// crawl fetches the run's source.
func (r *run) crawl(ctx context.Context) (Stats, error) {
	src, c := r.src, r.c
	var err error
	switch src.Type {
	case config.TypeHN:
		err = r.hn(ctx)
	case config.TypeGreenhouse:
		err = r.greenhouse(ctx)
	case config.TypeLever:
		err = r.lever(ctx)
	case config.TypeAshby:
		err = r.ashby(ctx)
	case config.TypeJSONLD:
		err = r.site(ctx)
	case config.TypeRSS:
		err = r.rss(ctx)
	default:
		err = fmt.Errorf("unknown source type %q", src.Type)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stats.Finished = c.opts.Now()
	if err != nil {
		return r.stats, fmt.Errorf("crawl %s: %w", src.Name, err)
	}
	return r.stats, nil
}

// run is the state of one Crawl.
type run struct {
	c    *Crawler
	src  config.Source
	log  *slog.Logger
	emit func(context.Context, skilltrend.Posting) error
	now  time.Time

	mu    sync.Mutex // guards stats and serialises emit
	stats Stats
}

func (r *run) page()  { r.mu.Lock(); r.stats.Pages++; r.mu.Unlock() }
func (r *run) error() { r.mu.Lock(); r.stats.Errors++; r.mu.Unlock() }

// post cleans p, stamps it and hands it to emit. When ids is not nil, the
// posting's key is appended to it once emitted: the document being read
// yielded it (see docState).
func (r *run) post(ctx context.Context, p skilltrend.Posting, ids *[]int64) error {
	p.Source = r.src.Name
	p.FirstSeen, p.LastSeen = r.now, r.now
	if p.WorkMode == "" {
		p.WorkMode = skilltrend.WorkModeUnknown
	}
	p = sanitizePosting(p)
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.emit(ctx, p); err != nil {
		return fmt.Errorf("emit %s: %w", p.SourceID, err)
	}
	r.stats.Postings++
	if ids != nil {
		*ids = append(*ids, p.ID())
	}
	return nil
}

// seen hands the keys of the postings an unchanged document stands for
// (known, the entry whose validators it matched) to Options.Seen.
func (r *run) seen(ctx context.Context, known *docState) error {
	if known == nil || len(known.Postings) == 0 {
		return nil
	}
	ids := known.Postings
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.c.opts.Seen == nil {
		return nil
	}
	if err := r.c.opts.Seen(ctx, ids, r.now); err != nil {
		return fmt.Errorf("seen %d unchanged postings: %w", len(ids), err)
	}
	r.stats.Seen += len(ids)
	return nil
}

// collector returns a colly collector wired to the Crawler's transport. It
// hands every response, whatever its status, to the request's colly context
// (see get) and never truncates bodies itself: the transport rejects
// oversize ones.
func (r *run) collector(ctx context.Context, robots bool) *colly.Collector {
	if robots {
		ctx = withRobots(ctx)
	}
	col := colly.NewCollector(
		colly.StdlibContext(ctx),
		colly.UserAgent(r.c.opts.UserAgent),
		colly.MaxBodySize(0),
		colly.ParseHTTPErrorResponse(),
		colly.IgnoreRobotsTxt(), // the transport does it, with skip-host and Crawl-delay
	)
	col.WithTransport(r.c.tr)
	col.SetRequestTimeout(0) // per-attempt deadlines are the transport's
	col.OnResponse(func(resp *colly.Response) {
		resp.Ctx.Put(responseKey, &response{Status: resp.StatusCode, Header: *resp.Headers, Body: resp.Body, URL: resp.Request.URL.String()})
	})
	col.SetRedirectHandler(func(req *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return fmt.Errorf("stopped after %d redirects", maxRedirects)
		}
		return nil
	})
	return col
}

const (
	maxRedirects = 10
	responseKey  = "skilltrend.response"
)

// response is a fetched document.
type response struct {
	Status int
	Header http.Header
	Body   []byte
	URL    string // after redirects
	// Known is the stored entry whose validators the request sent: what
	// a 304 stands for. Nil when the request was not conditional.
	Known *docState
}

// get fetches one URL through a collector. With conditional set it sends the
// validators stored for the URL; the caller stores new ones with
// saveValidators once the response has been processed.
func (r *run) get(ctx context.Context, col *colly.Collector, url string, conditional bool) (*response, error) {
	hdr := http.Header{}
	hdr.Set("User-Agent", r.c.opts.UserAgent)
	var known *docState
	if conditional {
		known = r.addValidators(ctx, url, hdr)
	}
	cctx := colly.NewContext()
	err := col.Request(http.MethodGet, url, nil, cctx, hdr)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", url, err)
	}
	got, _ := cctx.GetAny(responseKey).(*response)
	if got == nil {
		return nil, fmt.Errorf("GET %s: no response", url)
	}
	got.Known = known
	return got, nil
}

// getJSON fetches url and decodes a 200 response into v. It returns false,
// nil when the server says Not Modified.
func (r *run) getJSON(ctx context.Context, col *colly.Collector, url string, conditional bool, v any) (*response, bool, error) {
	resp, err := r.get(ctx, col, url, conditional)
	if err != nil {
		r.error()
		return nil, false, err
	}
	r.page()
	if resp.Status == http.StatusNotModified {
		return resp, false, nil
	}
	if resp.Status != http.StatusOK {
		r.error()
		return nil, false, fmt.Errorf("GET %s: %d %s", url, resp.Status, http.StatusText(resp.Status))
	}
	if err := json.Unmarshal(resp.Body, v); err != nil {
		r.error()
		return nil, false, fmt.Errorf("GET %s: invalid JSON: %w", url, err)
	}
	return resp, true, nil
}

// docState is what State holds under "http:"+url for a document fetched
// conditionally: the validators of its last full (200) response, the source
// that fetched it and what that response led to: the keys of the postings
// it yielded and, for a site page or sitemap, the pages and sitemaps it
// queued. A later 304 to those validators means the same document, so it
// stands for the same postings (passed to Options.Seen) and the same links
// (queued again, so the pages below an unchanged page are still visited).
type docState struct {
	ETag         string   `json:"etag,omitempty"`
	LastModified string   `json:"last_modified,omitempty"`
	Source       string   `json:"source,omitempty"`
	Postings     []int64  `json:"postings,omitempty"`
	Sitemap      bool     `json:"sitemap,omitempty"`  // read as a sitemap: Links are its pages
	Links        []string `json:"links,omitempty"`    // pages queued from it
	Sitemaps     []string `json:"sitemaps,omitempty"` // sitemaps a sitemap index listed
}

// queued notes a page (or, for a sitemap index, a sitemap) that d's
// document queued. A nil d notes nothing: there is no State to keep it in.
func (d *docState) queued(url string, sitemap bool) {
	switch {
	case d == nil:
	case sitemap:
		d.Sitemaps = append(d.Sitemaps, url)
	default:
		d.Links = append(d.Links, url)
	}
}

// A document leading to more than these is not remembered (its keys take
// about 20 bytes each, its links about 80), so it is fetched in full again
// next time, and what it leads to is emitted and visited as on a first crawl.
const (
	maxDocPostings = 10_000
	maxDocLinks    = 5_000
)

func validatorKey(url string) string { return "http:" + url }

// addValidators sets the conditional headers for url from State and returns
// the stored entry. An entry is used only if this source wrote it: one
// written for another source (the same URL configured twice) or before
// entries named their source (so it says nothing of what the document led
// to) is ignored, and the document is fetched in full.
func (r *run) addValidators(ctx context.Context, url string, hdr http.Header) *docState {
	if r.c.opts.State == nil {
		return nil
	}
	s, ok, err := r.c.opts.State.GetState(ctx, validatorKey(url))
	if err != nil {
		r.log.Warn("read crawl state", "url", url, "err", err)
		return nil
	}
	var v docState
	if !ok || json.Unmarshal([]byte(s), &v) != nil || v.Source != r.src.Name {
		return nil
	}
	if v.ETag != "" {
		hdr.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		hdr.Set("If-Modified-Since", v.LastModified)
	}
	return &v
}

// saveValidators remembers a 200 response's validators for the next run,
// with what the document led to (d's Postings, Sitemap, Links, Sitemaps).
func (r *run) saveValidators(ctx context.Context, url string, resp *response, d docState) error {
	if r.c.opts.State == nil || resp.Status != http.StatusOK {
		return nil
	}
	d.ETag, d.LastModified, d.Source = resp.Header.Get("ETag"), resp.Header.Get("Last-Modified"), r.src.Name
	if d.ETag == "" && d.LastModified == "" {
		return nil
	}
	d.Postings = slices.Compact(slices.Sorted(slices.Values(d.Postings)))
	d.Links = slices.Compact(slices.Sorted(slices.Values(d.Links)))
	d.Sitemaps = slices.Compact(slices.Sorted(slices.Values(d.Sitemaps)))
	if len(d.Postings) > maxDocPostings || len(d.Links)+len(d.Sitemaps) > maxDocLinks {
		// An older entry, if any, stays: what it holds belongs to its
		// validators, which no longer match.
		r.log.Info("document not remembered: it leads to too much", "url", url,
			"postings", len(d.Postings), "links", len(d.Links)+len(d.Sitemaps))
		return nil
	}
	b, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("save crawl state: %w", err)
	}
	if err := r.c.opts.State.PutState(ctx, validatorKey(url), string(b)); err != nil {
		return fmt.Errorf("save crawl state: %w", err)
	}
	return nil
}

// skippable says whether a fetch error is a rule keeping us away from a page
// (robots.txt, a blocked address, a skipped host) rather than a failure.
func skippable(err error) bool {
	return errors.Is(err, errRobotsDisallow) || errors.Is(err, errHostSkipped)
}
