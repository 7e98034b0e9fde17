package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/skilltrend/skilltrend"
	"github.com/skilltrend/skilltrend/analytics"
	"github.com/skilltrend/skilltrend/config"
	"github.com/skilltrend/skilltrend/crawler"
	"github.com/skilltrend/skilltrend/extract"
	"github.com/skilltrend/skilltrend/reports"
)

// defaultConfigFile is read when --config is not given and the file exists.
const defaultConfigFile = "skilltrend.yaml"

// loadConfig reads the config named by --config, else skilltrend.yaml when
// present, else the built-in default. A config problem is a usage error.
func loadConfig(e *env, path string) (config.Config, error) {
	if path == "" {
		if _, err := os.Stat(defaultConfigFile); err != nil {
			return config.Default(e.now()), nil
		}
		path = defaultConfigFile
	}
	cfg, err := config.Load(path)
	if err != nil {
		return config.Config{}, usageError{err}
	}
	return cfg, nil
}

// loadConfigTaxonomy loads the config (see loadConfig) with its database
// overridden by db when set, and the taxonomy it names.
func loadConfigTaxonomy(e *env, cfgPath, db string) (config.Config, *extract.Taxonomy, error) {
	cfg, err := loadConfig(e, cfgPath)
	if err != nil {
		return config.Config{}, nil, err
	}
	cfg = overridePaths(cfg, db, "")
	tax, err := loadTaxonomy(cfg)
	if err != nil {
		return config.Config{}, nil, err
	}
	return cfg, tax, nil
}

// loadTaxonomy returns the taxonomy the config names, or the built-in one.
func loadTaxonomy(cfg config.Config) (*extract.Taxonomy, error) {
	if cfg.Taxonomy == "" {
		return extract.DefaultTaxonomy()
	}
	data, err := os.ReadFile(cfg.Taxonomy)
	if err != nil {
		return nil, usagef("taxonomy: %v", err)
	}
	t, err := extract.ParseTaxonomy(data)
	if err != nil {
		return nil, usagef("taxonomy %s: %v", cfg.Taxonomy, err)
	}
	return t, nil
}

// withLock runs fn holding the lock on dbPath: one run per database at a
// time; a second one fails at once with analytics.ErrLocked.
func withLock(dbPath string, fn func() error) error {
	unlock, err := analytics.Lock(dbPath)
	if err != nil {
		return err
	}
	defer unlock()
	return fn()
}

// withStore runs fn on a working copy of the database at dbPath and publishes
// the copy only when fn succeeds or fails partially. Any other failure, or a
// kill, leaves the published file as it was. The caller holds the lock.
func withStore(ctx context.Context, log *slog.Logger, dbPath string, fn func(*analytics.Store) error) error {
	store, err := analytics.OpenWork(ctx, dbPath, log)
	if err != nil {
		return err
	}
	err = fn(store)
	var pe partialError
	if err != nil && !errors.As(err, &pe) {
		return errors.Join(err, store.Close())
	}
	if ctx.Err() != nil {
		return errors.Join(ctx.Err(), store.Close())
	}
	if perr := store.Publish(ctx); perr != nil {
		return errors.Join(err, perr)
	}
	return err
}

// crawlSources collects every source into the store, several hosts at a time.
// A failing source does not stop the others: their errors come back as a
// partialError after all sources finished.
func crawlSources(ctx context.Context, e *env, cfg config.Config, store *analytics.Store, sources []config.Source, opts crawler.Options) error {
	opts.UserAgent = cfg.UserAgent
	opts.Politeness = cfg.Politeness
	opts.State = store
	opts.Logger = e.log.With("stage", "crawl")
	opts.Now = e.now
	var (
		mu     sync.Mutex // serialises writes to the store
		failed []error
	)
	seen := &seenPostings{store: store, mu: &mu}
	opts.Seen = seen.add
	c := crawler.New(opts)

	bar := newProgress(e, -1, "crawling")
	defer bar.done()
	// crawlAll crawls the sources with crawl, several at a time, and
	// returns those that another worker sharing the crawl held.
	crawlAll := func(sources []config.Source, crawl crawlFunc) ([]config.Source, error) {
		var held []config.Source
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(4)
		for _, src := range sources {
			g.Go(func() error {
				run, err := crawlOne(gctx, crawl, store, src, &mu, bar)
				mu.Lock()
				defer mu.Unlock()
				if errors.Is(err, crawler.ErrOtherWorker) {
					held = append(held, src)
					return nil
				}
				if err != nil {
					run.Error = err.Error()
					failed = append(failed, fmt.Errorf("source %s: %w", src.Name, err))
					e.log.Warn("source failed", "stage", "crawl", "source", src.Name, "err", err)
				}
				if rerr := store.RecordCrawlRun(ctx, run); rerr != nil {
					return fmt.Errorf("record crawl run of %s: %w", src.Name, rerr)
				}
				e.log.Info("source crawled", "stage", "crawl", "source", src.Name,
					"pages", run.Pages, "new", run.New, "updated", run.Updated, "seen", run.Seen, "errors", run.Errors)
				return nil
			})
		}
		err := g.Wait()
		return held, err
	}
	held, err := crawlAll(sources, c.Crawl)
	if err != nil {
		return err
	}
	// The sources another worker crawls are waited for once this worker has
	// crawled its own: should that worker die or give one up, this one
	// crawls it.
	held, err = crawlAll(held, c.CrawlHeld)
	if err != nil {
		return err
	}
	for _, src := range held {
		e.log.Info("source crawled by another worker", "stage", "crawl", "source", src.Name)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	mu.Lock()
	err = seen.flush(ctx)
	mu.Unlock()
	if err != nil {
		return err
	}
	if seen.moved > 0 {
		e.log.Info("unchanged postings seen again", "stage", "crawl", "postings", seen.moved)
	}
	if len(failed) > 0 {
		return partialError{fmt.Errorf("%d of %d sources failed:\n%w", len(failed), len(sources), errors.Join(failed...))}
	}
	return nil
}

// crawlBatch is how many postings are buffered before they are written.
const crawlBatch = 500

// seenPostings collects the keys of the postings that unchanged (304)
// documents stand for (add is crawler.Options.Seen) and moves their
// last_seen in the store in batches, at the latest when the crawl ends.
type seenPostings struct {
	store *analytics.Store
	mu    *sync.Mutex // the store's writer lock, which also guards the fields below
	at    time.Time
	ids   []int64
	moved int
}

func (s *seenPostings) add(ctx context.Context, ids []int64, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !at.Equal(s.at) {
		if err := s.flush(ctx); err != nil {
			return err
		}
		s.at = at
	}
	s.ids = append(s.ids, ids...)
	if len(s.ids) >= crawlBatch {
		return s.flush(ctx)
	}
	return nil
}

// flush writes the collected keys; the caller holds mu.
func (s *seenPostings) flush(ctx context.Context) error {
	if len(s.ids) == 0 {
		return nil
	}
	n, err := s.store.PostingsSeen(ctx, s.ids, s.at)
	if err != nil {
		return fmt.Errorf("store unchanged postings: %w", err)
	}
	s.moved += n
	s.ids = s.ids[:0]
	return nil
}

// crawlFunc is crawler.Crawler's Crawl or CrawlHeld.
type crawlFunc func(context.Context, config.Source, func(context.Context, skilltrend.Posting) error) (crawler.Stats, error)

func crawlOne(ctx context.Context, crawl crawlFunc, store *analytics.Store, src config.Source, mu *sync.Mutex, bar *progress) (analytics.CrawlRun, error) {
	var (
		run = analytics.CrawlRun{Source: src.Name}
		buf []skilltrend.Posting
	)
	flush := func(ctx context.Context) error {
		if len(buf) == 0 {
			return nil
		}
		mu.Lock()
		st, err := store.UpsertPostings(ctx, buf)
		mu.Unlock()
		if err != nil {
			return fmt.Errorf("store postings: %w", err)
		}
		run.New += st.New
		run.Updated += st.Updated
		bar.add(len(buf))
		buf = buf[:0]
		return nil
	}
	stats, err := crawl(ctx, src, func(ctx context.Context, p skilltrend.Posting) error {
		buf = append(buf, p)
		if len(buf) >= crawlBatch {
			return flush(ctx)
		}
		return nil
	})
	// Postings collected before a failure are kept: a source that fails half
	// way still contributes what it fetched.
	if ferr := flush(ctx); ferr != nil {
		err = errors.Join(err, ferr)
	}
	run.Started, run.Finished = stats.Started, stats.Finished
	run.Pages, run.Seen, run.Errors = stats.Pages, stats.Seen, stats.Errors
	if run.Started.IsZero() {
		run.Started = time.Now()
	}
	if run.Finished.IsZero() {
		run.Finished = time.Now()
	}
	return run, err
}

// extractBatch is how many postings are tagged and written at a time.
const extractBatch = 16384

// extractPostings tags the postings that have no tags of this taxonomy version
// (all of them with all set) on every core and stores the results.
func extractPostings(ctx context.Context, e *env, store *analytics.Store, tax *extract.Taxonomy, all bool) (int, error) {
	if err := store.SyncSkills(ctx, tax.Version(), tax.Skills()); err != nil {
		return 0, err
	}
	tagger := extract.NewTagger(tax)
	workers := runtime.GOMAXPROCS(0)
	bar := newProgress(e, -1, "tagging")
	defer bar.done()

	// Reading the next batch overlaps with tagging and saving this one. The
	// reader has its own connection and reads windows of row ids chosen
	// before the first save (analytics.Store.PostingsToTag), so whatever
	// the bulk load (analytics.Store.Bulk) has committed meanwhile, no
	// posting is read twice or missed.
	g, gctx := errgroup.WithContext(ctx)
	batches := make(chan []skilltrend.Posting, 1)
	g.Go(func() error {
		defer close(batches)
		return store.PostingsToTag(gctx, tax.Version(), all, extractBatch, func(batch []skilltrend.Posting) error {
			return sendCtx(gctx, batches, batch)
		})
	})
	n := 0
	g.Go(func() error {
		return store.Bulk(gctx, func() error {
			for batch := range batches {
				out := make([]skilltrend.Extraction, len(batch))
				var wg sync.WaitGroup
				for w := range workers {
					wg.Go(func() {
						for i := w; i < len(batch); i += workers {
							out[i] = tagger.Extract(batch[i])
						}
					})
				}
				wg.Wait()
				if err := store.SaveExtractions(gctx, out); err != nil {
					return err
				}
				n += len(batch)
				bar.add(len(batch))
			}
			return nil
		})
	})
	if err := g.Wait(); err != nil {
		return n, fmt.Errorf("extract: %w", err)
	}
	e.log.Info("postings tagged", "stage", "extract", "postings", n, "taxonomy", tax.Version())
	return n, nil
}

// sendCtx sends v on ch unless ctx ends first.
func sendCtx[T any](ctx context.Context, ch chan<- T, v T) error {
	select {
	case ch <- v:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// renderReports writes the HTML reports from the published database.
func renderReports(ctx context.Context, e *env, dbPath, outDir string) (string, error) {
	db, err := analytics.OpenReadOnly(ctx, dbPath)
	if err != nil {
		return "", err
	}
	defer db.Close()
	acc, err := reportAccuracy()
	if err != nil {
		return "", err
	}
	if _, err := reports.Render(ctx, db, outDir, reports.Options{Logger: e.log, Now: e.now, Accuracy: acc}); err != nil {
		return "", fmt.Errorf("report: %w", err)
	}
	return outDir + string(os.PathSeparator) + "index.html", nil
}

// reportAccuracy turns the extractor's recorded evaluation into the figures
// the methodology page shows.
func reportAccuracy() (reports.Accuracy, error) {
	ev, err := extract.PublishedEvaluation()
	if err != nil {
		return reports.Accuracy{}, err
	}
	pct := func(f float64) string { return fmt.Sprintf("%.1f%%", 100*f) }
	acc := reports.Accuracy{
		Summary: fmt.Sprintf("We check the skill tagging against job postings whose skills were marked by hand. "+
			"Of the skills it reports, %s were right; of the skills the postings name, it found %s. "+
			"Those postings were written together with the skill list, so they show that its rules work as intended; "+
			"the fairer test is real technology postings labelled by researchers, where it found %s of the named tools and languages. "+
			"Measured for taxonomy version %s.",
			pct(ev.Gold.Precision), pct(ev.Gold.Recall), pct(ev.SkillSpan.Recall), ev.TaxonomyVersion),
		Figures: []reports.AccuracyFigure{
			{Measure: "Precision (reported skills that are right)", Value: pct(ev.Gold.Precision),
				Detail: fmt.Sprintf("%d hand-labelled postings written for skilltrend, %d skill mentions", ev.Gold.Postings, ev.Gold.Mentions)},
			{Measure: "Recall (named skills that are found)", Value: pct(ev.Gold.Recall),
				Detail: "same postings; these include every ambiguous word we know of (Go the verb, Series C, R&D, the rest of...)"},
			{Measure: "Must-have vs nice-to-have", Value: pct(ev.Gold.RequiredCorrect), Detail: "found skills placed in the right group"},
			{Measure: "Recall on real postings", Value: pct(ev.SkillSpan.Recall),
				Detail: fmt.Sprintf("%d of %d technology mentions hand-labelled in real job ads (SkillSpan, 2022)", ev.SkillSpan.Found, ev.SkillSpan.Spans)},
		},
	}
	return acc, nil
}
