package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

const (
	maxRobotsBytes = 512 << 10        // the rest of a longer robots.txt is ignored
	maxCrawlDelay  = 30 * time.Second // a host asking for more is skipped this run
)

// robotsEntry is one host's robots.txt, fetched once per Crawler.
type robotsEntry struct {
	once  sync.Once
	group *robotstxt.Group // nil: everything allowed
	err   error            // non-nil: the host is skipped
}

// checkRobots fetches the host's robots.txt on first use and says whether
// req may go ahead. A robots.txt that fails with 5xx or a network error, or
// that asks for a Crawl-delay over 30 s, makes the whole host skipped.
func (t *transport) checkRobots(ctx context.Context, req *http.Request, g *hostGate) error {
	host := req.URL.Host
	t.mu.Lock()
	e := t.robots[host]
	if e == nil {
		e = &robotsEntry{}
		t.robots[host] = e
	}
	t.mu.Unlock()
	e.once.Do(func() {
		e.group, e.err = t.fetchRobots(ctx, req.URL.Scheme+"://"+host+"/robots.txt", g)
		if e.err != nil {
			g.mu.Lock()
			g.skipped = e.err
			g.mu.Unlock()
			t.log.Warn("skipping host", "host", host, "reason", e.err)
		}
	})
	if e.err != nil {
		return fmt.Errorf("%s: %w: %w", host, errHostSkipped, e.err)
	}
	if e.group == nil {
		return nil
	}
	path := req.URL.EscapedPath()
	if req.URL.RawQuery != "" {
		path += "?" + req.URL.RawQuery
	}
	if !e.group.Test(path) {
		return fmt.Errorf("GET %s: %w", req.URL, errRobotsDisallow)
	}
	return nil
}

func (t *transport) fetchRobots(ctx context.Context, url string, g *hostGate) (*robotstxt.Group, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("robots.txt: %w", err)
	}
	var resp *http.Response
	for hops := 0; ; hops++ {
		resp, err = t.attempt(req, g)
		if err != nil {
			return nil, fmt.Errorf("robots.txt: %w", err)
		}
		loc := resp.Header.Get("Location")
		if resp.StatusCode < 300 || resp.StatusCode >= 400 || loc == "" || hops == 5 {
			break
		}
		resp.Body.Close()
		next, err := req.URL.Parse(loc)
		if err != nil {
			return nil, fmt.Errorf("robots.txt redirect: %w", err)
		}
		if req, err = http.NewRequestWithContext(ctx, http.MethodGet, next.String(), nil); err != nil {
			return nil, fmt.Errorf("robots.txt: %w", err)
		}
		g = t.gate(next.Host)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode >= 500:
		return nil, fmt.Errorf("robots.txt: %s", resp.Status)
	case resp.StatusCode >= 400 || resp.StatusCode >= 300:
		return nil, nil // no robots.txt: everything allowed
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxRobotsBytes))
	if err != nil && !errors.Is(err, errTooLarge) {
		return nil, fmt.Errorf("robots.txt: %w", err)
	}
	data, err := robotstxt.FromBytes(body)
	if err != nil {
		return nil, fmt.Errorf("robots.txt: %w", err)
	}
	group := data.FindGroup(t.userAgent)
	if group.CrawlDelay > maxCrawlDelay {
		return nil, fmt.Errorf("robots.txt: Crawl-delay %s is over %s", group.CrawlDelay, maxCrawlDelay)
	}
	if group.CrawlDelay > 0 {
		g.slowDown(group.CrawlDelay)
	}
	return group, nil
}
