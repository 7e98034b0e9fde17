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

// importBatch is how many postings are buffered before they are written.
const importBatch = 5000

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
	var (
		buf   []skilltrend.Posting
		total analytics.UpsertStats
	)
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		st, err := store.UpsertPostings(ctx, buf)
		if err != nil {
			return fmt.Errorf("import %s: store postings: %w", name, err)
		}
		total.New += st.New
		total.Updated += st.Updated
		total.Unchanged += st.Unchanged
		bar.add(len(buf))
		buf = buf[:0]
		return nil
	}
	rowErrs, err := read(ctx, bufio.NewReaderSize(in, 1<<20), func(p skilltrend.Posting) error {
		buf = append(buf, p)
		if len(buf) >= importBatch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		err = fmt.Errorf("import %s: %w", name, err)
	}
	e.log.Info("file imported", "file", name, "new", total.New, "updated", total.Updated, "unchanged", total.Unchanged, "skipped", len(rowErrs))
	return rowErrs, err
}
