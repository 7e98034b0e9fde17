package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync/atomic"

	"github.com/cespare/xxhash/v2"

	"github.com/skilltrend/skilltrend"
	"github.com/skilltrend/skilltrend/analytics"
	"github.com/skilltrend/skilltrend/extract"
	"github.com/skilltrend/skilltrend/synth"
)

// importBatch is how many postings are written at a time: large enough to
// amortise the merge into the postings table, small enough that the three
// batches in flight (being read, prepared, stored) stay a small part of the
// memory (at 50,000 a run over a million postings peaked about 300 MB higher).
const importBatch = 20_000

// heapSoftLimit is the Go heap the bulk commands (import, extract) aim to
// stay under unless GOMEMLIMIT says otherwise. Together with DuckDB's own cap
// (analytics.OpenWork) it keeps a run over a million postings within about
// 1.5 GB; the garbage collector only works harder when the heap nears it.
const heapSoftLimit = 640 << 20

// limitHeap applies heapSoftLimit to the process.
func limitHeap(e *env) {
	if e.getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(heapSoftLimit)
	}
}

// reader reads postings from one import format.
type reader func(ctx context.Context, r io.Reader, emit func(skilltrend.Posting) error) (synth.RowErrors, error)

// cmdImport loads postings from JSON Lines (the Posting fields) or JobSpy CSV
// files, and tags the new ones with the configured taxonomy as they load, so
// that extract has only the postings already stored left to tag. Bad rows
// are reported with their line numbers and skipped; the rest of the file
// still loads, and the run exits 3.
func cmdImport(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "import", "[--db F] FILE...")
	cfgPath := f.String("config", "", "config file, for its database and taxonomy keys")
	db := f.String("db", "", "DuckDB file (default from config, else skilltrend.duckdb)")
	format := f.String("format", "", "jsonl or jobspy (default: by extension, .csv is jobspy)")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() == 0 {
		return usagef("import: name at least one file")
	}
	limitHeap(e)
	readers := make([]reader, f.NArg())
	formats := make([]string, f.NArg())
	for i, name := range f.Args() {
		formats[i] = formatOf(name, *format)
		rd, err := readerFor(formats[i])
		if err != nil {
			return err
		}
		readers[i] = rd
	}
	cfg, tax, err := loadConfigTaxonomy(e, *cfgPath, *db)
	if err != nil {
		return err
	}
	var skipped []error
	err = withLock(cfg.Database, func() error {
		if done, err := allImported(ctx, e, cfg.Database, f.Args(), formats); err != nil {
			e.log.Warn("could not tell whether the files were imported before; importing", "err", err)
		} else if done {
			e.log.Info("files already imported and no postings changed since: nothing to do", "files", f.NArg())
			return nil
		}
		return withStore(ctx, e.log, cfg.Database, func(store *analytics.Store) error {
			if err := store.SyncSkills(ctx, tax.Version(), tax.Skills()); err != nil {
				return err
			}
			tagger := extract.NewTagger(tax)
			for i, name := range f.Args() {
				quick, quickOK := statKey(formats[i], name) // before reading: a later change must not be recorded as read
				rowErrs, digest, err := importFile(ctx, e, store, name, readers[i], tagger.Extract)
				for _, re := range rowErrs {
					e.log.Warn("row skipped", "file", name, "line", re.Line, "err", re.Err)
					skipped = append(skipped, fmt.Errorf("%s:%d: %w", name, re.Line, re.Err))
				}
				if err != nil {
					return err
				}
				// Only a clean, complete load of a named file may be skipped
				// next time: bad rows must be reported again.
				if name != "-" && len(rowErrs) == 0 {
					if err := store.RecordImport(ctx, importKey(formats[i], digest)); err != nil {
						return err
					}
					if quickOK {
						if err := store.RecordImport(ctx, quick); err != nil {
							return err
						}
					}
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

// formatOf is the format named by --format, else the one the file's
// extension implies.
func formatOf(name, format string) string {
	if format != "" {
		return format
	}
	if strings.EqualFold(filepath.Ext(name), ".csv") {
		return "jobspy"
	}
	return "jsonl"
}

func readerFor(format string) (reader, error) {
	switch format {
	case "jsonl":
		return synth.ReadJSONL, nil
	case "jobspy":
		return synth.ReadJobSpyCSV, nil
	}
	return nil, usagef("import: --format must be jsonl or jobspy, not %q", format)
}

// fileDigest is what identifies a file's content for skipping a repeated
// import: its length and xxHash64.
type fileDigest struct {
	size int64
	sum  uint64
}

// digester hashes what passes through it.
type digester struct {
	h    *xxhash.Digest
	size int64
}

func (d *digester) Write(p []byte) (int, error) {
	d.size += int64(len(p))
	return d.h.Write(p)
}

func (d *digester) digest() fileDigest { return fileDigest{size: d.size, sum: d.h.Sum64()} }

// importKey names a file's content in a format for analytics.RecordImport.
func importKey(format string, d fileDigest) string {
	return fmt.Sprintf("%s:%d:%016x", format, d.size, d.sum)
}

// statKey names a file by its absolute path, size and modification time,
// the quick check of make and rsync: rewriting a file gives it a new
// modification time. A file whose stat matches a clean import is skipped
// without reading it; any other file is hashed (see allImported).
func statKey(format, name string) (string, bool) {
	if name == "-" {
		return "", false
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		return "", false
	}
	fi, err := os.Stat(abs)
	if err != nil || !fi.Mode().IsRegular() {
		return "", false
	}
	return fmt.Sprintf("%s:stat:%d:%d:%s", format, fi.Size(), fi.ModTime().UnixNano(), abs), true
}

// allImported reports whether every named file is a regular file whose
// content the published database says it holds, unchanged since (see
// analytics.Imported). A file whose path, size and modification time match
// a clean import is taken as unchanged; any other is read once to hash it,
// which is still far cheaper than decoding and merging it again.
func allImported(ctx context.Context, e *env, dbPath string, names, formats []string) (bool, error) {
	if _, err := os.Stat(dbPath); err != nil {
		return false, nil // nothing published yet
	}
	for i, name := range names {
		if name == "-" {
			return false, nil
		}
		if quick, ok := statKey(formats[i], name); ok {
			same, err := analytics.Imported(ctx, dbPath, quick)
			if err != nil {
				return false, err
			}
			if same {
				e.log.Debug("file imported before (same path, size and modification time)", "file", name)
				continue
			}
		}
		d, err := hashFile(name)
		if err != nil {
			return false, err
		}
		ok, err := analytics.Imported(ctx, dbPath, importKey(formats[i], d))
		if err != nil || !ok {
			return false, err
		}
		e.log.Debug("file imported before", "file", name)
	}
	return true, nil
}

func hashFile(name string) (fileDigest, error) {
	f, err := os.Open(name)
	if err != nil {
		return fileDigest{}, fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	d := &digester{h: xxhash.New()}
	buf := make([]byte, 4<<20)
	if _, err := io.CopyBuffer(d, f, buf); err != nil {
		return fileDigest{}, fmt.Errorf("import: hash %s: %w", name, err)
	}
	return d.digest(), nil
}

// importFile loads one file (or standard input for "-"), tagging new
// postings with tag, and returns the digest of all it read.
func importFile(ctx context.Context, e *env, store *analytics.Store, name string, read reader, tag func(skilltrend.Posting) skilltrend.Extraction) (synth.RowErrors, fileDigest, error) {
	var in io.Reader = e.stdin
	if name != "-" {
		file, err := os.Open(name)
		if err != nil {
			return nil, fileDigest{}, fmt.Errorf("import: %w", err)
		}
		defer file.Close()
		in = file
	}
	dg := &digester{h: xxhash.New()}
	in = io.TeeReader(in, dg)
	bar := newProgress(e, -1, "importing "+filepath.Base(name))
	defer bar.done()

	// Decoding and storing overlap: one goroutine reads, prepares and tags
	// batches (analytics.PrepareTagged) while the store writes the previous
	// one. Only new postings keep the batch's tags, so once a batch holds
	// stored postings (a file loaded before, or overlapping one) the rest of
	// the file is not tagged here: extract tags what changed.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan *analytics.PostingBatch, 1)
	var (
		rowErrs synth.RowErrors
		readErr error
		tagging atomic.Bool
	)
	tagging.Store(true)
	go func() {
		defer close(batches)
		buf := make([]skilltrend.Posting, 0, importBatch)
		send := func() error {
			var b *analytics.PostingBatch
			if tagging.Load() {
				b = analytics.PrepareTagged(buf, tag)
			} else {
				b = analytics.PreparePostings(buf)
			}
			if err := sendCtx(ctx, batches, b); err != nil {
				return err
			}
			clear(buf) // the batch holds copies
			buf = buf[:0]
			return nil
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
	var total analytics.UpsertStats
	storeErr := store.Bulk(ctx, func() error {
		for batch := range batches {
			st, err := store.UpsertBatch(ctx, batch)
			if err != nil {
				return fmt.Errorf("store postings: %w", err)
			}
			if st.Updated+st.Unchanged > 0 {
				tagging.Store(false)
			}
			total.New += st.New
			total.Updated += st.Updated
			total.Unchanged += st.Unchanged
			total.Tagged += st.Tagged
			bar.add(batch.Len())
		}
		return nil
	})
	// However the load ended, the reader has finished before its results
	// are read.
	cancel()
	for range batches {
	}
	err := storeErr
	if err == nil {
		err = readErr
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		err = fmt.Errorf("import %s: %w", name, err)
	}
	e.log.Info("file imported", "file", name, "new", total.New, "updated", total.Updated, "unchanged", total.Unchanged,
		"tagged", total.Tagged, "skipped", len(rowErrs))
	return rowErrs, dg.digest(), err
}
