package main

import (
	"context"
	"fmt"

	"github.com/skilltrend/skilltrend/analytics"
)

// cmdExport writes postings, tags and the views as Parquet or CSV files,
// partitioned by month, for other engines.
func cmdExport(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "export", "[--db F] --format parquet|csv --out DIR")
	cfgPath := f.String("config", "", "config file, for its database key")
	db := f.String("db", "", "DuckDB file (default from config, else skilltrend.duckdb)")
	format := f.String("format", "parquet", "parquet or csv")
	out := f.String("out", "", "directory to write (required)")
	if err := f.parse(args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("export: --out DIR is required")
	}
	if *format != "parquet" && *format != "csv" {
		return usagef("export: --format must be parquet or csv, not %q", *format)
	}
	cfg, err := loadConfig(e, *cfgPath)
	if err != nil {
		return err
	}
	cfg = overridePaths(cfg, *db, "")
	conn, err := analytics.OpenReadOnly(ctx, cfg.Database)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := analytics.Export(ctx, conn, *format, *out); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintln(e.stdout, *out)
	return nil
}
