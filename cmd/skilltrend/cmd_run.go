package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/skilltrend/skilltrend/analytics"
	"github.com/skilltrend/skilltrend/config"
	"github.com/skilltrend/skilltrend/crawler"
	"github.com/skilltrend/skilltrend/extract"
)

// cmdRun is the cron entry: crawl, extract, aggregate, publish, report.
func cmdRun(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "run", "[--config F] [--db F] [--out DIR]")
	cfgPath := f.String("config", "", "config file (default skilltrend.yaml if present, else the built-in HN source)")
	db := f.String("db", "", "DuckDB file (default from config, else skilltrend.duckdb)")
	out := f.String("out", "", "report directory (default from config, else report)")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return usagef("run takes no arguments, got %q", f.Args())
	}
	cfg, err := loadConfig(e, *cfgPath)
	if err != nil {
		return err
	}
	cfg = overridePaths(cfg, *db, *out)
	sum, err := runPipeline(ctx, e, cfg, cfg.Sources, crawler.Options{})
	if sum.report != "" && e.terminal {
		fmt.Fprintf(e.stdout, "%s\n%s\n", cfg.Database, sum.report)
	}
	return err
}

func overridePaths(cfg config.Config, db, out string) config.Config {
	if db != "" {
		cfg.Database = db
	}
	if out != "" {
		cfg.ReportDir = out
	}
	return cfg
}

type summary struct {
	tagged int
	report string // path of index.html, "" when no report was written
}

// runPipeline crawls the sources into a working copy of the database, tags,
// aggregates and publishes it, then renders the reports from the published
// file. A partial crawl is still published and reported.
func runPipeline(ctx context.Context, e *env, cfg config.Config, sources []config.Source, copts crawler.Options) (summary, error) {
	var sum summary
	tax, err := loadTaxonomy(cfg)
	if err != nil {
		return sum, err
	}
	err = withLock(cfg.Database, func() error {
		var err error
		sum, err = publishAndReport(ctx, e, cfg, tax, sources, copts)
		return err
	})
	return sum, err
}

func publishAndReport(ctx context.Context, e *env, cfg config.Config, tax *extract.Taxonomy, sources []config.Source, copts crawler.Options) (summary, error) {
	var sum summary
	err := withStore(ctx, e.log, cfg.Database, func(store *analytics.Store) error {
		crawlErr := crawlSources(ctx, e, cfg, store, sources, copts)
		var pe partialError
		if crawlErr != nil && !errors.As(crawlErr, &pe) {
			return crawlErr
		}
		n, err := extractPostings(ctx, e, store, tax, false)
		if err != nil {
			return err
		}
		sum.tagged = n
		if err := store.Aggregate(ctx); err != nil {
			return fmt.Errorf("aggregate: %w", err)
		}
		return crawlErr
	})
	var pe partialError
	if err != nil && !errors.As(err, &pe) {
		return sum, err
	}
	report, rerr := renderReports(ctx, e, cfg.Database, cfg.ReportDir)
	if rerr != nil {
		return sum, errors.Join(err, rerr)
	}
	sum.report = report
	return sum, err
}
