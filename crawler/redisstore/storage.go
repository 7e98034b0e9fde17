package redisstore

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
)

// ErrAlreadyVisited is returned by Visited when another worker (or another
// goroutine) marked the request between colly's IsVisited and Visited calls.
// colly then drops the request, so each request is fetched by one worker.
var ErrAlreadyVisited = errors.New("redisstore: request already visited by another worker")

func hashField(h uint64) string { return strconv.FormatUint(h, 16) }

// Visited marks a request as visited by this worker. The mark is atomic
// (HSETNX). If the request is marked already, Visited returns
// ErrAlreadyVisited when it follows an IsVisited call that found the request
// unvisited (a race another goroutine won), and nil otherwise: colly also
// marks requests it knowingly revisits (retries following a redirect).
func (s *Store) Visited(requestID uint64) error {
	s.mu.Lock()
	checked := s.unvisited[requestID] > 0
	if checked {
		if s.unvisited[requestID]--; s.unvisited[requestID] == 0 {
			delete(s.unvisited, requestID)
		}
	}
	s.mu.Unlock()
	ok, err := s.rdb.HSetNX(s.ctx, s.key("visited"), hashField(requestID), s.id).Result()
	if err != nil {
		return fmt.Errorf("redisstore: mark visited: %w", err)
	}
	if !ok && checked {
		s.ackHash(requestID, "")
		return ErrAlreadyVisited
	}
	return nil
}

// IsVisited reports whether any worker has marked the request. A request that
// this worker took through GetRequest and that turns out to be visited is
// acknowledged here, since colly drops it without calling back.
func (s *Store) IsVisited(requestID uint64) (bool, error) {
	ok, err := s.rdb.HExists(s.ctx, s.key("visited"), hashField(requestID)).Result()
	if err != nil {
		return false, fmt.Errorf("redisstore: is visited: %w", err)
	}
	if ok {
		s.ackHash(requestID, "")
	} else {
		s.mu.Lock()
		s.unvisited[requestID]++
		s.mu.Unlock()
	}
	return ok, nil
}

// Cookies returns the cookies stored for u's host, in colly's
// newline-separated Set-Cookie form. colly's interface has no error return,
// so a Redis error is logged and reads as no cookies.
func (s *Store) Cookies(u *url.URL) string {
	v, err := s.rdb.HGet(s.ctx, s.key("cookies"), u.Host).Result()
	if err != nil {
		if !errors.Is(err, redisNil) {
			s.log.Warn("read cookies", "host", u.Host, "err", err)
		}
		return ""
	}
	return v
}

// SetCookies replaces the cookies stored for u's host. colly merges old and
// new cookies before calling it; a Redis error is logged.
func (s *Store) SetCookies(u *url.URL, cookies string) {
	if err := s.rdb.HSet(s.ctx, s.key("cookies"), u.Host, cookies).Err(); err != nil {
		s.log.Warn("store cookies", "host", u.Host, "err", err)
	}
}
