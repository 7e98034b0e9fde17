package config

import (
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
