package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Errors a caller branches on: a page that politeness or safety rules keep us
// from fetching is skipped, not counted as a failure of the source.
var (
	errBlockedAddress = errors.New("address is private, loopback or link-local")
	errRobotsDisallow = errors.New("disallowed by robots.txt")
	errHostSkipped    = errors.New("host skipped for this run")
	errTooLarge       = errors.New("body exceeds size cap")
)

const (
	maxRetryAfter = 2 * time.Minute // a server asking for a longer pause is given up on
	backoffBase   = 400 * time.Millisecond
)

// transport is the one http.RoundTripper every request of a Crawler goes
// through, so that politeness and safety hold for API calls, page fetches,
// robots.txt and every redirect hop alike. Per host it keeps a gate (at most
// Parallelism requests in flight, request starts at least Delay apart); it
// checks robots.txt when the request context asks for it, retries 429 and 5xx
// with Retry-After or jittered backoff, bounds each attempt by Timeout
// (including the body) and caps the body after decompression.
type transport struct {
	base        http.RoundTripper
	delay       time.Duration
	parallelism int
	timeout     time.Duration
	maxBody     int64
	maxTries    int
	userAgent   string
	log         *slog.Logger

	mu     sync.Mutex
	gates  map[string]*hostGate
	robots map[string]*robotsEntry
}

type robotsKey struct{}

// withRobots marks a context so that requests made with it obey robots.txt.
func withRobots(ctx context.Context) context.Context {
	return context.WithValue(ctx, robotsKey{}, true)
}

func newTransport(p politeness, userAgent string, log *slog.Logger) *transport {
	dialer := &net.Dialer{Timeout: p.Timeout, KeepAlive: 30 * time.Second}
	if !p.AllowPrivateAddresses {
		dialer.Control = blockPrivate
	}
	base := &http.Transport{
		Proxy:                 nil, // a proxy would dial for us and bypass the address check
		DialContext:           dialer.DialContext,
		DisableCompression:    true, // we decompress ourselves, to cap the decompressed size
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   max(p.Parallelism*2, 4),
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   p.Timeout,
		ResponseHeaderTimeout: p.Timeout,
		ForceAttemptHTTP2:     true,
	}
	return &transport{
		base:        base,
		delay:       p.Delay,
		parallelism: p.Parallelism,
		timeout:     p.Timeout,
		maxBody:     p.MaxBodyBytes,
		maxTries:    p.MaxRetries,
		userAgent:   userAgent,
		log:         log,
		gates:       map[string]*hostGate{},
		robots:      map[string]*robotsEntry{},
	}
}

// blockPrivate runs when a connection is about to be made, after DNS, so it
// covers host names, redirects and links alike.
func blockPrivate(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("dial %s: %w", address, err)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("dial %s: %w", address, err)
	}
	ip = ip.Unmap()
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsUnspecified() || ip.IsMulticast() || cgnat.Contains(ip) {
		return fmt.Errorf("dial %s: %w", address, errBlockedAddress)
	}
	return nil
}

var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// hostGate limits the requests to one host.
type hostGate struct {
	sem     chan struct{}
	mu      sync.Mutex
	next    time.Time
	delay   time.Duration
	skipped error // non-nil: every request to the host fails with it
}

func (t *transport) gate(host string) *hostGate {
	t.mu.Lock()
	defer t.mu.Unlock()
	g := t.gates[host]
	if g == nil {
		g = &hostGate{sem: make(chan struct{}, max(t.parallelism, 1)), delay: max(t.delay, 0)}
		t.gates[host] = g
	}
	return g
}

// acquire waits for a free slot and for the host's next start time; the
// returned func frees the slot.
func (g *hostGate) acquire(ctx context.Context) (func(), error) {
	select {
	case g.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	release := func() { <-g.sem }
	g.mu.Lock()
	now := time.Now()
	start := now
	if g.next.After(now) {
		start = g.next
	}
	g.next = start.Add(g.delay)
	g.mu.Unlock()
	if wait := start.Sub(now); wait > 0 {
		if err := sleep(ctx, wait); err != nil {
			release()
			return nil, err
		}
	}
	return release, nil
}

// slowDown raises the host's delay, e.g. to a robots.txt Crawl-delay.
func (g *hostGate) slowDown(d time.Duration) {
	g.mu.Lock()
	g.delay = max(g.delay, d)
	g.mu.Unlock()
}

func sleep(ctx context.Context, d time.Duration) error {
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// RoundTrip implements http.RoundTripper.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	host := req.URL.Host
	g := t.gate(host)
	g.mu.Lock()
	skipped := g.skipped
	g.mu.Unlock()
	if skipped != nil {
		return nil, fmt.Errorf("%s: %w", host, skipped)
	}
	if req.Context().Value(robotsKey{}) != nil && req.URL.Path != "/robots.txt" {
		if err := t.checkRobots(req.Context(), req, g); err != nil {
			return nil, err
		}
	}
	tries := max(t.maxTries, 1)
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		tries = 1
	}
	for try := 1; ; try++ {
		resp, err := t.attempt(req, g)
		if err != nil {
			return nil, err
		}
		wait, retry := retryWait(resp, try)
		if !retry || try >= tries {
			return resp, nil
		}
		if wait > maxRetryAfter {
			resp.Body.Close()
			return nil, fmt.Errorf("GET %s: %s asks to retry after %s", req.URL, resp.Status, wait)
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		t.log.Debug("retrying", "url", req.URL.String(), "status", resp.StatusCode, "wait", wait, "try", try)
		if err := sleep(req.Context(), wait); err != nil {
			return nil, err
		}
	}
}

// retryWait says whether a response is worth another try and how long to
// wait first: Retry-After when the server gives it, else jittered
// exponential backoff.
func retryWait(resp *http.Response, try int) (time.Duration, bool) {
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable,
		http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout:
	default:
		return 0, false
	}
	if ra := resp.Header.Get("Retry-After"); ra != "" {
		if s, err := strconv.Atoi(strings.TrimSpace(ra)); err == nil && s >= 0 {
			return time.Duration(s) * time.Second, true
		}
		if at, err := http.ParseTime(ra); err == nil {
			return max(time.Until(at), 0), true
		}
	}
	d := backoffBase << (try - 1)
	return d/2 + rand.N(d), true // jitter: 0.5x to 1.5x
}

// attempt makes one request under the host gate and the per-attempt
// deadline; the gate slot and the deadline last until the body is closed.
//
// Waiting for the gate does not count against the deadline: with many
// requests queued for one polite host, the wait can be much longer than
// the time a single request may take.
func (t *transport) attempt(req *http.Request, g *hostGate) (*http.Response, error) {
	release, err := g.acquire(req.Context())
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(req.Context(), t.timeout)
	r := req.Clone(ctx)
	if r.Header.Get("User-Agent") == "" {
		r.Header.Set("User-Agent", t.userAgent)
	}
	r.Header.Set("Accept-Encoding", "gzip")
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		release()
		cancel()
		return nil, err
	}
	done := func() { release(); cancel() }
	if resp.ContentLength > t.maxBody {
		resp.Body.Close()
		done()
		return nil, fmt.Errorf("GET %s: Content-Length %d: %w (%d bytes)", req.URL, resp.ContentLength, errTooLarge, t.maxBody)
	}
	body, err := t.decodeBody(resp, req)
	if err != nil {
		resp.Body.Close()
		done()
		return nil, err
	}
	resp.Body = &cappedBody{r: body, closer: resp.Body, left: t.maxBody, url: req.URL.String(), limit: t.maxBody, done: done}
	resp.Uncompressed = true
	resp.ContentLength = -1
	resp.Header.Del("Content-Length")
	resp.Header.Del("Content-Encoding")
	return resp, nil
}

// decodeBody undoes gzip however the server signals it (Content-Encoding, a
// gzip Content-Type, a .gz path), so that the size cap applies to what we
// parse, not to what crossed the wire.
func (t *transport) decodeBody(resp *http.Response, req *http.Request) (io.Reader, error) {
	ce := strings.ToLower(resp.Header.Get("Content-Encoding"))
	ct := strings.ToLower(resp.Header.Get("Content-Type"))
	gz := strings.Contains(ce, "gzip") || (ce == "" && strings.Contains(ct, "gzip")) ||
		strings.HasSuffix(strings.ToLower(req.URL.Path), ".gz")
	if !gz || resp.Request.Method == http.MethodHead || resp.StatusCode == http.StatusNotModified {
		return resp.Body, nil
	}
	br := &peekReader{r: resp.Body}
	magic, err := br.peek(2)
	if err != nil || !bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		return br, nil // not actually compressed (or empty)
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, fmt.Errorf("GET %s: gzip: %w", req.URL, err)
	}
	if strings.Contains(ct, "gzip") {
		resp.Header.Set("Content-Type", "application/xml")
	}
	return zr, nil
}

type peekReader struct {
	r   io.Reader
	buf []byte
}

func (p *peekReader) peek(n int) ([]byte, error) {
	for len(p.buf) < n {
		b := make([]byte, n-len(p.buf))
		k, err := p.r.Read(b)
		p.buf = append(p.buf, b[:k]...)
		if err != nil {
			return p.buf, err
		}
	}
	return p.buf, nil
}

func (p *peekReader) Read(b []byte) (int, error) {
	if len(p.buf) > 0 {
		n := copy(b, p.buf)
		p.buf = p.buf[n:]
		return n, nil
	}
	return p.r.Read(b)
}

// cappedBody fails with errTooLarge instead of silently truncating, so an
// oversize page is rejected rather than parsed in part.
type cappedBody struct {
	r      io.Reader
	closer io.Closer
	left   int64
	limit  int64
	url    string
	once   sync.Once
	done   func()
}

func (c *cappedBody) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, fmt.Errorf("GET %s: %w (%d bytes)", c.url, errTooLarge, c.limit)
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return 0, fmt.Errorf("GET %s: %w (%d bytes)", c.url, errTooLarge, c.limit)
	}
	return n, err
}

func (c *cappedBody) Close() error {
	err := c.closer.Close()
	c.once.Do(c.done)
	return err
}
