package redisstore

import (
	"context"
	"testing"
	"time"
)

// claim calls ClaimSource and fails the test on an error.
func claim(t *testing.T, s *Store, name string) bool {
	t.Helper()
	ok, err := s.ClaimSource(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// A source goes to the first worker that asks; no other gets it while that
// worker crawls it or after it is done. A source given up after a failure,
// or held by a worker whose lease lapsed, goes to the next worker that asks.
func TestClaimSource(t *testing.T) {
	redisURL := startRedis(t)
	ctx := t.Context()
	const lease = 600 * time.Millisecond
	deadCtx, kill := context.WithCancel(ctx)
	a := newStore(t, ctx, redisURL, "src", WithLease(lease), WithWorkerID("a"))
	b := newStore(t, ctx, redisURL, "src", WithLease(lease), WithWorkerID("b"))
	dead := newStore(t, deadCtx, redisURL, "src", WithLease(lease), WithWorkerID("dead"))
	other := newStore(t, ctx, redisURL, "another-crawl", WithLease(lease), WithWorkerID("b"))

	if !claim(t, a, "hn") || claim(t, b, "hn") {
		t.Fatal("hn: want it for a only")
	}
	if !claim(t, a, "hn") {
		t.Error("hn: a asking again should keep it")
	}
	if !claim(t, other, "hn") {
		t.Error("hn: a crawl under another prefix should get it too")
	}
	if err := a.SourceDone(ctx, "hn", true); err != nil {
		t.Fatal(err)
	}
	if claim(t, b, "hn") || claim(t, a, "hn") {
		t.Error("hn: done, yet claimed again")
	}

	// Given up after a failure: free again.
	if !claim(t, b, "board") {
		t.Fatal("board: want it for b")
	}
	if err := a.SourceDone(ctx, "board", true); err != nil { // not a's claim: no effect
		t.Fatal(err)
	}
	if claim(t, a, "board") {
		t.Fatal("board: a ended b's claim")
	}
	if err := b.SourceDone(ctx, "board", false); err != nil {
		t.Fatal(err)
	}
	if !claim(t, a, "board") {
		t.Error("board: given up by b, yet a cannot have it")
	}

	// Held by a worker that died: free once its lease lapses.
	if !claim(t, dead, "feed") {
		t.Fatal("feed: want it for dead")
	}
	kill() // stops renewing the lease, as a crash would
	if claim(t, b, "feed") {
		t.Fatal("feed: taken from a live worker")
	}
	deadline := time.Now().Add(5 * lease)
	for !claim(t, b, "feed") {
		if time.Now().After(deadline) {
			t.Fatal("feed: still held after the dead worker's lease lapsed")
		}
		time.Sleep(lease / 4)
	}
}
