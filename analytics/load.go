package analytics

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/skilltrend/skilltrend"
)

// UpsertStats counts what UpsertPostings did with its postings.
type UpsertStats struct {
	New       int // not stored before
	Updated   int // stored, and some content changed
	Unchanged int // stored with the same content (only last_seen may move)
	Tagged    int // new postings whose tags were saved with them (see PrepareTagged)
}

// CrawlRun is one source's crawl in one run, as recorded in crawl_runs.
type CrawlRun struct {
	Source   string
	Started  time.Time
	Finished time.Time
	Pages    int
	New      int
	Updated  int
	Seen     int // postings of unchanged (304) documents, seen again
	Errors   int
	Error    string // why the source failed; "" when it did not
}

// withConn runs fn on one connection, so that temporary tables, appenders
// and transactions all see the same session: inside Bulk, the bulk load's.
func (s *Store) withConn(ctx context.Context, fn func(*sql.Conn) error) error {
	if s.bulk != nil {
		return fn(s.bulk.conn)
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return fn(conn)
}

// Bulk runs fn as one bulk load: every write the store makes while fn runs
// goes through one connection in one transaction, committed when fn returns
// nil and rolled back otherwise, and DuckDB runs on one thread meanwhile.
// Reads through DB see the database as of the load's last commit: a load
// that changes stored rows, or writes more than bulkCommitRows rows, also
// commits along the way (see bulkLoad.step), so a failed load can leave part of
// its writes; on failure the working copy is discarded anyway. The tags of
// tagged batches of new postings (PrepareTagged) are saved beside the load,
// on a second connection, and committed with it. fn must not call the store
// from two goroutines at once.
//
// A working copy is published whole or not at all, so commits inside it only
// cost. Committed in batches, a million postings went to the write-ahead
// log row by row, and the checkpoint at publish then compressed them on one
// core for 13-20 s. Inside one transaction DuckDB compresses and writes each
// row group as it fills, while the caller prepares the next batch, and the
// commit writes only where they are. A second DuckDB thread only spun while
// a load's statements ran, waiting for work they do not split, and took the
// core that decoding, hashing and tagging need (docs/benchmarks.md has the
// numbers).
func (s *Store) Bulk(ctx context.Context, fn func() error) (err error) {
	if s.bulk != nil {
		return errors.New("bulk load: already in one")
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("bulk load: %w", err)
	}
	defer conn.Close()
	var threads int
	if err := conn.QueryRowContext(ctx, "SELECT current_setting('threads')").Scan(&threads); err != nil {
		return fmt.Errorf("bulk load: %w", err)
	}
	bg := context.WithoutCancel(ctx) // the ending statements run even when ctx is done
	end := func(stmt string) {
		if _, xerr := conn.ExecContext(bg, stmt); xerr != nil && err == nil {
			err = fmt.Errorf("bulk load: %w", xerr)
		}
	}
	defer end("SET threads = " + strconv.Itoa(threads))
	if _, err := conn.ExecContext(ctx, "SET threads = 1; BEGIN TRANSACTION"); err != nil {
		return fmt.Errorf("bulk load: %w", err)
	}
	s.bulk = &bulkLoad{conn: conn, commitRows: s.bulkCommitRows}
	defer func() {
		s.bulk = nil
		// The extractions saved beside the load are committed first: a
		// failure there fails the load.
		if serr := s.endSide(ctx, err == nil); serr != nil && err == nil {
			err = serr
		}
		if err != nil {
			end("ROLLBACK")
			return
		}
		end("COMMIT")
	}()
	return fn()
}

// bulkCommitRows is how many rows a bulk load writes before it commits
// along the way: every staging table a load replaces stays in the
// transaction until the commit, some 250 MB (spillable) per million postings
// extracted.
const bulkCommitRows = 1 << 20

// bulkLoad is a connection holding the open transaction of a bulk load.
type bulkLoad struct {
	conn       *sql.Conn
	rows       int // rows written since the last commit
	commitRows int // bulkCommitRows unless a test lowers it
}

// step ends one step of a bulk load (nothing when l is nil, outside one)
// that wrote rows rows. It commits the load so far and begins anew when the
// step changed or deleted stored rows, so that the old versions a
// transaction keeps for its rollback do not pile up over a whole file, or
// when commitRows rows were written since the last commit. Appending new
// rows, the common case, commits only past a million.
func (l *bulkLoad) step(ctx context.Context, inPlace bool, rows int) error {
	if l == nil {
		return nil
	}
	l.rows += rows
	if !inPlace && l.rows < l.commitRows {
		return nil
	}
	return l.commit(ctx)
}

// commit commits the load so far and begins anew.
func (l *bulkLoad) commit(ctx context.Context) error {
	l.rows = 0
	if _, err := l.conn.ExecContext(ctx, "COMMIT; BEGIN TRANSACTION"); err != nil {
		return fmt.Errorf("bulk load: commit a step: %w", err)
	}
	return nil
}

// joinSide commits what the side saver saved, if one runs, and begins the
// bulk load anew so that it sees those rows: before the load writes rows the
// side may have written.
func (s *Store) joinSide(ctx context.Context) error {
	if s.side == nil {
		return nil
	}
	if err := s.endSide(ctx, true); err != nil {
		return err
	}
	return s.bulk.commit(ctx)
}

// sideSaver saves the extractions of postings a bulk load appended as new,
// on a connection and in a transaction of its own, while the load goes on:
// DuckDB then appends postings and tags on two threads at once (each
// connection runs its statements on its caller's thread). It only ever
// inserts tags of new postings, so the two transactions never write the
// same rows: the load ends the side transaction before it changes stored
// postings (see UpsertBatch), and the side never marks analytics_state,
// which the load marks for the same postings.
type sideSaver struct {
	load   bulkLoad
	queue  chan []skilltrend.Extraction
	done   chan struct{}
	err    error       // the first failed save; read after done is closed
	failed atomic.Bool // err is set
}

// saveBeside queues ex for the side saver, starting one when none runs.
func (s *Store) saveBeside(ctx context.Context, ex []skilltrend.Extraction) error {
	if s.side == nil {
		conn, err := s.db.Conn(ctx)
		if err != nil {
			return fmt.Errorf("save extractions beside the load: %w", err)
		}
		if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
			conn.Close()
			return fmt.Errorf("save extractions beside the load: %w", err)
		}
		sv := &sideSaver{load: bulkLoad{conn: conn, commitRows: s.bulkCommitRows},
			queue: make(chan []skilltrend.Extraction, 1), done: make(chan struct{})}
		go func() {
			defer close(sv.done)
			for ex := range sv.queue {
				if sv.err != nil {
					continue // drained, so that a sender never blocks
				}
				sv.err = appendNewExtractions(conn, ex)
				if sv.err == nil {
					sv.err = sv.load.step(ctx, false, len(ex))
				}
				if sv.err != nil {
					sv.failed.Store(true)
				}
			}
		}()
		s.side = sv
	}
	if s.side.failed.Load() {
		return s.endSide(ctx, false)
	}
	select {
	case s.side.queue <- ex:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// endSide waits for the side saver's queued saves, commits them when commit
// is true and all succeeded (rolls them back otherwise) and releases its
// connection. It returns the first failure.
func (s *Store) endSide(ctx context.Context, commit bool) error {
	sv := s.side
	if sv == nil {
		return nil
	}
	s.side = nil
	close(sv.queue)
	<-sv.done
	err := sv.err
	stmt := "COMMIT"
	if err != nil || !commit {
		stmt = "ROLLBACK"
	}
	if _, xerr := sv.load.conn.ExecContext(context.WithoutCancel(ctx), stmt); xerr != nil && err == nil {
		err = xerr
	}
	if cerr := sv.load.conn.Close(); cerr != nil && err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("save extractions beside the load: %w", err)
	}
	return nil
}

// appendRows bulk-loads rows into table through the DuckDB Appender; fill
// calls add once per row, with a value for every column in table order.
func appendRows(conn *sql.Conn, table string, fill func(add func(...driver.Value) error) error) error {
	return appendColumns(conn, table, nil, fill)
}

// appendColumns is appendRows for the named columns only (all of them when
// columns is nil); the others take their defaults.
func appendColumns(conn *sql.Conn, table string, columns []string, fill func(add func(...driver.Value) error) error) error {
	return conn.Raw(func(dc any) error {
		var (
			a   *duckdb.Appender
			err error
		)
		if columns == nil {
			a, err = duckdb.NewAppender(dc.(driver.Conn), "", "", table)
		} else {
			a, err = duckdb.NewAppenderWithColumns(dc.(driver.Conn), "", "", table, columns)
		}
		if err != nil {
			return fmt.Errorf("appender %s: %w", table, err)
		}
		if err := fill(a.AppendRow); err != nil {
			_ = a.Close()
			return fmt.Errorf("append %s: %w", table, err)
		}
		if err := a.Close(); err != nil {
			return fmt.Errorf("append %s: %w", table, err)
		}
		return nil
	})
}

// stage creates (or replaces) the session's temporary table with the given
// definition, "(columns)" or "AS query", and fills it as appendRows does.
func stage(ctx context.Context, conn *sql.Conn, table, definition string, fill func(add func(...driver.Value) error) error) error {
	if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE "+table+" "+definition); err != nil {
		return err
	}
	return appendRows(conn, table, fill)
}

// inTx runs fn inside a transaction on conn; inside a bulk load l (not
// nil), fn is part of the load's transaction.
func inTx(ctx context.Context, conn *sql.Conn, l *bulkLoad, fn func() error) error {
	if l != nil {
		return fn()
	}
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return err
	}
	if err := fn(); err != nil {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		return err
	}
	_, err := conn.ExecContext(ctx, "COMMIT")
	return err
}

const (
	markDirtySQL      = "UPDATE analytics_state SET value = 'true' WHERE key = 'dirty'"
	markPostingsDirty = "UPDATE analytics_state SET value = 'true' WHERE key IN ('dirty', 'postings_dirty')"
)

// UpsertPostings stores postings keyed by Posting.ID(). Content fields take
// the latest values; first_seen keeps the earliest and last_seen the latest
// time seen. Loading the same postings again changes nothing but last_seen.
// A posting whose content changed loses the tags and facts extracted from
// its old content, so that the next extraction tags it again.
// It is PreparePostings followed by UpsertBatch.
func (s *Store) UpsertPostings(ctx context.Context, ps []skilltrend.Posting) (UpsertStats, error) {
	return s.UpsertBatch(ctx, PreparePostings(ps))
}

// PostingBatch is postings made ready to store: one row per key, with the
// hashes and keys the table holds computed on all cores, and maybe their
// tags. Preparing is most of the Go side of a load and needs no database, so
// a bulk loader prepares the next batch while UpsertBatch stores this one.
type PostingBatch struct {
	rows  []postingRow
	ex    []skilltrend.Extraction // of rows[i], when tagged (see PrepareTagged)
	given int                     // postings passed to PreparePostings
	now   time.Time               // stands in for a missing first or last seen time
}

// PreparePostings prepares postings for UpsertBatch. A posting given twice
// keeps the content of its latest sighting and the widest seen range.
func PreparePostings(ps []skilltrend.Posting) *PostingBatch {
	return PrepareTagged(ps, nil)
}

// PrepareTagged is PreparePostings that also tags each posting to be stored
// with extract (when not nil), on all cores. UpsertBatch then saves the
// extractions of the postings that are new, as SaveExtractions does: a first
// load needs no separate pass that reads every description back. Postings
// already stored get no tags from the batch; those whose content changed
// lose their old ones (see UpsertPostings) and are left to the next
// extraction.
func PrepareTagged(ps []skilltrend.Posting, extract func(skilltrend.Posting) skilltrend.Extraction) *PostingBatch {
	now := time.Now().UTC()
	b := &PostingBatch{rows: mergeBatch(ps, now), given: len(ps), now: now}
	if extract != nil {
		b.ex = make([]skilltrend.Extraction, len(b.rows))
	}
	onCores(len(b.rows), func(i int) {
		r := &b.rows[i]
		r.canonicalURL = canonicalURL(r.p.URL)
		r.contentHash, r.fingerprint = contentHashAndFingerprint(r.p)
		r.keys = keysOf(r.canonicalURL, r.p.Title, r.p.Company)
		if extract != nil {
			b.ex[i] = extract(r.p)
		}
	})
	return b
}

// Len is the number of postings the batch was prepared from.
func (b *PostingBatch) Len() int { return b.given }

// UpsertBatch stores a prepared batch, as UpsertPostings does, and the tags
// of its new postings when it was tagged (see PrepareTagged). Inside Bulk the
// tags are saved beside the load, on a second connection.
func (s *Store) UpsertBatch(ctx context.Context, b *PostingBatch) (UpsertStats, error) {
	var st UpsertStats
	if len(b.rows) == 0 {
		return st, nil
	}
	err := s.withConn(ctx, func(conn *sql.Conn) error {
		var stored int
		err := inTx(ctx, conn, s.bulk, func() error {
			var err error
			if stored, err = countStored(ctx, conn, b.rows); err != nil {
				return err
			}
			if stored == 0 {
				// Every posting is new (every batch of a first import):
				// append them to the table as they are, without staging a
				// copy to compare against the table and insert from.
				err = appendNewPostings(conn, b.rows, b.now)
				st = UpsertStats{New: len(b.rows)}
			} else {
				// Tags saved beside the load may belong to postings this
				// batch changes, whose tags it deletes.
				if err := s.joinSide(ctx); err != nil {
					return err
				}
				st, err = upsertStaged(ctx, conn, b.rows, b.now)
			}
			if err != nil || st.New+st.Updated == 0 {
				return err
			}
			_, err = conn.ExecContext(ctx, markPostingsDirty+"; "+bumpPostingsVersion)
			return err
		})
		if err != nil {
			return err
		}
		if err := s.bulk.step(ctx, stored > 0, len(b.rows)); err != nil {
			return err
		}
		if b.ex == nil || stored > 0 {
			return nil
		}
		st.Tagged = len(b.ex)
		if s.bulk != nil {
			return s.saveBeside(ctx, b.ex)
		}
		return saveExtractions(ctx, conn, nil, b.ex)
	})
	if err != nil {
		return UpsertStats{}, fmt.Errorf("upsert %d postings: %w", b.given, err)
	}
	return st, nil
}

// countStored returns how many of the rows' keys the postings table holds.
func countStored(ctx context.Context, conn *sql.Conn, rows []postingRow) (int, error) {
	err := stage(ctx, conn, "stage_ids", "(posting_id BIGINT)", func(add func(...driver.Value) error) error {
		for _, r := range rows {
			if err := add(r.id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	// A semi-join, which hashes the batch's keys: planned as a join, DuckDB
	// hashed the postings table instead when the load's own rows made it
	// look empty (its statistics count committed rows), which took 135 ms
	// instead of 20 ms per batch at a million postings.
	var n int
	err = conn.QueryRowContext(ctx, "SELECT count(*) FROM postings WHERE posting_id IN (SELECT posting_id FROM stage_ids)").Scan(&n)
	return n, err
}

// appendNewPostings appends rows none of whose keys is stored.
func appendNewPostings(conn *sql.Conn, rows []postingRow, now time.Time) error {
	return appendColumns(conn, "postings", postingColumns, fillPostings(rows, now))
}

// fillPostings is a fill for appendColumns: each row's values, then extra.
func fillPostings(rows []postingRow, extra ...driver.Value) func(add func(...driver.Value) error) error {
	return func(add func(...driver.Value) error) error {
		row := make([]driver.Value, 0, len(postingColumns)) // reused for every row
		for i := range rows {
			if err := add(append(rows[i].appendValues(row[:0]), extra...)...); err != nil {
				return err
			}
		}
		return nil
	}
}

// upsertStaged stores rows some of whose keys are stored: it stages them
// and compares their content hashes with the stored ones.
func upsertStaged(ctx context.Context, conn *sql.Conn, rows []postingRow, now time.Time) (UpsertStats, error) {
	var st UpsertStats
	err := stage(ctx, conn, "stage_postings", "AS SELECT * EXCLUDE (duplicate_of, duplicate_reason, updated_at) FROM postings LIMIT 0",
		fillPostings(rows))
	if err != nil {
		return st, err
	}
	err = conn.QueryRowContext(ctx, `SELECT
		count(*) FILTER (WHERE p.posting_id IS NULL),
		count(*) FILTER (WHERE p.content_hash <> s.content_hash),
		count(*) FILTER (WHERE p.content_hash = s.content_hash)
		FROM stage_postings s LEFT JOIN postings p USING (posting_id)`).Scan(&st.New, &st.Updated, &st.Unchanged)
	if err != nil {
		return st, err
	}
	// Narrow statements instead of one INSERT ... ON CONFLICT over every
	// row: new keys are appended; postings whose content changed are
	// deleted and appended anew (an UPDATE would keep every new value in
	// DuckDB's memory until a checkpoint: re-importing 160,000 changed
	// postings exhausted the 500 MB pool); unchanged postings only have
	// their seen range widened where it moved.
	steps := []struct {
		n    int
		sql  string
		args []any
	}{
		{st.New, insertNewPostingsSQL, []any{now}},
		{st.Updated, stageChangedPostingsSQL, nil},
		{st.Updated, "DELETE FROM postings WHERE posting_id IN (SELECT posting_id FROM stage_changed)", nil},
		// Tags of the old content would be kept as the new content's:
		// without them, extract tags the posting again.
		{st.Updated, "DELETE FROM posting_skills WHERE posting_id IN (SELECT posting_id FROM stage_changed)", nil},
		{st.Updated, "DELETE FROM extractions WHERE posting_id IN (SELECT posting_id FROM stage_changed)", nil},
		{st.Updated, "INSERT INTO postings BY NAME SELECT *, ?::TIMESTAMP AS updated_at FROM stage_changed", []any{now}},
		{st.Unchanged, updateSeenPostingsSQL, nil},
	}
	for _, step := range steps {
		if step.n == 0 {
			continue
		}
		if _, err := conn.ExecContext(ctx, step.sql, step.args...); err != nil {
			return st, err
		}
	}
	return st, nil
}

// PostingsSeen records that the stored postings with these keys
// (Posting.ID) were seen again at at, as when a crawled document answers
// 304 Not Modified: last_seen moves forward to at where it is earlier, and
// nothing else changes. The postings' content is the same, so they are not
// "updated", need no tagging and leave the derived tables as they are (no
// view or aggregate reads last_seen). Keys not stored are ignored. It
// returns how many postings moved.
func (s *Store) PostingsSeen(ctx context.Context, ids []int64, at time.Time) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	var n int64
	err := s.withConn(ctx, func(conn *sql.Conn) error {
		err := stage(ctx, conn, "stage_seen", "(posting_id BIGINT)", func(add func(...driver.Value) error) error {
			for _, id := range ids {
				if err := add(id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		res, err := conn.ExecContext(ctx, `UPDATE postings SET last_seen = ?::TIMESTAMP
			WHERE last_seen < ?::TIMESTAMP AND posting_id IN (SELECT posting_id FROM stage_seen)`, at.UTC(), at.UTC())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("postings seen: %d keys: %w", len(ids), err)
	}
	return int(n), nil
}

const (
	insertNewPostingsSQL = `INSERT INTO postings BY NAME
SELECT s.*, ?::TIMESTAMP AS updated_at FROM stage_postings s
WHERE NOT EXISTS (SELECT 1 FROM postings p WHERE p.posting_id = s.posting_id)`

	// The changed postings as they are to be stored: the new content, the
	// widest seen range, and the duplicate marks until dedup runs again.
	stageChangedPostingsSQL = `CREATE OR REPLACE TEMP TABLE stage_changed AS
SELECT s.* REPLACE (least(p.first_seen, s.first_seen) AS first_seen, greatest(p.last_seen, s.last_seen) AS last_seen),
	p.duplicate_of, p.duplicate_reason
FROM stage_postings s JOIN postings p USING (posting_id)
WHERE p.content_hash <> s.content_hash`

	// Equal content hashes mean equal content fields; only the seen range
	// and the raw page (not hashed) can move.
	updateSeenPostingsSQL = `UPDATE postings SET
	first_seen = least(postings.first_seen, s.first_seen),
	last_seen = greatest(postings.last_seen, s.last_seen),
	raw_html = s.raw_html
FROM stage_postings s
WHERE postings.posting_id = s.posting_id AND postings.content_hash = s.content_hash
	AND (s.first_seen < postings.first_seen OR s.last_seen > postings.last_seen
	     OR s.raw_html IS DISTINCT FROM postings.raw_html)`
)

// postingColumns names the postings columns that postingRow.appendValues
// fills, in its order, and then updated_at.
var postingColumns = []string{"posting_id", "source", "source_id", "url", "canonical_url", "title", "company",
	"location", "work_mode", "employment_type", "salary_min", "salary_max", "salary_currency", "salary_period",
	"posted_at", "first_seen", "last_seen", "description", "raw_html", "content_hash", "fingerprint",
	"url_key", "company_key", "updated_at"}

// postingRow is a Posting as staged for the postings table.
type postingRow struct {
	p            skilltrend.Posting
	id           int64
	firstSeen    time.Time
	lastSeen     time.Time
	canonicalURL string
	contentHash  uint64
	fingerprint  uint64
	keys         dedupKeys
}

// mergeBatch turns postings into rows, one per key: a posting given twice in
// a batch keeps the content of its latest sighting and the widest seen range.
func mergeBatch(ps []skilltrend.Posting, now time.Time) []postingRow {
	idx := make(map[int64]int, len(ps))
	rows := make([]postingRow, 0, len(ps))
	for _, p := range ps {
		r := postingRow{p: p, id: p.ID(), firstSeen: p.FirstSeen.UTC(), lastSeen: p.LastSeen.UTC()}
		if p.FirstSeen.IsZero() {
			r.firstSeen = now
		}
		if p.LastSeen.IsZero() {
			r.lastSeen = now
		}
		if r.lastSeen.Before(r.firstSeen) {
			r.lastSeen = r.firstSeen
		}
		i, seen := idx[r.id]
		if !seen {
			idx[r.id] = len(rows)
			rows = append(rows, r)
			continue
		}
		old := rows[i]
		if !r.lastSeen.Before(old.lastSeen) {
			r.firstSeen = minTime(r.firstSeen, old.firstSeen)
			rows[i] = r
		} else {
			rows[i].firstSeen = minTime(r.firstSeen, old.firstSeen)
		}
	}
	return rows
}

// onCores calls fn(i) for each i in [0, n), spread over the cores.
func onCores(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), max(1, n/256))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				fn(i)
			}
		})
	}
	wg.Wait()
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// appendValues appends the row's values in postingColumns order, without
// updated_at, to dst: a load reuses one slice for all its rows.
func (r *postingRow) appendValues(dst []driver.Value) []driver.Value {
	p := &r.p
	var smin, smax, cur, period driver.Value
	if p.Salary != nil {
		smin, smax = positive(p.Salary.Min), positive(p.Salary.Max)
		cur, period = nullString(p.Salary.Currency), nullString(p.Salary.Period)
	}
	var posted driver.Value
	if !p.PostedAt.IsZero() {
		posted = p.PostedAt.UTC()
	}
	wm := string(p.WorkMode)
	if wm == "" {
		wm = string(skilltrend.WorkModeUnknown)
	}
	return append(dst,
		r.id, p.Source, p.SourceID, nullString(p.URL), nullString(r.canonicalURL), p.Title, p.Company,
		p.Location, wm, nullString(p.EmploymentType), smin, smax, cur, period, posted,
		r.firstSeen, r.lastSeen, p.Description, nullString(p.RawHTML), r.contentHash, r.fingerprint,
		r.keys.urlValue(), r.keys.company,
	)
}

func nullString(s string) driver.Value {
	if s == "" {
		return nil
	}
	return s
}

func positive(f float64) driver.Value {
	if f > 0 {
		return f
	}
	return nil
}

// contentHashAndFingerprint returns the content hash of p and
// SimHash(p.Description), from one pass over the description (see
// simHashFNV). The content hash covers the fields whose change makes a
// posting "updated": FNV-1a 64 over each field followed by a NUL byte, then
// the salary as "%g|%g|%s|%s" and a NUL byte, then posted_at in Unix
// nanoseconds. Both are stored, so they must never change
// (TestContentHashStable, TestSimHashMatchesReference).
func contentHashAndFingerprint(p skilltrend.Posting) (content, fingerprint uint64) {
	h := uint64(fnvOffset64)
	write := func(s string) {
		for i := 0; i < len(s); i++ {
			h ^= uint64(s[i])
			h *= fnvPrime64
		}
	}
	writeBytes := func(b []byte) {
		for _, c := range b {
			h ^= uint64(c)
			h *= fnvPrime64
		}
	}
	for _, s := range [...]string{p.URL, p.Title, p.Company, p.Location, string(p.WorkMode), p.EmploymentType} {
		write(s)
		write("\x00")
	}
	fp, h := simHashFNV(p.Description, h)
	write("\x00")
	var buf [64]byte
	if p.Salary != nil {
		b := strconv.AppendFloat(buf[:0], p.Salary.Min, 'g', -1, 64)
		b = append(b, '|')
		b = strconv.AppendFloat(b, p.Salary.Max, 'g', -1, 64)
		writeBytes(append(b, '|'))
		write(p.Salary.Currency)
		write("|")
		write(p.Salary.Period)
	}
	write("\x00")
	if !p.PostedAt.IsZero() {
		writeBytes(strconv.AppendInt(buf[:0], p.PostedAt.UnixNano(), 10))
	}
	return h, fp
}

// SyncSkills makes the skills table match a taxonomy: its skills are active,
// every other stored skill becomes inactive (kept, because old tags may
// still name it).
func (s *Store) SyncSkills(ctx context.Context, taxonomyVersion string, skills []skilltrend.Skill) error {
	err := s.withConn(ctx, func(conn *sql.Conn) error {
		seen := make(map[string]bool, len(skills))
		err := stage(ctx, conn, "stage_skills", "AS SELECT * FROM skills LIMIT 0", func(add func(...driver.Value) error) error {
			for _, sk := range skills {
				if seen[sk.ID] {
					continue
				}
				seen[sk.ID] = true
				if err := add(sk.ID, sk.Name, string(sk.Category), taxonomyVersion, true); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		return inTx(ctx, conn, s.bulk, func() error {
			const signature = `SELECT coalesce(string_agg(skill_id || chr(0) || name || chr(0) || category, chr(1) ORDER BY skill_id), '')
				FROM skills WHERE active`
			var before, after string
			if err := conn.QueryRowContext(ctx, signature).Scan(&before); err != nil {
				return err
			}
			for _, q := range []string{
				"UPDATE skills SET active = false WHERE active AND skill_id NOT IN (SELECT skill_id FROM stage_skills)",
				`INSERT INTO skills SELECT * FROM stage_skills ON CONFLICT (skill_id) DO UPDATE SET
					name = excluded.name, category = excluded.category,
					taxonomy_version = excluded.taxonomy_version, active = true`,
			} {
				if _, err := conn.ExecContext(ctx, q); err != nil {
					return err
				}
			}
			if err := conn.QueryRowContext(ctx, signature).Scan(&after); err != nil {
				return err
			}
			if before != after {
				_, err := conn.ExecContext(ctx, markDirtySQL)
				return err
			}
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("sync %d skills: %w", len(skills), err)
	}
	return nil
}

// tagWindow is how many postings PostingsToTag reads per query. Windows
// are ranges of row ids, so each reads only its own part of the table (a
// range of the random posting ids would be spread over all of it, and every
// window would decompress every description).
const tagWindow = 1 << 15

// PostingsToTag calls fn with batches of postings that have no extraction at
// taxonomyVersion (every posting when all is true), in the table's storage
// order. fn may save extractions: each batch is read completely before fn
// runs, and no batch is read twice. The postings carry only what tagging
// reads (source and source id for the key, title, description, work mode
// and salary): the other columns, the raw pages above all, would cost
// reading and converting for nothing.
func (s *Store) PostingsToTag(ctx context.Context, taxonomyVersion string, all bool, batch int, fn func([]skilltrend.Posting) error) error {
	if batch <= 0 {
		batch = 1000
	}
	// The condition is written out for each case: with a parameter that
	// switches it off ("? OR NOT EXISTS ..."), DuckDB could not plan the
	// anti-join, which then took twice as long.
	pending, args := "true", []any(nil)
	if !all {
		pending = `NOT EXISTS (SELECT 1 FROM extractions e WHERE e.posting_id = p.posting_id AND e.taxonomy_version = ?)`
		args = []any{taxonomyVersion}
	}
	// The row ids of every pending posting, in order, cut into windows.
	// Row ids are stable here: postings are neither added nor deleted
	// while the caller holds the store.
	var ids []int64
	rows, err := s.db.QueryContext(ctx, `SELECT rowid FROM postings p WHERE `+pending+` ORDER BY rowid`, args...)
	if err != nil {
		return fmt.Errorf("postings to tag: %w", err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("postings to tag: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("postings to tag: %w", err)
	}
	window := max(batch, tagWindow)
	for len(ids) > 0 {
		n := min(window, len(ids))
		lo, hi := ids[0], ids[n-1]
		ids = ids[n:]
		ps, err := s.readPostings(ctx, `WHERE p.rowid BETWEEN ? AND ? AND `+pending, append([]any{lo, hi}, args...)...)
		if err != nil {
			return fmt.Errorf("postings to tag: %w", err)
		}
		for len(ps) > 0 {
			b := min(batch, len(ps))
			if err := fn(ps[:b:b]); err != nil {
				return err
			}
			ps = ps[b:]
		}
	}
	return nil
}

// readPostings reads the fields of postings that tagging reads (see
// PostingsToTag), matching the clause that follows "FROM postings p".
func (s *Store) readPostings(ctx context.Context, clause string, args ...any) ([]skilltrend.Posting, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT source, source_id, title, work_mode,
		salary_min, salary_max, coalesce(salary_currency, ''), coalesce(salary_period, ''), description
		FROM postings p `+clause, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ps []skilltrend.Posting
	for rows.Next() {
		var p skilltrend.Posting
		var wm, cur, period string
		var smin, smax sql.NullFloat64
		if err := rows.Scan(&p.Source, &p.SourceID, &p.Title, &wm,
			&smin, &smax, &cur, &period, &p.Description); err != nil {
			return nil, err
		}
		p.WorkMode = skilltrend.WorkMode(wm)
		if smin.Valid || smax.Valid {
			p.Salary = &skilltrend.Salary{Min: smin.Float64, Max: smax.Float64, Currency: cur, Period: period}
		}
		ps = append(ps, p)
	}
	return ps, rows.Err()
}

// SaveExtractions stores extractions, replacing each posting's previous tags
// and facts. Tags go through the Appender into a session-local staging table
// of fixed-width columns (a skill is a number there, mapped back to its id in
// SQL), which keeps the per-row cost off cgo string copies and the WAL.
func (s *Store) SaveExtractions(ctx context.Context, ex []skilltrend.Extraction) error {
	err := s.withConn(ctx, func(conn *sql.Conn) error {
		if err := s.joinSide(ctx); err != nil {
			return err
		}
		return saveExtractions(ctx, conn, s.bulk, ex)
	})
	if err != nil {
		return fmt.Errorf("save %d extractions: %w", len(ex), err)
	}
	return nil
}

// saveExtractions is SaveExtractions on conn, inside the bulk load l unless
// l is nil.
func saveExtractions(ctx context.Context, conn *sql.Conn, l *bulkLoad, ex []skilltrend.Extraction) error {
	if len(ex) == 0 {
		return nil
	}
	latest := make(map[int64]int, len(ex))
	for i, e := range ex {
		latest[e.PostingID] = i
	}
	skillNo := make(map[string]int32)
	var skillIDs []string
	now := time.Now().UTC()
	err := stage(ctx, conn, "stage_extractions", "AS SELECT * FROM extractions LIMIT 0", func(add func(...driver.Value) error) error {
		for i, e := range ex {
			if latest[e.PostingID] != i {
				continue
			}
			if err := add(extractionValues(e, now)...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = stage(ctx, conn, "stage_tags", "(posting_id BIGINT, skill_no INTEGER, required BOOLEAN, matches INTEGER)", func(add func(...driver.Value) error) error {
		for i, e := range ex {
			if latest[e.PostingID] != i {
				continue
			}
			if err := appendTags(add, e, func(id string) int32 {
				n, ok := skillNo[id]
				if !ok {
					n = int32(len(skillIDs))
					skillNo[id] = n
					skillIDs = append(skillIDs, id)
				}
				return n
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = stage(ctx, conn, "stage_skill_nos", "(skill_no INTEGER, skill_id VARCHAR)", func(add func(...driver.Value) error) error {
		for n, id := range skillIDs {
			if err := add(int32(n), id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	var replaced int
	err = inTx(ctx, conn, l, func() error {
		if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM extractions
			WHERE posting_id IN (SELECT posting_id FROM stage_extractions)`).Scan(&replaced); err != nil {
			return err
		}
		if replaced > 0 {
			if _, err := conn.ExecContext(ctx, `DELETE FROM posting_skills
				WHERE posting_id IN (SELECT posting_id FROM stage_extractions)`); err != nil {
				return err
			}
		}
		qs := []string{`INSERT INTO posting_skills
			SELECT t.posting_id, n.skill_id, t.required, e.taxonomy_version, t.matches
			FROM stage_tags t JOIN stage_skill_nos n USING (skill_no) JOIN stage_extractions e USING (posting_id)`}
		// A plain insert of the new keys and an update of the replaced
		// ones: far cheaper than INSERT ... ON CONFLICT over every row.
		if replaced > 0 {
			qs = append(qs, `UPDATE extractions SET
				taxonomy_version = s.taxonomy_version, role = s.role,
				seniority = s.seniority, work_mode = s.work_mode,
				salary_min = s.salary_min, salary_max = s.salary_max,
				salary_currency = s.salary_currency, extracted_at = s.extracted_at
				FROM stage_extractions s WHERE extractions.posting_id = s.posting_id`)
		}
		switch {
		case replaced == 0:
			qs = append(qs, `INSERT INTO extractions SELECT * FROM stage_extractions`)
		case replaced < len(latest):
			qs = append(qs, `INSERT INTO extractions SELECT * FROM stage_extractions s
				WHERE NOT EXISTS (SELECT 1 FROM extractions e WHERE e.posting_id = s.posting_id)`)
		}
		for _, q := range append(qs, markDirtySQL) {
			if _, err := conn.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return l.step(ctx, replaced > 0, len(ex))
}

// appendTags appends one staging row per distinct skill of e (see
// eachTag). num maps a skill id to its number.
func appendTags(add func(...driver.Value) error, e skilltrend.Extraction, num func(string) int32) error {
	row := make([]driver.Value, 4) // reused: one allocation per posting, not per tag
	row[0] = e.PostingID
	return eachTag(e, func(skillID string, required bool, matches int32) error {
		row[1], row[2], row[3] = num(skillID), required, matches
		return add(row...)
	})
}

// eachTag calls fn once per distinct skill of e: a skill tagged twice is
// required if either tag is, and its matches add up.
func eachTag(e skilltrend.Extraction, fn func(skillID string, required bool, matches int32) error) error {
	for i, t := range e.Tags {
		required, matches, dup := t.Required, len(t.Matches), false
		for j, u := range e.Tags {
			if u.SkillID != t.SkillID || j == i {
				continue
			}
			if j < i {
				dup = true
				break
			}
			required = required || u.Required
			matches += len(u.Matches)
		}
		if dup {
			continue
		}
		if err := fn(t.SkillID, required, int32(matches)); err != nil {
			return err
		}
	}
	return nil
}

// extractionValues is e as a row of the extractions table, extracted at now.
func extractionValues(e skilltrend.Extraction, now time.Time) []driver.Value {
	var smin, smax, cur driver.Value
	if e.Salary != nil {
		smin, smax, cur = positive(e.Salary.Min), positive(e.Salary.Max), nullString(e.Salary.Currency)
	}
	return []driver.Value{e.PostingID, e.TaxonomyVersion, orDefault(string(e.Role), string(skilltrend.RoleOther)),
		orDefault(string(e.Seniority), string(skilltrend.SeniorityUnknown)),
		orDefault(string(e.WorkMode), string(skilltrend.WorkModeUnknown)), smin, smax, cur, now}
}

// appendNewExtractions appends the extractions of postings that have none
// stored, one each, straight to extractions and posting_skills: nothing to
// replace, so nothing to stage. A posting given twice fails on the
// extractions key.
func appendNewExtractions(conn *sql.Conn, ex []skilltrend.Extraction) error {
	now := time.Now().UTC()
	err := appendRows(conn, "extractions", func(add func(...driver.Value) error) error {
		for _, e := range ex {
			if err := add(extractionValues(e, now)...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return appendRows(conn, "posting_skills", func(add func(...driver.Value) error) error {
		row := make([]driver.Value, 5)
		for _, e := range ex {
			row[0], row[3] = e.PostingID, e.TaxonomyVersion
			err := eachTag(e, func(skillID string, required bool, matches int32) error {
				row[1], row[2], row[4] = skillID, required, matches
				return add(row...)
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// RecordCrawlRun appends one row to crawl_runs.
func (s *Store) RecordCrawlRun(ctx context.Context, r CrawlRun) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO crawl_runs (source, started, finished, pages, new, updated, seen, errors, error)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.Source, r.Started.UTC(), r.Finished.UTC(), r.Pages, r.New, r.Updated,
		r.Seen, r.Errors, nullString(r.Error))
	if err != nil {
		return fmt.Errorf("record crawl run %s: %w", r.Source, err)
	}
	return nil
}

// GetState reads a crawler state value; ok is false when key was never set.
func (s *Store) GetState(ctx context.Context, key string) (string, bool, error) {
	var v string
	err := s.db.QueryRowContext(ctx, "SELECT value FROM crawl_state WHERE key = ?", key).Scan(&v)
	if err == sql.ErrNoRows {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("get state %s: %w", key, err)
	}
	return v, true, nil
}

// PutState writes a crawler state value.
func (s *Store) PutState(ctx context.Context, key, value string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO crawl_state VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, key, value, time.Now().UTC())
	if err != nil {
		return fmt.Errorf("put state %s: %w", key, err)
	}
	return nil
}
