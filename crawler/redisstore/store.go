package redisstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Store is a Redis-backed colly storage and request queue for one worker
// process. Its methods are safe for concurrent use.
type Store struct {
	rdb    *redis.Client
	prefix string
	id     string // this worker's id, unique within the prefix
	opts   options
	log    *slog.Logger

	// ctx bounds the calls made through colly's interfaces, which take no
	// context, and the lease renewal; Close cancels it.
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{} // closed when the lease goroutine has stopped

	mu       sync.Mutex
	seq      uint64
	inflight map[string]item     // item id -> item, taken by this worker and not yet acknowledged
	byHash   map[uint64][]string // request hash -> item ids, for items taken through GetRequest
	// unvisited counts IsVisited calls that found a request unmarked and
	// await colly's Visited call, which then must win the mark.
	unvisited map[uint64]int
	lastReap  time.Time

	closeOnce sync.Once
	closeErr  error
}

type options struct {
	log   *slog.Logger
	lease time.Duration
	poll  time.Duration
	id    string
}

// Option configures a Store.
type Option func(*options)

// WithLogger sets the logger; nil discards.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// WithLease sets how long a worker may go without renewing its lease before
// the other workers take back its requests (default 15s). It must exceed the
// worst pause of a live worker; the lease is renewed every third of it.
func WithLease(d time.Duration) Option { return func(o *options) { o.lease = d } }

// WithPollInterval sets how long an idle worker blocks on the empty queue
// before it checks whether the crawl is over (default 250ms, at most 2s).
// It is also how long the last workers linger after the crawl ends.
func WithPollInterval(d time.Duration) Option { return func(o *options) { o.poll = d } }

// WithWorkerID names this worker instead of host-pid-N. Ids must be unique
// among the live workers of one prefix.
func WithWorkerID(id string) Option { return func(o *options) { o.id = id } }

// New connects to the Redis server at redisURL (redis://host:port/db, or
// rediss:// for TLS; go-redis URL parameters such as pool_size apply; the
// pool defaults to 128 connections, enough for Run with 124 threads), registers this process as a worker under prefix and
// starts renewing its lease. All keys live under prefix + ":". ctx bounds the
// Store's lifetime: when it is cancelled the lease is no longer renewed.
func New(ctx context.Context, redisURL, prefix string, opts ...Option) (*Store, error) {
	if prefix == "" {
		return nil, errors.New("redisstore: empty key prefix")
	}
	o := options{lease: 15 * time.Second, poll: 250 * time.Millisecond}
	for _, opt := range opts {
		opt(&o)
	}
	if o.lease < 30*time.Millisecond {
		return nil, fmt.Errorf("redisstore: lease %s too short", o.lease)
	}
	if o.poll <= 0 {
		o.poll = 250 * time.Millisecond
	}
	// A blocked BLMOVE must return before the client's 3s read timeout.
	o.poll = min(o.poll, 2*time.Second)
	if o.log == nil {
		o.log = slog.New(slog.DiscardHandler)
	}
	ropts, err := redis.ParseURL(redisURL)
	if err != nil {
		return nil, fmt.Errorf("redisstore: parse url: %w", err)
	}
	if ropts.PoolSize == 0 {
		// Each Run thread holds a connection while it blocks on the queue;
		// connections are opened only when needed.
		ropts.PoolSize = 128
	}
	rdb := redis.NewClient(ropts)
	if err := rdb.Ping(ctx).Err(); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("redisstore: connect %s: %w", ropts.Addr, err)
	}
	s := &Store{
		rdb:       rdb,
		prefix:    prefix + ":",
		opts:      o,
		inflight:  make(map[string]item),
		byHash:    make(map[uint64][]string),
		unvisited: make(map[uint64]int),
		done:      make(chan struct{}),
	}
	s.id = o.id
	if s.id == "" {
		n, err := rdb.Incr(ctx, s.key("seq")).Result()
		if err != nil {
			rdb.Close()
			return nil, fmt.Errorf("redisstore: worker id: %w", err)
		}
		host, _ := os.Hostname()
		s.id = fmt.Sprintf("%s-%d-%d", host, os.Getpid(), n)
	}
	if strings.ContainsAny(s.id, " \n") {
		rdb.Close()
		return nil, fmt.Errorf("redisstore: worker id %q contains a space or newline", s.id)
	}
	s.log = o.log.With("stage", "crawl", "worker", s.id)
	if err := s.register(ctx); err != nil {
		rdb.Close()
		return nil, err
	}
	s.ctx, s.cancel = context.WithCancel(ctx)
	go s.keepLease()
	return s, nil
}

// ID returns this worker's id.
func (s *Store) ID() string { return s.id }

// Init checks the connection; colly calls it from SetStorage and queue.New.
func (s *Store) Init() error {
	if err := s.rdb.Ping(s.ctx).Err(); err != nil {
		return fmt.Errorf("redisstore: ping: %w", err)
	}
	return nil
}

// Close stops renewing the lease, puts the requests this worker took but did
// not acknowledge back on the queue, deregisters the worker and closes the
// connection. Calling it again returns the first result.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.cancel()
		<-s.done
		// The store's context may be cancelled already (shutdown); giving
		// the requests back still deserves a short grace period.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(s.ctx), 5*time.Second)
		defer cancel()
		_, err := s.releaseWorker(ctx, s.id, false)
		if err != nil {
			err = fmt.Errorf("redisstore: release %s: %w", s.id, err)
		}
		s.closeErr = errors.Join(err, s.rdb.Close())
	})
	return s.closeErr
}

// Reset deletes every key under the prefix: visited set, cookies, queue,
// leases. Run it between crawls, never while workers are running.
func (s *Store) Reset(ctx context.Context) error {
	pattern := globEscape(s.prefix) + "*"
	iter := s.rdb.Scan(ctx, 0, pattern, 500).Iterator()
	var batch []string
	for iter.Next(ctx) {
		batch = append(batch, iter.Val())
		if len(batch) == 500 {
			if err := s.rdb.Unlink(ctx, batch...).Err(); err != nil {
				return fmt.Errorf("redisstore: reset: %w", err)
			}
			batch = batch[:0]
		}
	}
	if err := iter.Err(); err != nil {
		return fmt.Errorf("redisstore: reset: %w", err)
	}
	if len(batch) > 0 {
		if err := s.rdb.Unlink(ctx, batch...).Err(); err != nil {
			return fmt.Errorf("redisstore: reset: %w", err)
		}
	}
	return nil
}

func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[]\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (s *Store) key(name string) string { return s.prefix + name }

func (s *Store) leaseKey(id string) string { return s.prefix + "lease:" + id }

func (s *Store) processingKey(id string) string { return s.prefix + "processing:" + id }

// register takes the worker id's lease, refusing an id whose lease is alive,
// and requeues what an earlier process with the same id left behind.
func (s *Store) register(ctx context.Context) error {
	ok, err := s.rdb.SetNX(ctx, s.leaseKey(s.id), "starting", s.opts.lease).Result()
	if err != nil {
		return fmt.Errorf("redisstore: register worker %s: %w", s.id, err)
	}
	if !ok {
		return fmt.Errorf("redisstore: worker id %s is in use (its lease has not lapsed)", s.id)
	}
	n, err := s.releaseWorker(ctx, s.id, false)
	if err != nil {
		return fmt.Errorf("redisstore: register worker %s: %w", s.id, err)
	}
	if n > 0 {
		s.log.Warn("requeued requests left by an earlier worker with this id", "requests", n)
	}
	return s.renewLease(ctx)
}

func (s *Store) renewLease(ctx context.Context) error {
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, s.leaseKey(s.id), time.Now().UTC().Format(time.RFC3339Nano), s.opts.lease)
		p.SAdd(ctx, s.key("workers"), s.id)
		return nil
	})
	if err != nil {
		return fmt.Errorf("redisstore: renew lease: %w", err)
	}
	return nil
}

func (s *Store) keepLease() {
	defer close(s.done)
	t := time.NewTicker(s.opts.lease / 3)
	defer t.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
			if err := s.renewLease(s.ctx); err != nil && s.ctx.Err() == nil {
				s.log.Warn("lease not renewed", "err", err)
			}
		}
	}
}

// releaseScript moves a worker's processing list back to the head of the
// queue, forgets the visited marks that worker made for those requests (so
// that the next worker does not skip them) and deregisters the worker. With
// ARGV[3] == "1" it does nothing while the worker's lease is alive.
//
// KEYS: queue, visited, workers, processing:<id>, lease:<id>. ARGV: id, unused, check.
var releaseScript = redis.NewScript(`
if ARGV[3] == "1" and redis.call("EXISTS", KEYS[5]) == 1 then
  return -1
end
local n = 0
while true do
  local it = redis.call("LMOVE", KEYS[4], KEYS[1], "LEFT", "RIGHT")
  if not it then break end
  n = n + 1
  local h = string.match(it, "^%S+ (%x+)\n")
  if h and redis.call("HGET", KEYS[2], h) == ARGV[1] then
    redis.call("HDEL", KEYS[2], h)
  end
end
redis.call("DEL", KEYS[5])
redis.call("SREM", KEYS[3], ARGV[1])
return n
`)

// releaseWorker runs releaseScript for worker id and returns how many
// requests went back to the queue (-1: the worker is alive).
func (s *Store) releaseWorker(ctx context.Context, id string, onlyIfDead bool) (int64, error) {
	check := "0"
	if onlyIfDead {
		check = "1"
	}
	keys := []string{s.key("queue"), s.key("visited"), s.key("workers"), s.processingKey(id), s.leaseKey(id)}
	n, err := releaseScript.Run(ctx, s.rdb, keys, id, "", check).Int64()
	if err != nil {
		return 0, err
	}
	if id == s.id {
		s.mu.Lock()
		clear(s.inflight)
		clear(s.byHash)
		s.mu.Unlock()
	}
	return n, nil
}

// reapDead requeues the requests of every worker whose lease has lapsed: the
// registered workers and any processing list left without one (a worker that
// was reaped during a long pause, took a request and died before it
// re-registered). It runs at most twice per lease period per process.
func (s *Store) reapDead(ctx context.Context) error {
	s.mu.Lock()
	if time.Since(s.lastReap) < s.opts.lease/2 {
		s.mu.Unlock()
		return nil
	}
	s.lastReap = time.Now()
	s.mu.Unlock()
	ids, err := s.rdb.SMembers(ctx, s.key("workers")).Result()
	if err != nil {
		return fmt.Errorf("redisstore: list workers: %w", err)
	}
	procPrefix := s.processingKey("")
	iter := s.rdb.Scan(ctx, 0, globEscape(procPrefix)+"*", 100).Iterator()
	for iter.Next(ctx) {
		if id := strings.TrimPrefix(iter.Val(), procPrefix); !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if err := iter.Err(); err != nil {
		return fmt.Errorf("redisstore: list processing lists: %w", err)
	}
	for _, id := range ids {
		if id == s.id {
			continue
		}
		n, err := s.releaseWorker(ctx, id, true)
		if err != nil {
			return fmt.Errorf("redisstore: requeue worker %s: %w", id, err)
		}
		if n >= 0 {
			s.log.Warn("worker lease lapsed, requests requeued", "dead", id, "requests", n)
		}
	}
	return nil
}
