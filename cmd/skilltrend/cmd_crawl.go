package main

import (
	"context"
	"fmt"
	"slices"

	"github.com/skilltrend/skilltrend/analytics"
	"github.com/skilltrend/skilltrend/config"
	"github.com/skilltrend/skilltrend/crawler"
	"github.com/skilltrend/skilltrend/crawler/redisstore"
)

// cmdCrawl collects postings without tagging them.
func cmdCrawl(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "crawl", "[--config F] [--db F] [--source NAME ...] [--workers REDIS_URL]")
	cfgPath := f.String("config", "", "config file (default skilltrend.yaml if present, else the built-in HN source)")
	db := f.String("db", "", "DuckDB file (default from config, else skilltrend.duckdb)")
	var only multiFlag
	f.Var(&only, "source", "crawl only this source (repeatable, or comma-separated)")
	workers := f.String("workers", "", "share the crawl queue with other worker processes through this Redis URL (redis://host:port/db)")
	prefix := f.String("workers-prefix", "", "Redis key prefix of the shared crawl (default skilltrend:YYYY-MM-DD, a fresh crawl each day)")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return usagef("crawl takes no arguments, got %q", f.Args())
	}
	cfg, err := loadConfig(e, *cfgPath)
	if err != nil {
		return err
	}
	cfg = overridePaths(cfg, *db, "")
	sources, err := selectSources(cfg, only)
	if err != nil {
		return err
	}
	if *prefix == "" {
		*prefix = "skilltrend:" + e.now().UTC().Format("2006-01-02")
	}
	opts, closeOpts, err := distributedOptions(ctx, e, *workers, *prefix)
	if err != nil {
		return err
	}
	defer closeOpts()
	return withLock(cfg.Database, func() error {
		return withStore(ctx, e.log, cfg.Database, func(store *analytics.Store) error {
			return crawlSources(ctx, e, cfg, store, sources, opts)
		})
	})
}

// selectSources returns the configured sources named in only, in config
// order, or all of them when only is empty.
func selectSources(cfg config.Config, only []string) ([]config.Source, error) {
	if len(only) == 0 {
		return cfg.Sources, nil
	}
	var out []config.Source
	for _, name := range only {
		i := slices.IndexFunc(cfg.Sources, func(s config.Source) bool { return s.Name == name })
		if i < 0 {
			return nil, usagef("--source %s: no such source in the config", name)
		}
		out = append(out, cfg.Sources[i])
	}
	return out, nil
}

// distributedOptions connects to the shared Redis crawl when url is set:
// site crawls then share the visited set, cookies, request queue and
// per-host delay with every other worker using the same prefix.
func distributedOptions(ctx context.Context, e *env, url, prefix string) (crawler.Options, func(), error) {
	if url == "" {
		return crawler.Options{}, func() {}, nil
	}
	store, err := redisstore.New(ctx, url, prefix, redisstore.WithLogger(e.log.With("stage", "crawl")))
	if err != nil {
		return crawler.Options{}, nil, fmt.Errorf("--workers %s: %w", url, err)
	}
	return crawler.Options{Storage: store}, func() {
		if err := store.Close(); err != nil {
			e.log.Warn("close the shared crawl queue", "err", err)
		}
	}, nil
}
