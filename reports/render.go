package reports

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"time"
)

// Options tunes Render. The zero value is usable.
type Options struct {
	Logger *slog.Logger     // nil: discard
	Now    func() time.Time // the "generated on" date; nil: time.Now
	Months int              // months of history in the charts; 0: 24
	// Accuracy is shown on the methodology page: how well the extractor's
	// tags agree with hand-labelled postings (from the extraction evaluation).
	Accuracy Accuracy
}

// Accuracy summarises the extraction evaluation for readers.
type Accuracy struct {
	Summary string // a plain-language paragraph; "" when no evaluation was run
	Figures []AccuracyFigure
}

// AccuracyFigure is one measured figure, e.g. {"Skill recall", "94%", "on 120 labelled postings"}.
type AccuracyFigure struct {
	Measure, Value, Detail string
}

const defaultMonths = 24

// Render reads the documented views from db and writes DIR/index.html, the
// pages it links and the ECharts asset. It builds every page in memory
// first and writes last, each file atomically (a temporary file renamed over
// the old one), and returns the paths written.
func Render(ctx context.Context, db *sql.DB, dir string, opts Options) ([]string, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	log = log.With("stage", "reports")
	if opts.Months <= 0 {
		opts.Months = defaultMonths
	}
	start := time.Now()
	d, err := loadDataset(ctx, db, opts.Months)
	if err != nil {
		return nil, fmt.Errorf("render reports: %w", err)
	}
	loaded := time.Now()
	files, err := buildFiles(d, opts)
	if err != nil {
		return nil, fmt.Errorf("render reports: %w", err)
	}
	built := time.Now()
	paths, err := writeFiles(ctx, dir, files)
	if err != nil {
		return paths, fmt.Errorf("render reports: %w", err)
	}
	log.Info("reports written", "dir", dir, "files", len(paths), "skills", len(d.Skills),
		"read", loaded.Sub(start), "build", built.Sub(loaded), "write", time.Since(built))
	return paths, nil
}

// buildFiles renders every page and asset in memory, keyed by path relative
// to the report directory. Pages are built on all CPUs.
func buildFiles(d *dataset, opts Options) (map[string][]byte, error) {
	files, err := assetOutputs()
	if err != nil {
		return nil, err
	}
	b := newBuilder(d, opts)
	nav := b.nav()
	generated := b.generated().Format("2 January 2006, 15:04 UTC")
	jobs := b.pages()
	type result struct {
		file string
		html []byte
		err  error
	}
	results := make([]result, len(jobs))
	parallel(len(jobs), runtime.GOMAXPROCS(0), func(i int) {
		p := jobs[i]()
		html, err := renderPage(p, nav, generated)
		results[i] = result{p.File, html, err}
	})
	for _, r := range results {
		if r.err != nil {
			return nil, r.err
		}
		if _, dup := files[r.file]; dup {
			return nil, fmt.Errorf("two pages named %s", r.file)
		}
		files[r.file] = r.html
	}
	return files, nil
}

// parallel runs fn(0..n-1) on up to workers goroutines.
func parallel(n, workers int, fn func(i int)) {
	workers = max(1, min(workers, n))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// writeFiles writes every file atomically and returns the paths in a stable
// order. Files are independent, so several are written at once.
func writeFiles(ctx context.Context, dir string, files map[string][]byte) ([]string, error) {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	if err := os.MkdirAll(filepath.Join(dir, assetDir), 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	errs := make([]error, len(names))
	// Writing waits on the disk (fsync) more than on the CPU.
	parallel(len(names), 8, func(i int) {
		if err := ctx.Err(); err != nil {
			errs[i] = err
			return
		}
		errs[i] = writeAtomic(filepath.Join(dir, filepath.FromSlash(names[i])), files[names[i]])
	})
	var written []string
	for i, n := range names {
		if errs[i] == nil {
			written = append(written, filepath.Join(dir, filepath.FromSlash(n)))
		}
	}
	return written, errors.Join(errs...)
}

// writeAtomic writes data to a temporary file beside path, syncs it and
// renames it over path, so a reader never sees a half-written page.
func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	fail := func(err error) error {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Chmod(0o644); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
