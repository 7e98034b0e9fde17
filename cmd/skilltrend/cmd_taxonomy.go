package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/skilltrend/skilltrend/analytics"
	"github.com/skilltrend/skilltrend/extract"
)

// cmdTaxonomy lists the skills, or with the candidates subcommand the
// frequent tech-looking terms in stored postings that no skill matches.
func cmdTaxonomy(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "candidates" {
		return cmdCandidates(ctx, e, args[1:])
	}
	f := newFlags(e, "taxonomy", "[--json] | candidates [--db F]")
	asJSON := f.Bool("json", false, "print the skills as JSON")
	cfgPath := f.String("config", "", "config file, for its taxonomy key")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return usagef("taxonomy: unknown argument %q (did you mean 'candidates'?)", f.Arg(0))
	}
	_, tax, err := loadConfigTaxonomy(e, *cfgPath, "")
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Version string `json:"version"`
			Skills  any    `json:"skills"`
		}{tax.Version(), tax.Skills()})
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tCATEGORY")
	for _, s := range tax.Skills() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", s.ID, s.Name, s.Category)
	}
	fmt.Fprintf(tw, "\n%d skills, taxonomy version %s\n", len(tax.Skills()), tax.Version())
	return tw.Flush()
}

func cmdCandidates(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "taxonomy candidates", "[--db F] [--min N]")
	cfgPath := f.String("config", "", "config file, for its database and taxonomy keys")
	db := f.String("db", "", "DuckDB file (default from config, else skilltrend.duckdb)")
	minCount := f.Int("min", 5, "report terms seen in at least this many postings")
	if err := f.parse(args); err != nil {
		return err
	}
	cfg, tax, err := loadConfigTaxonomy(e, *cfgPath, *db)
	if err != nil {
		return err
	}
	conn, err := analytics.OpenReadOnly(ctx, cfg.Database)
	if err != nil {
		return err
	}
	defer conn.Close()
	var scanErr error
	texts := func(yield func(string) bool) {
		rows, err := conn.QueryContext(ctx, `SELECT coalesce(title, '') || chr(10) || coalesce(description, '') FROM postings`)
		if err != nil {
			scanErr = err
			return
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			if scanErr = rows.Scan(&s); scanErr != nil || !yield(s) {
				return
			}
		}
		scanErr = rows.Err()
	}
	cands := extract.Candidates(texts, tax, *minCount)
	if scanErr != nil {
		return fmt.Errorf("taxonomy candidates: read postings: %w", scanErr)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TERM\tPOSTINGS")
	for _, c := range cands {
		fmt.Fprintf(tw, "%s\t%d\n", c.Term, c.Postings)
	}
	return tw.Flush()
}
