// Package synth is skilltrend's synthetic backend job market: the data of
// `skilltrend demo` and of the benchmarks, the HTTP server that publishes it
// in the formats real sources use, and the readers of `skilltrend import`.
//
// # The market
//
// Generate (or Stream, for millions) draws postings month by month from a
// seed: varied companies, titles, seniority, locations, work modes and pay
// in several currencies and periods, with multi-paragraph descriptions that
// have "Requirements" and "Nice to have" sections, skills written the way
// postings write them (Golang, k8s, Postgres, LLM...) and sentences with
// look-alikes that are not skills (go-live, Series C, R&D, the rest of,
// cutting-edge). A few skills follow declared trends (Trends): Go and Rust
// rise, PHP falls, AI grows fast, Python, Java, Kubernetes and PostgreSQL
// stay flat; a trended skill is drawn for each posting independently with
// the month's declared probability, so its share of all postings follows
// the declared line. A known share of postings (Options.DuplicateRate)
// repost a job on a second source. GenerateLabeled returns the ground truth
// with each posting (role, seniority, controlled skills, the original of a
// repost); Aliases lists how each trended skill is worded. Postings are
// independent draws from (seed, index), so Stream generates them on every
// core and yields them in order.
//
// # The server
//
// Handler serves a list of postings at one base URL, each posting in
// exactly one format chosen by its Source (see Format):
//
//	Source "hn": the HN Algolia API of the "Who is hiring?" threads
//	  GET /api/v1/search_by_date?tags=story,author_whoishiring&page=N[&hitsPerPage=K][&numericFilters=created_at_i>T]
//	  GET /api/v1/search_by_date?tags=comment,story_{id}   the comments of one thread
//	  GET /api/v1/items/{id}      a thread with its comments (a posting each) and their replies
//	  Each month has three whoishiring stories: "Who is hiring?", whose
//	  top-level comments are the postings (plus one deleted comment, and
//	  replies under some postings), and "Who wants to be hired?" and
//	  "Freelancer? Seeking freelancer?", which hold no postings.
//
//	Source "gh-<board>": a Greenhouse job board API
//	  GET /v1/boards/{board}
//	  GET /v1/boards/{board}/jobs[?content=true]
//	  GET /v1/boards/{board}/jobs/{id}
//
//	any other Source: a career site with schema.org JobPosting JSON-LD
//	  GET /careers/{source}/[?page=N]       job index, 50 per page, rel=next links
//	  GET /careers/{source}/jobs/{id}       one job page with its JSON-LD
//	  GET /careers/{source}/sitemap.xml     that site's job pages
//	  GET /robots.txt                       allows crawling, lists /sitemap.xml
//	  GET /sitemap.xml                      sitemap index of the career sites
//	  GET /                                 links to every career site
//
// Sources turns the postings into the config.Source list that crawls them.
//
// # Import
//
// ReadJSONL reads JSON Lines of skilltrend.Posting, one object a line with
// the Posting JSON fields (the format WriteJSONL writes, e.g.
// WriteJSONL(f, Stream(opts)) for `skilltrend synth`); ReadJobSpyCSV reads
// the CSV files saved from the JobSpy scraper's DataFrame. Both skip bad
// rows and report them, with the line they start on, as RowErrors; only
// I/O failures, cancellation and emit errors stop them.
package synth
