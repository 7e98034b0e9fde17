package redisstore

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Sources that the workers cannot share request by request (board APIs,
// HN, feeds: see crawler.SourceClaimer) are shared whole: each is crawled
// by one worker. The key source:<name> holds "crawling <worker id>" while a
// worker crawls it and "done <worker id>" once it has.

func (s *Store) sourceKey(name string) string { return s.key("source:" + name) }

// claimScript gives the source to worker ARGV[1] unless another live
// worker crawls it or it is done. A worker whose lease (ARGV[2] followed by
// its id) has lapsed loses its claim. It returns one of the claim values.
//
// KEYS: source:<name>. ARGV: id, lease key prefix.
var claimScript = redis.NewScript(`
local v = redis.call("GET", KEYS[1])
if v then
  if string.sub(v, 1, 5) == "done " then
    return 0
  end
  local owner = string.sub(v, 10)
  if owner ~= ARGV[1] and redis.call("EXISTS", ARGV[2] .. owner) == 1 then
    return 2
  end
end
redis.call("SET", KEYS[1], "crawling " .. ARGV[1])
return 1
`)

// What claimScript returns.
const (
	claimDone = 0 // some worker crawled the source
	claimMine = 1 // the asking worker crawls it now
	claimHeld = 2 // another live worker crawls it
)

func (s *Store) claim(ctx context.Context, name string) (int, error) {
	n, err := claimScript.Run(ctx, s.rdb, []string{s.sourceKey(name)}, s.id, s.leaseKey("")).Int()
	if err != nil {
		return 0, fmt.Errorf("redisstore: claim source %s: %w", name, err)
	}
	return n, nil
}

// ClaimSource reports whether this worker is to crawl the named source: the
// first worker to ask gets it, and the others do not while it crawls the
// source or once it has done so. A source whose worker died (its lease
// lapsed) or gave it up goes to the next worker that asks.
func (s *Store) ClaimSource(ctx context.Context, name string) (bool, error) {
	n, err := s.claim(ctx, name)
	return n == claimMine, err
}

// AwaitSource waits while another live worker crawls the named source. It
// returns false once the source is done, and true when this worker got it
// instead, because the worker crawling it died (its lease lapsed) or gave
// it up. It asks again at the poll interval (see WithPollInterval).
func (s *Store) AwaitSource(ctx context.Context, name string) (bool, error) {
	t := time.NewTicker(s.opts.poll)
	defer t.Stop()
	for {
		n, err := s.claim(ctx, name)
		if err != nil || n != claimHeld {
			return n == claimMine, err
		}
		select {
		case <-ctx.Done():
			return false, fmt.Errorf("redisstore: await source %s: %w", name, ctx.Err())
		case <-t.C:
		}
	}
}

// doneScript ends worker ARGV[1]'s claim: marks the source done when
// ARGV[2] is "1", else frees it. A claim that is no longer the worker's is
// left alone.
//
// KEYS: source:<name>. ARGV: id, ok.
var doneScript = redis.NewScript(`
if redis.call("GET", KEYS[1]) ~= "crawling " .. ARGV[1] then
  return 0
end
if ARGV[2] == "1" then
  redis.call("SET", KEYS[1], "done " .. ARGV[1])
else
  redis.call("DEL", KEYS[1])
end
return 1
`)

// SourceDone ends this worker's claim on the named source: the source is
// done when ok, and free for the next worker that asks when not (the crawl
// failed).
func (s *Store) SourceDone(ctx context.Context, name string, ok bool) error {
	flag := "0"
	if ok {
		flag = "1"
	}
	if err := doneScript.Run(ctx, s.rdb, []string{s.sourceKey(name)}, s.id, flag).Err(); err != nil {
		return fmt.Errorf("redisstore: end claim on source %s: %w", name, err)
	}
	return nil
}
