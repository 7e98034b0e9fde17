package main

import (
	"context"
	"fmt"
	"os"
)

// cmdReport renders the reports from the published database.
func cmdReport(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "report", "[--db F] [--out DIR]")
	cfgPath := f.String("config", "", "config file, for its database and report_dir keys")
	db := f.String("db", "", "DuckDB file (default from config, else skilltrend.duckdb)")
	out := f.String("out", "", "report directory (default from config, else report)")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return usagef("report takes no arguments, got %q", f.Args())
	}
	cfg, err := loadConfig(e, *cfgPath)
	if err != nil {
		return err
	}
	cfg = overridePaths(cfg, *db, *out)
	if _, err := os.Stat(cfg.Database); err != nil {
		return fmt.Errorf("report: no database at %s (run 'skilltrend run' first): %w", cfg.Database, err)
	}
	index, err := renderReports(ctx, e, cfg.Database, cfg.ReportDir)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, index)
	return nil
}
