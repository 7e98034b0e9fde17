package redisstore

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// Sources that the workers cannot share request by request (board APIs,
// HN, feeds: see crawler.SourceClaimer) are shared whole: each is crawled
// by one worker. The key source:<name> holds "crawling <worker id>" while a
// worker crawls it and "done <worker id>" once it has.

func (s *Store) sourceKey(name string) string { return s.key("source:" + name) }

// claimScript gives the source to worker ARGV[1] unless another live
// worker crawls it or it is done. A worker whose lease (ARGV[2] followed by
// its id) has lapsed loses its claim.
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
    return 0
  end
end
redis.call("SET", KEYS[1], "crawling " .. ARGV[1])
return 1
`)

// ClaimSource reports whether this worker is to crawl the named source: the
// first worker to ask gets it, and the others do not while it crawls the
// source or once it has done so. A source whose worker died (its lease
// lapsed) or gave it up goes to the next worker that asks.
func (s *Store) ClaimSource(ctx context.Context, name string) (bool, error) {
	n, err := claimScript.Run(ctx, s.rdb, []string{s.sourceKey(name)}, s.id, s.leaseKey("")).Int()
	if err != nil {
		return false, fmt.Errorf("redisstore: claim source %s: %w", name, err)
	}
	return n == 1, nil
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
