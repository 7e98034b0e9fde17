package main

import (
	"context"
	"fmt"

	"github.com/skilltrend/skilltrend/analytics"
)

// cmdExtract tags the postings that the current taxonomy has not seen yet.
func cmdExtract(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "extract", "[--config F] [--db F] [--all]")
	cfgPath := f.String("config", "", "config file, for its database and taxonomy keys")
	db := f.String("db", "", "DuckDB file (default from config, else skilltrend.duckdb)")
	all := f.Bool("all", false, "re-tag every posting, e.g. after the taxonomy changed")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return usagef("extract takes no arguments, got %q", f.Args())
	}
	limitHeap(e)
	cfg, tax, err := loadConfigTaxonomy(e, *cfgPath, *db)
	if err != nil {
		return err
	}
	return withLock(cfg.Database, func() error {
		// Nothing new to tag and nothing to aggregate: leave the published
		// file alone rather than copy, re-check and publish it unchanged.
		if !*all {
			upToDate, err := analytics.ExtractUpToDate(ctx, cfg.Database, tax.Version(), tax.Skills())
			if err != nil {
				e.log.Warn("could not tell whether the database is up to date; extracting", "err", err)
			}
			if upToDate {
				e.log.Info("postings tagged", "stage", "extract", "postings", 0, "taxonomy", tax.Version())
				if e.terminal {
					fmt.Fprintf(e.stdout, "tagged 0 postings with taxonomy %s\n", tax.Version())
				}
				return nil
			}
		}
		return withStore(ctx, e.log, cfg.Database, func(store *analytics.Store) error {
			n, err := extractPostings(ctx, e, store, tax, *all)
			if err != nil {
				return err
			}
			if err := store.Aggregate(ctx); err != nil {
				return fmt.Errorf("aggregate: %w", err)
			}
			if e.terminal {
				fmt.Fprintf(e.stdout, "tagged %d postings with taxonomy %s\n", n, tax.Version())
			}
			return nil
		})
	})
}
