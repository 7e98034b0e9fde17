package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/gocolly/colly/v2"
	whatwg "github.com/nlnwa/whatwg-url/url"
	"github.com/redis/go-redis/v9"
)

const redisNil = redis.Nil

// Keys of the colly request context: a queued request carries its item id
// and hash, so that callbacks can acknowledge it (AckOnDone).
const (
	ctxItemKey  = "redisstore.item"
	ctxHashKey  = "redisstore.hash"
	ctxAckedKey = "redisstore.acked"
)

// errEmpty tells colly's queue loop that another worker took the last request.
var errEmpty = errors.New("redisstore: queue is empty")

// item is one queued request as stored in Redis: a header line
// "<item id> <request hash>\n" followed by colly's serialized request. The
// id makes every element unique, so acknowledging removes exactly one; the
// hash is the key colly uses in the visited set, so a dead worker's marks can
// be cleared when its requests are requeued.
type item struct {
	raw     string
	id      string
	hash    uint64
	payload []byte
}

func parseItem(raw string) (item, error) {
	header, payload, ok := strings.Cut(raw, "\n")
	id, hexHash, ok2 := strings.Cut(header, " ")
	if !ok || !ok2 {
		return item{}, fmt.Errorf("redisstore: malformed queue item %.40q", raw)
	}
	h, err := strconv.ParseUint(hexHash, 16, 64)
	if err != nil {
		return item{}, fmt.Errorf("redisstore: malformed queue item hash %q: %w", hexHash, err)
	}
	return item{raw: raw, id: id, hash: h, payload: []byte(payload)}, nil
}

// colly's queue parser; the options must match colly's so hashes agree.
var urlParser = whatwg.NewParser(whatwg.WithPercentEncodeSinglePercentSign())

// requestHash computes the key colly will pass to IsVisited and Visited when
// it executes a queued request: the URL goes through the same parsing as in
// colly's UnmarshalRequest and scrape, then FNV-1a over URL and body.
func requestHash(rawURL string, body []byte) uint64 {
	u := rawURL
	if pu, err := url.Parse(u); err == nil {
		u = pu.String()
	}
	if wu, err := urlParser.Parse(u); err == nil {
		if pu, err := url.Parse(wu.Href(false)); err == nil {
			u = pu.String()
		}
	}
	if wu, err := urlParser.Parse(u); err == nil {
		u = wu.String()
	}
	h := fnv.New64a()
	h.Write([]byte(u))
	h.Write(body)
	return h.Sum64()
}

// AddRequest queues a request serialized by colly (Request.Marshal). A
// request already in the visited set is dropped.
func (s *Store) AddRequest(r []byte) error {
	return s.addRequest(s.ctx, r)
}

// Add queues r for whichever worker is free first.
func (s *Store) Add(ctx context.Context, r *colly.Request) error {
	b, err := r.Marshal()
	if err != nil {
		return fmt.Errorf("redisstore: marshal request: %w", err)
	}
	return s.addRequest(ctx, b)
}

// AddURL queues a GET request for rawURL.
func (s *Store) AddURL(ctx context.Context, rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return fmt.Errorf("redisstore: add %q: %w", rawURL, err)
	}
	return s.Add(ctx, &colly.Request{URL: u, Method: "GET"})
}

func (s *Store) addRequest(ctx context.Context, r []byte) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(r, &fields); err != nil {
		return fmt.Errorf("redisstore: add request: %w", err)
	}
	var req struct {
		URL  string
		Body []byte
		Ctx  map[string]json.RawMessage
	}
	if err := json.Unmarshal(r, &req); err != nil {
		return fmt.Errorf("redisstore: add request: %w", err)
	}
	s.mu.Lock()
	s.seq++
	id := s.id + "." + strconv.FormatUint(s.seq, 10)
	s.mu.Unlock()
	if req.Ctx == nil {
		req.Ctx = make(map[string]json.RawMessage, 1)
	}
	h := requestHash(req.URL, req.Body)
	req.Ctx[ctxItemKey], _ = json.Marshal(id)
	req.Ctx[ctxHashKey], _ = json.Marshal(hashField(h))
	delete(req.Ctx, ctxAckedKey)
	var err error
	if fields["Ctx"], err = json.Marshal(req.Ctx); err != nil {
		return fmt.Errorf("redisstore: add request: %w", err)
	}
	payload, err := json.Marshal(fields)
	if err != nil {
		return fmt.Errorf("redisstore: add request: %w", err)
	}
	raw := id + " " + hashField(h) + "\n" + string(payload)
	keys := []string{s.key("queue"), s.key("visited")}
	if err := addScript.Run(ctx, s.rdb, keys, raw, hashField(h)).Err(); err != nil {
		return fmt.Errorf("redisstore: add request %s: %w", req.URL, err)
	}
	return nil
}

// addScript queues a request unless it is in the visited set already: colly
// would drop it anyway, and pages linked from everywhere would otherwise
// fill the queue. (colly marks requests only when it checks for revisits, so
// with AllowURLRevisit nothing is skipped.) KEYS: queue, visited. ARGV:
// item, request hash.
var addScript = redis.NewScript(`
if redis.call("HEXISTS", KEYS[2], ARGV[2]) == 1 then
  return 0
end
return redis.call("LPUSH", KEYS[1], ARGV[1])
`)

// GetRequest takes the oldest queued request into this worker's processing
// list. It is colly's queue.Storage method; a request taken this way is
// acknowledged when colly drops it as visited, by the AckOnDone callbacks, or
// by Close, which puts unacknowledged requests back on the queue.
func (s *Store) GetRequest() ([]byte, error) {
	raw, err := s.rdb.LMove(s.ctx, s.key("queue"), s.processingKey(s.id), "RIGHT", "LEFT").Result()
	if errors.Is(err, redis.Nil) {
		return nil, errEmpty
	}
	if err != nil {
		return nil, fmt.Errorf("redisstore: get request: %w", err)
	}
	it, err := s.take(raw, true)
	if err != nil {
		return nil, err
	}
	return it.payload, nil
}

// take records an item moved into the processing list. A malformed item is
// dropped from the list and reported.
func (s *Store) take(raw string, trackHash bool) (item, error) {
	it, err := parseItem(raw)
	if err != nil {
		s.rdb.LRem(s.ctx, s.processingKey(s.id), 1, raw)
		return item{}, err
	}
	s.mu.Lock()
	s.inflight[it.id] = it
	if trackHash {
		s.byHash[it.hash] = append(s.byHash[it.hash], it.id)
	}
	s.mu.Unlock()
	return it, nil
}

// QueueSize returns the number of queued requests, after requeueing the
// requests of dead workers. Requests in flight at live workers are not
// counted, so with colly's queue.Queue a worker may stop while others still
// produce work; Run waits for them.
func (s *Store) QueueSize() (int, error) {
	if err := s.reapDead(s.ctx); err != nil {
		return 0, err
	}
	n, err := s.rdb.LLen(s.ctx, s.key("queue")).Result()
	if err != nil {
		return 0, fmt.Errorf("redisstore: queue size: %w", err)
	}
	return int(n), nil
}

// ack removes a taken item from the processing list. Acknowledging twice is
// harmless.
func (s *Store) ack(ctx context.Context, id string) error {
	s.mu.Lock()
	it, ok := s.inflight[id]
	if ok {
		delete(s.inflight, id)
		ids := s.byHash[it.hash]
		for i, v := range ids {
			if v == id {
				ids = append(ids[:i], ids[i+1:]...)
				break
			}
		}
		if len(ids) == 0 {
			delete(s.byHash, it.hash)
		} else {
			s.byHash[it.hash] = ids
		}
	}
	s.mu.Unlock()
	if !ok {
		return nil
	}
	if err := s.rdb.LRem(ctx, s.processingKey(s.id), 1, it.raw).Err(); err != nil {
		return fmt.Errorf("redisstore: ack %s: %w", id, err)
	}
	return nil
}

// ackHash acknowledges one request taken through GetRequest whose request
// hash is h, preferring item id prefer. Which of several in-flight requests
// with the same hash leaves the processing list does not matter: they are
// the same request, and each completion removes exactly one of them.
func (s *Store) ackHash(h uint64, prefer string) {
	s.mu.Lock()
	ids := s.byHash[h]
	id := ""
	if len(ids) > 0 {
		id = ids[0]
		if slices.Contains(ids, prefer) {
			id = prefer
		}
	}
	s.mu.Unlock()
	if id == "" {
		return
	}
	if err := s.ack(s.ctx, id); err != nil {
		s.log.Warn("acknowledge request", "err", err)
	}
}

// AckOnDone makes c acknowledge each queued request once its response has
// been handled (OnScraped) or has failed (OnError). It is needed only with
// colly's queue.Queue; Run acknowledges by itself. Links must be queued (not
// visited directly with Request.Visit, which would share the parent's
// context). Requests that c drops before fetching for other reasons than the
// visited set (URL filters, depth, robots.txt, Abort) stay in the processing
// list until Close requeues them.
func (s *Store) AckOnDone(c *colly.Collector) {
	ack := func(ctx *colly.Context) {
		if ctx == nil || ctx.GetAny(ctxAckedKey) != nil {
			return
		}
		id := ctx.Get(ctxItemKey)
		h, err := strconv.ParseUint(ctx.Get(ctxHashKey), 16, 64)
		if id == "" || err != nil {
			return
		}
		ctx.Put(ctxAckedKey, true) // OnError and OnScraped can both fire
		s.ackHash(h, id)
	}
	c.OnScraped(func(r *colly.Response) { ack(r.Ctx) })
	c.OnError(func(r *colly.Response, _ error) { ack(r.Ctx) })
}

// outstandingScript counts queued requests plus the requests in flight at
// every registered worker. KEYS: queue, workers. ARGV: prefix.
var outstandingScript = redis.NewScript(`
local n = redis.call("LLEN", KEYS[1])
for _, id in ipairs(redis.call("SMEMBERS", KEYS[2])) do
  n = n + redis.call("LLEN", ARGV[1] .. "processing:" .. id)
end
return n
`)

// Outstanding returns the number of requests queued or in flight at any
// live or not yet requeued worker. The crawl is over when it is zero.
func (s *Store) Outstanding(ctx context.Context) (int, error) {
	n, err := outstandingScript.Run(ctx, s.rdb, []string{s.key("queue"), s.key("workers")}, s.prefix).Int()
	if err != nil {
		return 0, fmt.Errorf("redisstore: outstanding requests: %w", err)
	}
	return n, nil
}

// Run executes queued requests with c on threads goroutines until the crawl
// is over for every worker: the queue is empty and no worker holds a request
// (a dead worker's requests are requeued after its lease lapses, and run
// here). Each request is acknowledged after c.Do returns, whatever the
// outcome, so requests added by its callbacks are queued before it leaves
// the processing list. c must not be Async. When ctx is cancelled Run lets
// running requests finish and returns ctx.Err().
func (s *Store) Run(ctx context.Context, c *colly.Collector, threads int) error {
	if c.Async {
		return errors.New("redisstore: run: collector must not be async")
	}
	threads = max(threads, 1)
	// Each thread holds a connection while it blocks on the queue.
	if pool := s.rdb.Options().PoolSize; threads > pool-4 {
		return fmt.Errorf("redisstore: run: %d threads need a Redis pool of %d connections, have %d (add ?pool_size=N to the URL)", threads, threads+4, pool)
	}
	var wg sync.WaitGroup
	errs := make([]error, threads)
	for i := range threads {
		wg.Go(func() { errs[i] = s.consume(ctx, c) })
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	return errors.Join(errs...)
}

func (s *Store) consume(ctx context.Context, c *colly.Collector) error {
	// BLMOVE's timeout in seconds, as Redis parses it (fractions allowed).
	block := strconv.FormatFloat(s.opts.poll.Seconds(), 'f', 3, 64)
	for ctx.Err() == nil {
		if err := s.reapDead(ctx); err != nil {
			return err
		}
		raw, err := s.rdb.Do(ctx, "BLMOVE", s.key("queue"), s.processingKey(s.id), "RIGHT", "LEFT", block).Text()
		if errors.Is(err, redis.Nil) {
			n, err := s.Outstanding(ctx)
			if err != nil {
				return err
			}
			if n == 0 {
				return nil
			}
			continue
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("redisstore: take request: %w", err)
		}
		it, err := s.take(raw, false)
		if err != nil {
			s.log.Warn("dropped queue item", "err", err)
			continue
		}
		req, err := c.UnmarshalRequest(it.payload)
		if err == nil {
			err = req.Do()
		}
		if err != nil {
			s.log.Debug("request not fetched", "item", it.id, "err", err)
		}
		// Acknowledge even when ctx is cancelled: the request has been handled.
		if err := s.ack(context.WithoutCancel(ctx), it.id); err != nil {
			return err
		}
	}
	return nil
}
