package config

import (
	"fmt"
	"time"
)

// Starter returns a commented configuration that Parse accepts and that
// matches Default(now): the file `skilltrend init` writes for editing.
func Starter(now time.Time) []byte {
	since := Default(now).Sources[0].Since
	return fmt.Appendf(nil, `# skilltrend configuration. Every key is optional except sources.
# Paths are relative to the directory skilltrend runs in.

# The DuckDB file analysts open. skilltrend writes a working copy beside it and
# swaps it in atomically, keeping the previous one as <database>.prev.
database: %s

# Where the HTML reports are written.
report_dir: %s

# Sent with every request. Name a URL or e-mail where site owners can reach you.
user_agent: "skilltrend/1.0 (+https://example.org/contact)"

politeness:
  delay: 1s                       # at least this long between requests to one host
  parallelism: 1                  # concurrent requests per host (hosts are crawled in parallel)
  obey_robots: true               # honour robots.txt and Crawl-delay
  allow_private_addresses: false  # never fetch loopback/private/link-local addresses
  timeout: 30s                    # per request, including a slow body
  max_body_bytes: 10485760        # pages larger than this (after decompression) are skipped
  max_retries: 3                  # tries per request on 429 and 5xx

# Optional path to a taxonomy YAML that replaces the built-in one
# (see: skilltrend taxonomy --json). Empty means built-in.
taxonomy: ""

sources:
  # Hacker News "Ask HN: Who is hiring?" threads, monthly since April 2011.
  - {name: hn, type: hn, since: %s}

  # Company boards (uncomment and set the board/site names):
  # - {name: acme, type: greenhouse, board: acme}
  # - {name: globex, type: lever, site: globex}
  # - {name: initech, type: ashby, board: initech}

  # A career site with schema.org JobPosting markup (JSON-LD, microdata or RDFa):
  # - name: umbrella
  #   type: jsonld
  #   start_urls: ["https://jobs.umbrella.example/"]
  #   sitemaps: []
  #   allowed_domains: [jobs.umbrella.example]
  #   max_pages: 500

  # RSS or Atom job feeds:
  # - {name: feed, type: rss, feeds: ["https://example.org/jobs.rss"]}
`, DefaultDatabase, DefaultReportDir, since)
}
