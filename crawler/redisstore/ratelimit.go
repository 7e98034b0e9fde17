package redisstore

import (
	"context"
	"fmt"
	"time"

	"github.com/gocolly/colly/v2"
	"github.com/redis/go-redis/v9"
)

// tokenScript takes the host's token if it is free and returns 0, or returns
// how many milliseconds the current token has left. KEYS: rate:<host>.
// ARGV: owner, delay in ms.
var tokenScript = redis.NewScript(`
if redis.call("SET", KEYS[1], ARGV[1], "NX", "PX", ARGV[2]) then
  return 0
end
local ttl = redis.call("PTTL", KEYS[1])
if ttl < 1 then ttl = 1 end
return ttl
`)

// Wait blocks until this worker may start a request to host: at most one
// request to a host starts per delay across all workers sharing the prefix.
// The token is a key that expires after delay; a worker that dies holding it
// delays the others by at most delay. Wait returns ctx.Err() when ctx ends.
func (s *Store) Wait(ctx context.Context, host string, delay time.Duration) error {
	if delay <= 0 {
		return nil
	}
	ms := max(delay.Milliseconds(), 1)
	key := s.key("rate:" + host)
	for {
		left, err := tokenScript.Run(ctx, s.rdb, []string{key}, s.id, ms).Int64()
		if err != nil {
			return fmt.Errorf("redisstore: rate limit %s: %w", host, err)
		}
		if left == 0 {
			return nil
		}
		t := time.NewTimer(time.Duration(left) * time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// RateLimit makes c call Wait for the request's host (host:port) before every
// request it sends, aborting the request if waiting fails. Redirects and
// robots.txt fetches are not limited.
func (s *Store) RateLimit(c *colly.Collector, delay time.Duration) {
	c.OnRequest(func(r *colly.Request) {
		if err := s.Wait(s.ctx, r.URL.Host, delay); err != nil {
			s.log.Warn("rate limit", "host", r.URL.Host, "err", err)
			r.Abort()
		}
	})
}
