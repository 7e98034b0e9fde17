package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/skilltrend/skilltrend/config"
	"github.com/skilltrend/skilltrend/crawler"
	"github.com/skilltrend/skilltrend/synth"
)

// Demo market size: enough months for year-on-year comparisons.
const (
	demoPostings = 6000
	demoMonths   = 30
	demoSeed     = 2026
)

// cmdDemo runs the whole pipeline offline: it serves a synthetic job market
// on 127.0.0.1 in the formats real sources use, crawls it with the real
// crawler, tags, aggregates and reports.
func cmdDemo(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "demo", "[--out DIR]")
	out := f.String("out", "skilltrend-demo", "directory for the database and the report")
	postings := f.Int("postings", demoPostings, "size of the synthetic market")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return usagef("demo takes no arguments, got %q", f.Args())
	}
	if *postings < 1 {
		return usagef("--postings must be positive")
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	market := synth.Generate(synth.Options{Seed: demoSeed, Postings: *postings, Months: demoMonths})

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("demo: serve the synthetic market: %w", err)
	}
	srv := &http.Server{Handler: synth.Handler(market), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	defer func() {
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdownCtx)
		if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
			e.log.Warn("demo server", "err", err)
		}
	}()

	cfg := demoConfig(*out, synth.Sources(market, "http://"+ln.Addr().String()))
	e.log.Info("demo market served", "addr", ln.Addr().String(), "postings", len(market), "sources", len(cfg.Sources))
	sum, err := runPipeline(ctx, e, cfg, cfg.Sources, crawler.Options{})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s\n%s\n", cfg.Database, sum.report)
	return nil
}

// demoConfig crawls the local market as fast as it serves: politeness is for
// other people's servers, and this one is ours on loopback.
func demoConfig(dir string, sources []config.Source) config.Config {
	pol := config.DefaultPoliteness()
	pol.Delay = 0
	pol.Parallelism = 8
	pol.AllowPrivateAddresses = true
	return config.Config{
		Database:   filepath.Join(dir, "skilltrend.duckdb"),
		ReportDir:  filepath.Join(dir, "report"),
		UserAgent:  config.DefaultUserAgent + " demo",
		Politeness: pol,
		Sources:    sources,
	}
}
