package analytics

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/gofrs/flock"
)

//go:embed sql/*.sql
var sqlFiles embed.FS

// ErrLocked says that another process holds the database lock.
var ErrLocked = errors.New("database is locked by another run")

// Lock takes the OS file lock dbPath+".lock" without waiting. It returns
// ErrLocked at once when another process holds it. The lock dies with the
// process, so a killed run never leaves it behind.
func Lock(dbPath string) (unlock func(), err error) {
	fl := flock.New(dbPath + ".lock")
	ok, err := fl.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", dbPath, err)
	}
	if !ok {
		return nil, fmt.Errorf("lock %s: %w", dbPath, ErrLocked)
	}
	return func() { _ = fl.Unlock() }, nil
}

// Store is a writable working copy of the database. Nothing it writes is
// visible in the published file until Publish.
type Store struct {
	db       *sql.DB
	dbPath   string
	workPath string
	log      *slog.Logger
	closed   bool
	bulk     *bulkLoad  // the running Bulk, nil outside one
	side     *sideSaver // saves a bulk load's tags beside it, nil when none runs
	// bulkCommitRows is bulkCommitRows; tests lower it.
	bulkCommitRows int

	// beforeRename, when set, runs in Publish just before the rename; tests
	// use it to kill the process at that point.
	beforeRename func()
}

func workPath(dbPath string) string { return dbPath + ".work" }

// workSettings are DuckDB settings for a working copy (see OpenWork): no
// automatic checkpoint (publishing checkpoints once), a 500 MB buffer pool,
// and allocator background threads, which hand freed memory back to the
// system as a run goes on (at a million postings they took the extract
// stage's peak RSS from 1.22-1.24 GB to 0.98 GB, in the same time).
const workSettings = "SET checkpoint_threshold = '1TB'; SET memory_limit = '500MB'; SET allocator_background_threads = true"

// OpenWork prepares the working copy dbPath+".work" from the published file
// (removing any stale working file and WAL left by a killed run first),
// migrates it and returns a writable store. Callers hold Lock. The copy is
// not synced: it is scratch until Publish syncs it, and the kernel writes it
// back while the run works (a sync here cost about 1 s for an 800 MB file).
func OpenWork(ctx context.Context, dbPath string, log *slog.Logger) (*Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("stage", "analytics")
	work := workPath(dbPath)
	for _, p := range []string{work, work + ".wal"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("open work %s: remove stale %s: %w", dbPath, p, err)
		}
	}
	start := time.Now()
	switch err := copyFile(dbPath, work); {
	case errors.Is(err, fs.ErrNotExist):
		log.Info("no published database yet, starting empty", "path", dbPath)
	case err != nil:
		return nil, fmt.Errorf("open work %s: %w", dbPath, err)
	default:
		log.Debug("working copy made", "path", work, "took", time.Since(start).Round(time.Millisecond))
	}
	db, err := sql.Open("duckdb", work)
	if err != nil {
		return nil, fmt.Errorf("open work %s: %w", work, err)
	}
	s := &Store{db: db, dbPath: dbPath, workPath: work, log: log, bulkCommitRows: bulkCommitRows}
	// The working copy is scratch until Publish checkpoints it, so DuckDB
	// need not checkpoint on its own: every automatic checkpoint rewrote the
	// growing key index, which made a load of a million postings about a
	// third slower. The memory cap makes DuckDB spill to its temporary
	// files rather than grow: with it a run over a million postings peaks
	// near 1.5 GB instead of 2-4 GB, and is no slower for it.
	if _, err := db.ExecContext(ctx, workSettings); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("open work %s: %w", dbPath, err)
	}
	if err := s.migrate(ctx); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("open work %s: %w", dbPath, err)
	}
	return s, nil
}

// DB returns the working copy's connection pool.
func (s *Store) DB() *sql.DB { return s.db }

// Close discards the working copy without publishing it.
func (s *Store) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	if err := errors.Join(s.db.Close(), s.discardFiles()); err != nil {
		return fmt.Errorf("discard %s: %w", s.workPath, err)
	}
	return nil
}

// Publish checkpoints and closes the working copy, verifies that it opens
// read-only, keeps the current published file as dbPath+".prev" (a hard
// link) and atomically renames the working copy over the published file.
// The store is closed afterwards, whatever the outcome.
func (s *Store) Publish(ctx context.Context) error {
	if s.closed {
		return fmt.Errorf("publish %s: store is closed", s.dbPath)
	}
	start := time.Now()
	if _, err := s.db.ExecContext(ctx, "CHECKPOINT"); err != nil {
		return errors.Join(fmt.Errorf("publish %s: checkpoint: %w", s.dbPath, err), s.Close())
	}
	s.log.Debug("checkpointed", "path", s.workPath, "took", time.Since(start).Round(time.Millisecond))
	s.closed = true
	if err := s.db.Close(); err != nil {
		return errors.Join(fmt.Errorf("publish %s: close: %w", s.dbPath, err), s.discardFiles())
	}
	start = time.Now()
	if err := verify(ctx, s.workPath); err != nil {
		return errors.Join(fmt.Errorf("publish %s: %w", s.dbPath, err), s.discardFiles())
	}
	s.log.Debug("verified", "path", s.workPath, "took", time.Since(start).Round(time.Millisecond))
	// The working copy was copied without a sync (see OpenWork), and a
	// checkpoint with nothing to write syncs nothing.
	if err := syncPath(s.workPath); err != nil {
		return errors.Join(fmt.Errorf("publish %s: %w", s.dbPath, err), s.discardFiles())
	}
	prev := s.dbPath + ".prev"
	if _, err := os.Stat(s.dbPath); err == nil {
		if err := os.Remove(prev); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("publish %s: remove old %s: %w", s.dbPath, prev, err)
		}
		if err := os.Link(s.dbPath, prev); err != nil {
			// Some file systems have no hard links; a copy keeps the promise.
			if cerr := errors.Join(copyFile(s.dbPath, prev), syncPath(prev)); cerr != nil {
				return fmt.Errorf("publish %s: keep previous: %w", s.dbPath, errors.Join(err, cerr))
			}
		}
	}
	// A WAL beside the published file would be replayed onto the new file.
	if err := os.Remove(s.dbPath + ".wal"); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("publish %s: remove stale wal: %w", s.dbPath, err)
	}
	if s.beforeRename != nil {
		s.beforeRename()
	}
	if err := os.Rename(s.workPath, s.dbPath); err != nil {
		return fmt.Errorf("publish %s: %w", s.dbPath, err)
	}
	if err := syncPath(filepath.Dir(s.dbPath)); err != nil {
		return fmt.Errorf("publish %s: %w", s.dbPath, err)
	}
	s.log.Info("published", "path", s.dbPath)
	return nil
}

func (s *Store) discardFiles() error {
	var err error
	for _, p := range []string{s.workPath, s.workPath + ".wal"} {
		if rerr := os.Remove(p); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
			err = errors.Join(err, rerr)
		}
	}
	return err
}

// verify opens path read-only and reads the migrations table and every view.
func verify(ctx context.Context, path string) error {
	if _, err := os.Stat(path + ".wal"); err == nil {
		return fmt.Errorf("verify %s: a wal is left after checkpoint and close", path)
	}
	db, err := openReadOnly(path)
	if err != nil {
		return fmt.Errorf("verify %s: %w", path, err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&n); err != nil {
		return fmt.Errorf("verify %s: %w", path, err)
	}
	for _, v := range Views() {
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT * FROM "+v+" LIMIT 1)").Scan(&n); err != nil {
			return fmt.Errorf("verify %s: view %s: %w", path, v, err)
		}
	}
	return nil
}

// Views lists the documented views, the stable interface of the file.
func Views() []string {
	return []string{
		"skill_demand_monthly", "skill_demand_weekly", "skill_demand_monthly_by_segment",
		"category_demand_monthly", "role_demand_monthly", "skill_trends", "skill_pairs",
		"salary_by_skill", "work_mode_by_skill", "skill_requirement", "skill_examples",
		"reposts_monthly", "dataset_summary",
	}
}

// OpenReadOnly opens the published database read-only. Any number of
// read-only connections may be open while a run writes its working copy; each
// keeps the snapshot it opened. Within one process the driver shares one
// database instance per path, so close earlier handles before reopening the
// file after a Publish to see the new snapshot.
func OpenReadOnly(ctx context.Context, dbPath string) (*sql.DB, error) {
	if _, err := os.Stat(dbPath); err != nil {
		return nil, fmt.Errorf("open %s: %w", dbPath, err)
	}
	db, err := openReadOnly(dbPath)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dbPath, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", dbPath, err)
	}
	return db, nil
}

func openReadOnly(path string) (*sql.DB, error) {
	c, err := duckdb.NewConnector(path+"?access_mode=read_only", nil)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(c), nil
}

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(sqlFiles, "sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		if !ok {
			continue
		}
		v, err := strconv.Atoi(num)
		if err != nil {
			continue
		}
		b, err := sqlFiles.ReadFile("sql/" + e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: name, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// migrate applies, in order and each in its own transaction, the embedded
// migrations newer than the file's schema version.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var current int
	if err := s.db.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&current); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	ms, err := migrations()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, m := range ms {
		if m.version <= current {
			continue
		}
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate %d: %w", m.version, err)
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("migrate %d %s: %w", m.version, m.name, err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations VALUES (?, ?, ?)", m.version, m.name, time.Now().UTC()); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("migrate %d: %w", m.version, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate %d: %w", m.version, err)
		}
		s.log.Info("migrated", "version", m.version, "name", m.name)
	}
	return nil
}

// copyFile copies src to dst, without syncing dst.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copy %s: %w", src, err)
	}
	if err := out.Close(); err != nil {
		return err
	}
	startWriteback(dst)
	return nil
}

// syncPath flushes the file or directory at path to the disk.
func syncPath(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return nil
}
