// Package crawler is the first stage of the pipeline: it collects job
// postings from public sources (the Hacker News "Who is hiring?" threads
// through the Algolia API, Greenhouse, Lever and Ashby job boards, career
// sites with schema.org JobPosting markup, RSS and Atom feeds) and hands each
// one, as a skilltrend.Posting, to the caller.
//
// All fetching goes through colly with one shared transport that makes the
// crawler polite (robots.txt, per-host delay and parallelism, conditional
// GET) and hard to break (retries with Retry-After and backoff, deadlines,
// size caps after decompression, charset decoding, private addresses
// blocked at dial time). colly and goquery stay inside this package.
package crawler
