// Command skilltrend measures what the job market asks of backend developers:
// it crawls public job postings, tags them against a skill taxonomy,
// aggregates demand over time in DuckDB and writes static HTML reports.
//
// Run `skilltrend help` for the commands, their flags and the exit codes.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
