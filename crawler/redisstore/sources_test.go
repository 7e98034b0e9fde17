package redisstore

import (
	"context"
	"errors"
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

// AwaitSource waits while a live worker holds the source: it returns false
// once that worker is done with it, true when that worker gave it up or
// died, and an error when its context ends first.
func TestAwaitSource(t *testing.T) {
	redisURL := startRedis(t)
	ctx := t.Context()
	const lease, poll = 600 * time.Millisecond, 20 * time.Millisecond
	deadCtx, kill := context.WithCancel(ctx)
	a := newStore(t, ctx, redisURL, "await", WithLease(lease), WithWorkerID("a"), WithPollInterval(poll))
	b := newStore(t, ctx, redisURL, "await", WithLease(lease), WithWorkerID("b"), WithPollInterval(poll))
	dead := newStore(t, deadCtx, redisURL, "await", WithLease(lease), WithWorkerID("dead"), WithPollInterval(poll))

	type result struct {
		mine bool
		err  error
	}
	await := func(s *Store, ctx context.Context, name string) chan result {
		ch := make(chan result, 1)
		go func() {
			mine, err := s.AwaitSource(ctx, name)
			ch <- result{mine, err}
		}()
		return ch
	}
	// still makes sure that the wait has not ended within several polls.
	still := func(ch chan result, what string) {
		t.Helper()
		select {
		case r := <-ch:
			t.Fatalf("%s: returned %+v while the source is held", what, r)
		case <-time.After(10 * poll):
		}
	}
	get := func(ch chan result, what string) result {
		t.Helper()
		select {
		case r := <-ch:
			return r
		case <-time.After(10 * lease):
			t.Fatalf("%s: still waiting", what)
		}
		return result{}
	}

	// Done by the worker holding it.
	if !claim(t, a, "hn") {
		t.Fatal("hn: want it for a")
	}
	ch := await(b, ctx, "hn")
	still(ch, "hn")
	if err := a.SourceDone(ctx, "hn", true); err != nil {
		t.Fatal(err)
	}
	if r := get(ch, "hn"); r.mine || r.err != nil {
		t.Errorf("hn done by a: b's wait returned %+v, want false", r)
	}

	// Given up after a failure.
	if !claim(t, a, "board") {
		t.Fatal("board: want it for a")
	}
	ch = await(b, ctx, "board")
	still(ch, "board")
	if err := a.SourceDone(ctx, "board", false); err != nil {
		t.Fatal(err)
	}
	if r := get(ch, "board"); !r.mine || r.err != nil {
		t.Errorf("board given up by a: b's wait returned %+v, want true", r)
	}
	if claim(t, a, "board") {
		t.Error("board: b took it over, yet a can claim it")
	}

	// Held by a worker that died.
	if !claim(t, dead, "feed") {
		t.Fatal("feed: want it for dead")
	}
	ch = await(b, ctx, "feed")
	still(ch, "feed")
	kill()
	if r := get(ch, "feed"); !r.mine || r.err != nil {
		t.Errorf("feed held by a dead worker: b's wait returned %+v, want true", r)
	}

	// The waiter's context ends first.
	if !claim(t, a, "blog") {
		t.Fatal("blog: want it for a")
	}
	waitCtx, stop := context.WithCancel(ctx)
	ch = await(b, waitCtx, "blog")
	still(ch, "blog")
	stop()
	if r := get(ch, "blog"); r.mine || !errors.Is(r.err, context.Canceled) {
		t.Errorf("blog, wait cancelled: returned %+v, want context.Canceled", r)
	}
}
