// Package config parses and validates skilltrend's YAML configuration once,
// into a value that the stages read and nobody mutates.
package config

import "time"

// Config is a validated skilltrend configuration.
type Config struct {
	Database   string     `yaml:"database"`
	ReportDir  string     `yaml:"report_dir"`
	UserAgent  string     `yaml:"user_agent"`
	Politeness Politeness `yaml:"politeness"`
	Taxonomy   string     `yaml:"taxonomy"` // path to a taxonomy YAML overriding the built-in one; "" for built-in
	Sources    []Source   `yaml:"sources"`
}

// Politeness bounds how hard the crawler may hit any one host.
type Politeness struct {
	Delay                 time.Duration `yaml:"delay"`       // minimum time between requests to one host (default 1s; 0 only for servers of your own)
	Parallelism           int           `yaml:"parallelism"` // concurrent requests per host (default 1)
	ObeyRobots            bool          `yaml:"obey_robots"` // default true
	AllowPrivateAddresses bool          `yaml:"allow_private_addresses"`
	Timeout               time.Duration `yaml:"timeout"`        // per request (default 30s)
	MaxBodyBytes          int64         `yaml:"max_body_bytes"` // after decompression (default 10 MiB)
	MaxRetries            int           `yaml:"max_retries"`    // tries per request on 429/5xx (default 3)
}

// Source types.
const (
	TypeHN         = "hn"
	TypeGreenhouse = "greenhouse"
	TypeLever      = "lever"
	TypeAshby      = "ashby"
	TypeJSONLD     = "jsonld"
	TypeRSS        = "rss"
)

// Source is one configured place postings come from. Which fields apply
// depends on Type.
type Source struct {
	Name    string `yaml:"name"`
	Type    string `yaml:"type"`
	BaseURL string `yaml:"base_url"` // overrides the public API host, e.g. for tests

	// hn
	Since string `yaml:"since"` // first month to backfill, "YYYY-MM"
	// greenhouse and ashby
	Board string `yaml:"board"`
	// lever
	Site string `yaml:"site"`
	// jsonld
	StartURLs      []string `yaml:"start_urls"`
	Sitemaps       []string `yaml:"sitemaps"`
	AllowedDomains []string `yaml:"allowed_domains"`
	MaxPages       int      `yaml:"max_pages"` // page budget per host (default 1000)
	MaxDepth       int      `yaml:"max_depth"` // link depth from a start URL (default 5)
	// rss
	Feeds []string `yaml:"feeds"`
}

// Defaults for everything a config may leave out.
const (
	DefaultDatabase  = "skilltrend.duckdb"
	DefaultReportDir = "report"
	DefaultUserAgent = "skilltrend/1.0 (+https://github.com/skilltrend/skilltrend)"
	DefaultHNMonths  = 24
)

// DefaultPoliteness is what a config gets for every politeness key it omits.
func DefaultPoliteness() Politeness {
	return Politeness{
		Delay:        time.Second,
		Parallelism:  1,
		ObeyRobots:   true,
		Timeout:      30 * time.Second,
		MaxBodyBytes: 10 << 20,
		MaxRetries:   3,
	}
}
