package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/skilltrend/skilltrend/analytics"
)

// Exit codes, documented in usage.
const (
	exitOK          = 0
	exitFailed      = 1
	exitUsage       = 2
	exitPartial     = 3
	exitLocked      = 75 // EX_TEMPFAIL: cron may simply try again later
	exitInterrupted = 130
)

// env is everything a command may touch outside its arguments, so the whole
// CLI runs inside tests.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	now            func() time.Time
	terminal       bool // stderr is a terminal: show progress and summaries
	log            *slog.Logger
}

type command struct {
	name    string
	args    string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"run", "[--config F] [--db F] [--out DIR]", "crawl + extract + aggregate + report (the cron entry)", cmdRun},
		{"crawl", "[--config F] [--db F] [--source NAME ...] [--workers REDIS_URL]", "collect postings from the configured sources", cmdCrawl},
		{"extract", "[--config F] [--db F] [--all]", "tag new postings; --all re-tags everything (taxonomy changed)", cmdExtract},
		{"report", "[--db F] [--out DIR]", "write the HTML reports from the database", cmdReport},
		{"demo", "[--out DIR]", "the whole pipeline offline on a synthetic job market", cmdDemo},
		{"tag", "[--jsonl] [FILE|-]", "tag text and show what matched and why", cmdTag},
		{"taxonomy", "[--json] | candidates [--db F]", "list the skills, or frequent terms no skill matches", cmdTaxonomy},
		{"import", "[--db F] FILE...", "load postings from JSON Lines or JobSpy CSV files and tag the new ones (a file already loaded cleanly is skipped)", cmdImport},
		{"export", "[--db F] --format parquet|csv --out DIR", "write postings, tags and views for other engines", cmdExport},
		{"synth", "--postings N --out FILE", "write a synthetic corpus as JSON Lines", cmdSynth},
		{"init", "[FILE]", "write a commented starter config", cmdInit},
		{"version", "", "print the version", cmdVersion},
	}
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "skilltrend measures what the job market asks of backend developers.\n\nUsage: skilltrend <command> [flags]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n            %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprint(w, `
Common flags: --log-format text|json (default text), --verbose.
Every flag can also be set with an environment variable SKILLTREND_<FLAG>,
upper-case with - as _ (e.g. SKILLTREND_DB=/var/lib/skilltrend.duckdb).
A flag given on the command line wins over the environment.

Defaults: --db skilltrend.duckdb, --out report, --config skilltrend.yaml if
that file exists, else the built-in Hacker News source (last 24 months).

Exit codes:
  0    ok
  1    failed
  2    usage or config error
  3    partial: some sources failed (import: some rows were skipped), the rest was published
  75   another run holds the lock on this database; try again later
  130  interrupted (SIGINT/SIGTERM); the published database is untouched

Run 'skilltrend <command> --help' for a command's flags.
`)
}

// run is the whole CLI: it parses args, runs one command and returns the
// process exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{
		stdin: stdin, stdout: stdout, stderr: stderr,
		getenv: os.Getenv,
		now:    time.Now,
	}
	if f, ok := stderr.(*os.File); ok {
		e.terminal = isatty.IsTerminal(f.Fd())
	}
	return runEnv(ctx, e, args)
}

func runEnv(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 {
		usage(e.stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "help", "-h", "--help", "-help":
		usage(e.stdout)
		return exitOK
	case "--version", "-version":
		name = "version"
	}
	for _, c := range commands() {
		if c.name == name {
			return exitCode(ctx, e, c.run(ctx, e, args[1:]))
		}
	}
	fmt.Fprintf(e.stderr, "skilltrend: unknown command %q\n\n", name)
	usage(e.stderr)
	return exitUsage
}

// usageError marks a problem with the command line or the config: exit 2.
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// partialError means some sources failed but the rest was published: exit 3.
type partialError struct{ err error }

func (p partialError) Error() string { return p.err.Error() }
func (p partialError) Unwrap() error { return p.err }

func exitCode(ctx context.Context, e *env, err error) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	var ue usageError
	var pe partialError
	code := exitFailed
	switch {
	case errors.As(err, &ue):
		code = exitUsage
	case errors.Is(err, analytics.ErrLocked):
		code = exitLocked
	case ctx.Err() != nil:
		code = exitInterrupted
	case errors.As(err, &pe):
		code = exitPartial
	}
	fmt.Fprintf(e.stderr, "skilltrend: %v\n", err)
	return code
}

// flags is a command's flag set plus the flags every command shares.
type flags struct {
	*flag.FlagSet
	e         *env
	logFormat string
	verbose   bool
}

func newFlags(e *env, name, args string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	f := &flags{FlagSet: fs, e: e}
	fs.StringVar(&f.logFormat, "log-format", "text", "log format on stderr: text or json")
	fs.BoolVar(&f.verbose, "verbose", false, "log progress and details, not only warnings and errors")
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: skilltrend %s %s\n\nFlags (each also settable as SKILLTREND_<FLAG>):\n", name, args)
		fs.PrintDefaults()
	}
	return f
}

// parse parses args, then fills every flag not given on the command line
// from SKILLTREND_<FLAG>, and sets up the logger.
func (f *flags) parse(args []string) error {
	if err := f.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	set := map[string]bool{}
	f.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	var names []string
	f.VisitAll(func(fl *flag.Flag) { names = append(names, fl.Name) })
	sort.Strings(names)
	fromEnv := map[string]string{}
	for _, name := range names {
		if set[name] {
			continue
		}
		key := "SKILLTREND_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
		if v := f.e.getenv(key); v != "" {
			if err := f.Set(name, v); err != nil {
				return usagef("%s=%q: %v", key, v, err)
			}
			fromEnv[name] = key
		}
	}
	level := slog.LevelWarn
	if f.verbose {
		level = slog.LevelDebug
	}
	opts := &slog.HandlerOptions{Level: level}
	switch f.logFormat {
	case "text":
		f.e.log = slog.New(slog.NewTextHandler(f.e.stderr, opts))
	case "json":
		f.e.log = slog.New(slog.NewJSONHandler(f.e.stderr, opts))
	default:
		if key, ok := fromEnv["log-format"]; ok {
			return usagef("%s: --log-format must be text or json, not %q", key, f.logFormat)
		}
		return usagef("--log-format must be text or json, not %q", f.logFormat)
	}
	return nil
}

// multiFlag collects a repeatable flag such as --source.
type multiFlag []string

func (m *multiFlag) String() string { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*m = append(*m, s)
		}
	}
	return nil
}
