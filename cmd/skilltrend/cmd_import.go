package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/skilltrend/skilltrend"
	"github.com/skilltrend/skilltrend/analytics"
	"github.com/skilltrend/skilltrend/synth"
)

// importBatch is how many postings are written at a time: large batches
// amortise the merge into the postings table.
const importBatch = 50_000

// reader reads postings from one import format.
type reader func(ctx context.Context, r io.Reader, emit func(skilltrend.Posting) error) (synth.RowErrors, error)

// cmdImport loads postings from JSON Lines (the Posting fields) or JobSpy CSV
// files. Bad rows are reported with their line numbers and skipped; the rest
// of the file still loads, and the run exits 3.
func cmdImport(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "import", "[--db F] FILE...")
	cfgPath := f.String("config", "", "config file, for its database key")
	db := f.String("db", "", "DuckDB file (default from config, else skilltrend.duckdb)")
	format := f.String("format", "", "jsonl or jobspy (default: by extension, .csv is jobspy)")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() == 0 {
		return usagef("import: name at least one file")
	}
	readers := make([]reader, f.NArg())
	for i, name := range f.Args() {
		rd, err := readerFor(name, *format)
		if err != nil {
			return err
		}
		readers[i] = rd
	}
	cfg, err := loadConfig(e, *cfgPath)
	if err != nil {
		return err
	}
	cfg = overridePaths(cfg, *db, "")
	var skipped []error
	err = withLock(cfg.Database, func() error {
		return withStore(ctx, e.log, cfg.Database, func(store *analytics.Store) error {
			for i, name := range f.Args() {
				rowErrs, err := importFile(ctx, e, store, name, readers[i])
				for _, re := range rowErrs {
					e.log.Warn("row skipped", "file", name, "line", re.Line, "err", re.Err)
					skipped = append(skipped, fmt.Errorf("%s:%d: %w", name, re.Line, re.Err))
				}
				if err != nil {
					return err
				}
			}
			if len(skipped) > 0 {
				return partialError{fmt.Errorf("%d rows skipped, first: %w", len(skipped), skipped[0])}
			}
			return nil
		})
	})
	return err
}

func readerFor(name, format string) (reader, error) {
	if format == "" {
		format = "jsonl"
		if strings.EqualFold(filepath.Ext(name), ".csv") {
			format = "jobspy"
		}
	}
	switch format {
	case "jsonl":
		return synth.ReadJSONL, nil
	case "jobspy":
		return synth.ReadJobSpyCSV, nil
	}
	return nil, usagef("import: --format must be jsonl or jobspy, not %q", format)
}

func importFile(ctx context.Context, e *env, store *analytics.Store, name string, read reader) (synth.RowErrors, error) {
	var in io.Reader = e.stdin
	if name != "-" {
		file, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("import: %w", err)
		}
		defer file.Close()
		in = file
	}
	bar := newProgress(e, -1, "importing "+filepath.Base(name))
	defer bar.done()

	// Decoding and storing overlap: one goroutine reads batches while the
	// store writes the previous one.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []skilltrend.Posting, 1)
	var (
		rowErrs synth.RowErrors
		readErr error
	)
	go func() {
		defer close(batches)
		buf := make([]skilltrend.Posting, 0, importBatch)
		send := func() error {
			select {
			case batches <- buf:
				buf = make([]skilltrend.Posting, 0, importBatch)
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		rowErrs, readErr = read(ctx, bufio.NewReaderSize(in, 1<<20), func(p skilltrend.Posting) error {
			buf = append(buf, p)
			if len(buf) >= importBatch {
				return send()
			}
			return nil
		})
		if readErr == nil && len(buf) > 0 {
			readErr = send()
		}
	}()
	var (
		total    analytics.UpsertStats
		storeErr error
	)
	for batch := range batches {
		if storeErr != nil {
			continue // drain so the reader can finish
		}
		st, err := store.UpsertPostings(ctx, batch)
		if err != nil {
			storeErr = fmt.Errorf("store postings: %w", err)
			cancel()
			continue
		}
		total.New += st.New
		total.Updated += st.Updated
		total.Unchanged += st.Unchanged
		bar.add(len(batch))
	}
	err := storeErr
	if err == nil {
		err = readErr
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		err = fmt.Errorf("import %s: %w", name, err)
	}
	e.log.Info("file imported", "file", name, "new", total.New, "updated", total.Updated, "unchanged", total.Unchanged, "skipped", len(rowErrs))
	return rowErrs, err
}
