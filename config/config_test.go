package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseContractExample(t *testing.T) {
	cfg, err := Parse([]byte(`
database: skilltrend.duckdb
report_dir: report
user_agent: "skilltrend/1.0 (+https://example.org/contact)"
politeness: {delay: 1s, parallelism: 1, obey_robots: true, allow_private_addresses: false}
taxonomy: ""
sources:
  - {name: hn, type: hn, since: 2011-04}
  - {name: acme, type: greenhouse, board: acme}
  - {name: globex, type: lever, site: globex}
  - {name: initech, type: ashby, board: initech}
  - {name: umbrella, type: jsonld, start_urls: ["https://jobs.umbrella.example/"], allowed_domains: [jobs.umbrella.example], max_pages: 500}
  - {name: feed, type: rss, feeds: ["https://example.org/jobs.rss"]}
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Sources) != 6 {
		t.Fatalf("got %d sources, want 6", len(cfg.Sources))
	}
	if got := cfg.Sources[4]; got.MaxPages != 500 || got.AllowedDomains[0] != "jobs.umbrella.example" {
		t.Errorf("jsonld source = %+v", got)
	}
	if cfg.Politeness.Timeout != 30*time.Second || cfg.Politeness.MaxRetries != 3 {
		t.Errorf("omitted politeness keys not defaulted: %+v", cfg.Politeness)
	}
}

func TestParseDefaultsObeyRobots(t *testing.T) {
	cfg, err := Parse([]byte("politeness: {delay: 2s}\nsources:\n  - {name: hn, type: hn}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Politeness.ObeyRobots || cfg.Politeness.Delay != 2*time.Second || cfg.Politeness.Parallelism != 1 {
		t.Errorf("politeness = %+v", cfg.Politeness)
	}
}

func TestParseErrorsNameLineAndField(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"unknown key", "sources:\n  - {name: a, type: hn}\ndatabse: x\n", []string{"3:", "unknown field \"databse\""}},
		{"unknown source key", "sources:\n  - {name: a, type: hn}\n  - {name: b, type: lever, sight: x}\n", []string{"3:", "sight"}},
		{"bad type", "sources:\n  - name: a\n    type: monster\n", []string{"line 3", "sources[0].type", "monster"}},
		{"missing board", "sources:\n  - name: a\n    type: greenhouse\n", []string{"line 2", "sources[0].board", "required"}},
		{"bad month", "sources:\n  - {name: a, type: hn, since: 2011-13}\n", []string{"line 2", "sources[0].since"}},
		{"duplicate name", "sources:\n  - {name: a, type: hn}\n  - {name: a, type: hn}\n", []string{"line 3", "sources[1].name"}},
		{"bad parallelism", "politeness:\n  parallelism: 0\nsources:\n  - {name: a, type: hn}\n", []string{"line 2", "politeness.parallelism"}},
		{"relative start url", "sources:\n  - {name: a, type: jsonld, start_urls: [/jobs]}\n", []string{"sources[0].start_urls[0]", "absolute"}},
		{"no sources", "database: x.duckdb\n", []string{"sources", "at least one"}},
		{"empty database", "database: \"\"\nsources:\n  - {name: a, type: hn}\n", []string{"line 1", "database", "empty"}},
		{"empty report dir", "report_dir: \"\"\nsources:\n  - {name: a, type: hn}\n", []string{"line 1", "report_dir"}},
		{"blank user agent", "user_agent: \"  \"\nsources:\n  - {name: a, type: hn}\n", []string{"line 1", "user_agent", "contact"}},
		{"negative delay", "politeness: {delay: -1s}\nsources:\n  - {name: a, type: hn}\n", []string{"line 1", "politeness.delay", "negative"}},
		{"zero timeout", "politeness: {timeout: 0s}\nsources:\n  - {name: a, type: hn}\n", []string{"politeness.timeout", "positive"}},
		{"zero body limit", "politeness: {max_body_bytes: 0}\nsources:\n  - {name: a, type: hn}\n", []string{"politeness.max_body_bytes"}},
		{"zero retries", "politeness: {max_retries: 0}\nsources:\n  - {name: a, type: hn}\n", []string{"politeness.max_retries", "at least 1"}},
		{"bad name", "sources:\n  - {name: My Source, type: hn}\n", []string{"line 2", "sources[0].name", "lower-case"}},
		{"missing type", "sources:\n  - {name: a}\n", []string{"line 2", "sources[0].type", "required"}},
		{"before the first thread", "sources:\n  - {name: a, type: hn, since: 2010-12}\n", []string{"sources[0].since", "2011-04"}},
		{"relative base url", "sources:\n  - {name: a, type: greenhouse, board: x, base_url: boards.local}\n", []string{"sources[0].base_url", "absolute"}},
		{"negative limits", "sources:\n  - {name: a, type: jsonld, start_urls: [\"https://x.test/\"], max_pages: -1, max_depth: -2}\n",
			[]string{"sources[0].max_pages", "sources[0].max_depth"}},
		{"missing lever site", "sources:\n  - {name: a, type: lever}\n", []string{"sources[0].site", "required"}},
		{"missing ashby board", "sources:\n  - {name: a, type: ashby}\n", []string{"sources[0].board", "ashby"}},
		{"site without pages", "sources:\n  - {name: a, type: jsonld}\n", []string{"sources[0].start_urls", "start_urls or sitemaps"}},
		{"ftp sitemap", "sources:\n  - {name: a, type: jsonld, start_urls: [\"https://x.test/\"], sitemaps: [\"ftp://x.test/s.xml\"]}\n",
			[]string{"sources[0].sitemaps[0]", "http(s)"}},
		{"feedless rss", "sources:\n  - {name: a, type: rss}\n", []string{"sources[0].feeds", "at least one feed"}},
		{"relative feed", "sources:\n  - {name: a, type: rss, feeds: [\"https://x.test/f\", feed.xml]}\n", []string{"sources[0].feeds[1]", "absolute"}},
		{"every error at once", "politeness: {parallelism: 0, max_retries: 0}\nsources:\n  - {name: a, type: lever}\n  - {name: a, type: rss}\n",
			[]string{"politeness.parallelism", "politeness.max_retries", "sources[0].site", "sources[1].name", "sources[1].feeds"}},
		{"bad yaml", "sources: [\n", []string{"invalid config"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml))
			if err == nil {
				t.Fatal("Parse accepted an invalid config")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestStarterParsesToDefault(t *testing.T) {
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	cfg, err := Parse(Starter(now))
	if err != nil {
		t.Fatalf("starter config does not parse: %v", err)
	}
	def := Default(now)
	got, want := cfg.Sources[0], def.Sources[0]
	if got.Name != want.Name || got.Type != want.Type || got.Since != want.Since || want.Since != "2024-11" {
		t.Errorf("starter source %+v, default %+v", cfg.Sources[0], def.Sources[0])
	}
	if cfg.Politeness != def.Politeness || cfg.Database != def.Database || cfg.ReportDir != def.ReportDir {
		t.Errorf("starter %+v differs from default %+v", cfg, def)
	}
}

// TestLoad reads a config from a file and names the file in its errors.
func TestLoad(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	if err := os.WriteFile(good, []byte("sources:\n  - {name: board, type: greenhouse, board: acme}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(good)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Sources) != 1 || cfg.Sources[0].Board != "acme" || cfg.Database != DefaultDatabase {
		t.Errorf("Load(%s) = %+v", good, cfg)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("sources:\n  - {name: board, type: greenhouse}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(bad); err == nil || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), "sources[0].board") {
		t.Errorf("Load(%s): error %v, want one naming the file and the field", bad, err)
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load of a missing file: error %v, want fs.ErrNotExist", err)
	}
}
