// Package redisstore lets several crawler processes share one crawl through
// Redis. A Store is at the same time colly's storage.Storage (visited set and
// cookies) and colly's queue.Storage (the request queue), so every worker
// sees the same visited requests, the same session cookies and the same
// frontier.
//
// The queue is reliable: a request taken from it moves atomically into the
// worker's processing list and leaves it only when the worker acknowledges
// it. Every worker holds a lease that it renews while it lives; when a lease
// lapses (the process was killed or hangs), any other worker moves the dead
// worker's requests back to the queue and forgets the visited marks the dead
// worker made for them, so they are fetched again. Delivery is therefore at
// least once: a request whose response arrived just before the crash is
// fetched twice, a request is never lost.
//
// Wait is a per-host rate limiter shared by all workers: at most one request
// to a host starts per delay, however many processes crawl it.
//
// Run is the recommended consumer: it acknowledges each request after the
// collector has finished with it and returns only when the whole crawl, across
// all workers, is done. colly's queue.Queue works too (see AckOnDone).
package redisstore
