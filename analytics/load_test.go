package analytics

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/skilltrend/skilltrend"
	"github.com/skilltrend/skilltrend/synth"
)

func openTestStore(t *testing.T) *Store {
	t.Helper()
	s, err := OpenWork(context.Background(), filepath.Join(t.TempDir(), "st.duckdb"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestUpsertPostings(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	p := skilltrend.Posting{Source: "hn", SourceID: "42", Title: "Go developer", Description: "Write Go.",
		FirstSeen: t0, LastSeen: t0, Salary: &skilltrend.Salary{Min: 50, Max: 70, Currency: "EUR", Period: "hour"}}

	steps := []struct {
		name  string
		batch func() []skilltrend.Posting
		want  UpsertStats
		first time.Time
		last  time.Time
		title string
	}{
		{"new", func() []skilltrend.Posting { return []skilltrend.Posting{p} }, UpsertStats{New: 1}, t0, t0, "Go developer"},
		{"seen again later", func() []skilltrend.Posting {
			q := p
			q.FirstSeen, q.LastSeen = t0.Add(48*time.Hour), t0.Add(48*time.Hour)
			return []skilltrend.Posting{q}
		}, UpsertStats{Unchanged: 1}, t0, t0.Add(48 * time.Hour), "Go developer"},
		{"seen earlier by a backfill", func() []skilltrend.Posting {
			q := p
			q.FirstSeen, q.LastSeen = t0.Add(-24*time.Hour), t0.Add(-24*time.Hour)
			return []skilltrend.Posting{q}
		}, UpsertStats{Unchanged: 1}, t0.Add(-24 * time.Hour), t0.Add(48 * time.Hour), "Go developer"},
		{"edited, twice in one batch", func() []skilltrend.Posting {
			q, r := p, p
			q.Title, q.LastSeen = "Senior Go developer", t0.Add(72*time.Hour)
			r.Title, r.LastSeen = "Old title", t0.Add(60*time.Hour)
			return []skilltrend.Posting{q, r}
		}, UpsertStats{Updated: 1}, t0.Add(-24 * time.Hour), t0.Add(72 * time.Hour), "Senior Go developer"},
		{"seen again beside a new posting", func() []skilltrend.Posting {
			q := p
			q.Title, q.FirstSeen, q.LastSeen = "Senior Go developer", t0, t0
			return []skilltrend.Posting{q, {Source: "hn", SourceID: "43", Title: "Rust developer", Description: "Write Rust."}}
		}, UpsertStats{New: 1, Unchanged: 1}, t0.Add(-24 * time.Hour), t0.Add(72 * time.Hour), "Senior Go developer"},
	}
	for _, st := range steps {
		got, err := s.UpsertPostings(ctx, st.batch())
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got != st.want {
			t.Errorf("%s: stats %+v, want %+v", st.name, got, st.want)
		}
		var first, last time.Time
		var title string
		if err := s.DB().QueryRowContext(ctx, "SELECT first_seen, last_seen, title FROM postings WHERE posting_id = ?", p.ID()).Scan(&first, &last, &title); err != nil {
			t.Fatal(err)
		}
		if !first.Equal(st.first) || !last.Equal(st.last) || title != st.title {
			t.Errorf("%s: first %v last %v title %q, want %v %v %q", st.name, first, last, title, st.first, st.last, st.title)
		}
	}

	// Round trip through PostingsToTag.
	var got []skilltrend.Posting
	if err := s.PostingsToTag(ctx, "v1", false, 10, func(ps []skilltrend.Posting) error {
		got = append(got, ps...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(got, func(a, b skilltrend.Posting) int { return strings.Compare(a.SourceID, b.SourceID) })
	if len(got) != 2 || got[0].ID() != p.ID() || got[0].Salary == nil || got[0].Salary.Period != "hour" ||
		got[0].Salary.Max != 70 || got[0].Title != "Senior Go developer" || got[0].Description != p.Description {
		t.Fatalf("PostingsToTag gave %+v", got)
	}
}

// TestChangedPostingIsTaggedAgain: a posting whose content changes loses
// the tags of its old content and is tagged again; one seen again unchanged
// keeps its tags.
func TestChangedPostingIsTaggedAgain(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	edited := skilltrend.Posting{Source: "s", SourceID: "1", Description: "We use Go and PostgreSQL."}
	same := skilltrend.Posting{Source: "s", SourceID: "2", Description: "We use Java."}
	if _, err := s.UpsertPostings(ctx, []skilltrend.Posting{edited, same}); err != nil {
		t.Fatal(err)
	}
	tagAll := func() []int64 {
		t.Helper()
		var ids []int64
		err := s.PostingsToTag(ctx, "v1", false, 10, func(ps []skilltrend.Posting) error {
			var ex []skilltrend.Extraction
			for _, p := range ps {
				ids = append(ids, p.ID())
				ex = append(ex, skilltrend.Extraction{PostingID: p.ID(), TaxonomyVersion: "v1",
					Tags: []skilltrend.Tag{{SkillID: strings.Fields(p.Description)[2]}}})
			}
			return s.SaveExtractions(ctx, ex)
		})
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(ids)
		return ids
	}
	if got := tagAll(); len(got) != 2 {
		t.Fatalf("first extraction tagged %v, want both postings", got)
	}
	edited.Description = "We use Rust and Kafka."
	st, err := s.UpsertPostings(ctx, []skilltrend.Posting{edited, same})
	if err != nil {
		t.Fatal(err)
	}
	if st != (UpsertStats{Updated: 1, Unchanged: 1}) {
		t.Fatalf("stats %+v, want 1 updated, 1 unchanged", st)
	}
	tags := func() string {
		t.Helper()
		var got string
		if err := s.DB().QueryRowContext(ctx, `SELECT coalesce(string_agg(p.source_id || '=' || coalesce(ps.skill_id, '-'), ',' ORDER BY p.source_id), '')
			FROM postings p LEFT JOIN posting_skills ps USING (posting_id)`).Scan(&got); err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got, want := tags(), "1=-,2=Java."; got != want {
		t.Errorf("after the edit, tags %s, want %s", got, want)
	}
	var extracted int
	if err := s.DB().QueryRowContext(ctx, "SELECT count(*) FROM extractions WHERE posting_id = ?", edited.ID()).Scan(&extracted); err != nil {
		t.Fatal(err)
	}
	if extracted != 0 {
		t.Errorf("the edited posting keeps %d extractions of its old content", extracted)
	}
	if got := tagAll(); !slices.Equal(got, []int64{edited.ID()}) {
		t.Errorf("second extraction tagged %v, want only the edited posting %d", got, edited.ID())
	}
	if got, want := tags(), "1=Rust,2=Java."; got != want {
		t.Errorf("after tagging again, tags %s, want %s", got, want)
	}
}

// TestTaggedBatches stores batches prepared with their tags: the tags of
// new postings are saved with them, outside and inside a bulk load (where
// they go through a second connection), and a batch with stored postings
// saves none. A posting that is new in one batch of a bulk load and changed
// in a later one must end up untagged, to be tagged again, never with the
// tags of its first content.
func TestTaggedBatches(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	tag := func(p skilltrend.Posting) skilltrend.Extraction {
		return skilltrend.Extraction{PostingID: p.ID(), TaxonomyVersion: "v1", Role: skilltrend.RoleBackend,
			Tags: []skilltrend.Tag{{SkillID: strings.Fields(p.Description)[0], Required: true}}}
	}
	posting := func(id, text string) skilltrend.Posting {
		return skilltrend.Posting{Source: "s", SourceID: id, Description: text}
	}
	upsert := func(ps ...skilltrend.Posting) UpsertStats {
		t.Helper()
		st, err := s.UpsertBatch(ctx, PrepareTagged(ps, tag))
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	tags := func() string {
		t.Helper()
		var got string
		if err := s.DB().QueryRowContext(ctx, `SELECT coalesce(string_agg(p.source_id || '=' || coalesce(ps.skill_id, '-')
			|| '/' || coalesce(e.role, '-'), ',' ORDER BY p.source_id), '')
			FROM postings p LEFT JOIN posting_skills ps USING (posting_id) LEFT JOIN extractions e USING (posting_id)`).Scan(&got); err != nil {
			t.Fatal(err)
		}
		return got
	}

	if st := upsert(posting("1", "go"), posting("2", "java")); st != (UpsertStats{New: 2, Tagged: 2}) {
		t.Errorf("outside a bulk load: stats %+v, want 2 new and tagged", st)
	}
	if got, want := tags(), "1=go/backend,2=java/backend"; got != want {
		t.Errorf("outside a bulk load: tags %s, want %s", got, want)
	}

	err := s.Bulk(ctx, func() error {
		if st := upsert(posting("3", "rust"), posting("4", "kotlin")); st != (UpsertStats{New: 2, Tagged: 2}) {
			t.Errorf("new batch in a bulk load: stats %+v, want 2 new and tagged", st)
		}
		// 3 changes while its tags are still in the side transaction.
		if st := upsert(posting("3", "scala"), posting("5", "perl")); st != (UpsertStats{New: 1, Updated: 1}) {
			t.Errorf("batch with a stored posting: stats %+v, want 1 new, 1 updated, none tagged", st)
		}
		if st := upsert(posting("6", "elixir")); st != (UpsertStats{New: 1, Tagged: 1}) {
			t.Errorf("new batch after it: stats %+v, want 1 new and tagged", st)
		}
		// Tags saved through the load replace those saved beside it.
		return s.SaveExtractions(ctx, []skilltrend.Extraction{tag(posting("6", "erlang"))})
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tags(), "1=go/backend,2=java/backend,3=-/-,4=kotlin/backend,5=-/-,6=erlang/backend"; got != want {
		t.Errorf("after the bulk load: tags %s, want %s", got, want)
	}
	var pending []string
	err = s.PostingsToTag(ctx, "v1", false, 10, func(ps []skilltrend.Posting) error {
		for _, p := range ps {
			pending = append(pending, p.SourceID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(pending)
	if !slices.Equal(pending, []string{"3", "5"}) {
		t.Errorf("left to tag %v, want [3 5]", pending)
	}

	// A failed load keeps neither its postings nor the tags saved beside it.
	failed := errors.New("load failed")
	err = s.Bulk(ctx, func() error {
		upsert(posting("7", "haskell"))
		return failed
	})
	if !errors.Is(err, failed) {
		t.Fatalf("failed load returned %v", err)
	}
	var n int
	if err := s.DB().QueryRowContext(ctx, `SELECT (SELECT count(*) FROM postings) + (SELECT count(*) FROM extractions)
		+ (SELECT count(*) FROM posting_skills)`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 6+4+4 {
		t.Errorf("after a failed load, %d postings, extractions and tags; want 14 as before", n)
	}
}

// TestUpsertPathsStoreTheSameRow stores one posting through each of
// UpsertBatch's two paths: appended directly (a batch of new keys only) and
// inserted from the stage (a batch with a stored key). The rows must match
// in every column but updated_at.
func TestUpsertPathsStoreTheSameRow(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 5, 4, 3, 2, 1, 0, time.UTC)
	x := skilltrend.Posting{Source: "board", SourceID: "x-1", URL: "https://www.example.com/jobs/1/?utm_source=feed#apply",
		Title: "Backend engineer", Company: "Example GmbH", Location: "Berlin", WorkMode: skilltrend.WorkModeHybrid,
		EmploymentType: "FULL_TIME", Salary: &skilltrend.Salary{Min: 60000, Max: 80000, Currency: "EUR", Period: "year"},
		PostedAt: at.Add(-time.Hour), FirstSeen: at, LastSeen: at.Add(time.Hour),
		Description: "Go, PostgreSQL and Kubernetes. Ünïcödé too.", RawHTML: "<p>Go, PostgreSQL and Kubernetes.</p>"}
	other := skilltrend.Posting{Source: "board", SourceID: "y-2", Title: "Other", Description: "Other."}
	row := func(s *Store) string {
		t.Helper()
		var v string
		if err := s.DB().QueryRowContext(ctx, `SELECT CAST(p AS VARCHAR) FROM (SELECT * EXCLUDE (updated_at) FROM postings
			WHERE posting_id = ?) p`, x.ID()).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	direct := openTestStore(t)
	if st, err := direct.UpsertPostings(ctx, []skilltrend.Posting{x}); err != nil || st != (UpsertStats{New: 1}) {
		t.Fatalf("direct: %+v, %v", st, err)
	}
	staged := openTestStore(t)
	if _, err := staged.UpsertPostings(ctx, []skilltrend.Posting{other}); err != nil {
		t.Fatal(err)
	}
	if st, err := staged.UpsertPostings(ctx, []skilltrend.Posting{other, x}); err != nil || st != (UpsertStats{New: 1, Unchanged: 1}) {
		t.Fatalf("staged: %+v, %v", st, err)
	}
	if a, b := row(direct), row(staged); a != b {
		t.Fatalf("the two paths stored different rows:\n direct %s\n staged %s", a, b)
	}
}

// TestPostingsToTagWindows reads more postings than one window holds, some
// of them already tagged: every pending posting comes exactly once.
func TestPostingsToTagWindows(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	n := 2*tagWindow + 7
	ps := make([]skilltrend.Posting, n)
	for i := range ps {
		ps[i] = skilltrend.Posting{Source: "s", SourceID: strconv.Itoa(i), Title: "t"}
	}
	if _, err := s.UpsertPostings(ctx, ps); err != nil {
		t.Fatal(err)
	}
	// Every third posting is tagged already.
	want := map[int64]bool{}
	var done []skilltrend.Extraction
	for i, p := range ps {
		if i%3 == 0 {
			done = append(done, skilltrend.Extraction{PostingID: p.ID(), TaxonomyVersion: "v1"})
		} else {
			want[p.ID()] = true
		}
	}
	if err := s.SaveExtractions(ctx, done); err != nil {
		t.Fatal(err)
	}
	got := 0
	err := s.PostingsToTag(ctx, "v1", false, 5000, func(b []skilltrend.Posting) error {
		for _, p := range b {
			if !want[p.ID()] {
				t.Fatalf("posting %s read twice or not pending", p.SourceID)
			}
			delete(want, p.ID())
			got++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != 0 {
		t.Fatalf("%d pending postings never read (%d read)", len(want), got)
	}
}

func TestPostingsToTagAndSaveExtractions(t *testing.T) {
	t.Run("batch by batch", func(t *testing.T) { testPostingsToTagAndSave(t, false) })
	// As extract does it: the reader sees the database as it was before the
	// bulk load, while tags are saved inside it.
	t.Run("in one bulk load", func(t *testing.T) { testPostingsToTagAndSave(t, true) })
}

func testPostingsToTagAndSave(t *testing.T, bulk bool) {
	ctx := context.Background()
	s := openTestStore(t)
	var ps []skilltrend.Posting
	for i := range 25 {
		ps = append(ps, skilltrend.Posting{Source: "s", SourceID: string(rune('a' + i)), Description: "text"})
	}
	if _, err := s.UpsertPostings(ctx, ps); err != nil {
		t.Fatal(err)
	}
	collect := func(version string, all bool) []int64 {
		var ids []int64
		run := func() error {
			return s.PostingsToTag(ctx, version, all, 10, func(b []skilltrend.Posting) error {
				if len(b) > 10 {
					t.Errorf("batch of %d, want <= 10", len(b))
				}
				var ex []skilltrend.Extraction
				for _, p := range b {
					ids = append(ids, p.ID())
					ex = append(ex, skilltrend.Extraction{PostingID: p.ID(), TaxonomyVersion: version,
						Tags: []skilltrend.Tag{{SkillID: version + "-skill", Required: true}, {SkillID: "shared"}, {SkillID: "shared", Required: true}}})
				}
				return s.SaveExtractions(ctx, ex)
			})
		}
		var err error
		if bulk {
			err = s.Bulk(ctx, run)
		} else {
			err = run()
		}
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}
	first := collect("v1", false)
	slices.Sort(first)
	if len(first) != 25 || len(slices.Compact(first)) != 25 {
		t.Fatalf("v1 tagged %d postings, want each of the 25 once", len(first))
	}
	if again := collect("v1", false); len(again) != 0 {
		t.Fatalf("v1 again tagged %d, want 0", len(again))
	}
	if v2 := collect("v2", false); len(v2) != 25 {
		t.Fatalf("v2 tagged %d, want 25", len(v2))
	}
	if all := collect("v2", true); len(all) != 25 {
		t.Fatalf("--all tagged %d, want 25", len(all))
	}
	var rows, v1, sharedRequired int
	if err := s.DB().QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE taxonomy_version = 'v1'),
		count(*) FILTER (WHERE skill_id = 'shared' AND required) FROM posting_skills`).Scan(&rows, &v1, &sharedRequired); err != nil {
		t.Fatal(err)
	}
	if rows != 50 || v1 != 0 || sharedRequired != 25 {
		t.Fatalf("posting_skills rows %d, v1 rows %d, shared required %d; want 50, 0, 25", rows, v1, sharedRequired)
	}
}

func TestBulk(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	threads := func() int {
		t.Helper()
		var n int
		if err := s.DB().QueryRowContext(ctx, "SELECT current_setting('threads')").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	stored := func() (n int, title string) {
		t.Helper()
		if err := s.DB().QueryRowContext(ctx, "SELECT count(*), coalesce(max(title), '') FROM postings").Scan(&n, &title); err != nil {
			t.Fatal(err)
		}
		return n, title
	}
	if _, err := s.DB().ExecContext(ctx, "SET threads = 3"); err != nil {
		t.Fatal(err)
	}
	p := skilltrend.Posting{Source: "hn", SourceID: "1", Title: "Go developer", Description: "Write Go."}
	err := s.Bulk(ctx, func() error {
		if n := threads(); n != 1 {
			t.Errorf("DuckDB threads in a bulk load = %d, want 1", n)
		}
		st, err := s.UpsertPostings(ctx, []skilltrend.Posting{p})
		if err != nil || st != (UpsertStats{New: 1}) {
			t.Fatalf("first upsert: %+v, %v; want one new", st, err)
		}
		// New rows are appended in the load's transaction, unseen elsewhere.
		if n, _ := stored(); n != 0 {
			t.Errorf("other connections see %d postings before the commit, want 0", n)
		}
		// The load sees its own writes: the second batch updates the first.
		// A batch that changes stored rows commits the load so far.
		q := p
		q.Title = "Senior Go developer"
		st, err = s.UpsertPostings(ctx, []skilltrend.Posting{q})
		if err != nil || st != (UpsertStats{Updated: 1}) {
			t.Fatalf("second upsert: %+v, %v; want one updated", st, err)
		}
		if n, title := stored(); n != 1 || title != q.Title {
			t.Errorf("after a batch that changed a row, other connections see %d postings, title %q; want 1, %q", n, title, q.Title)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, title := stored(); n != 1 || title != "Senior Go developer" {
		t.Fatalf("after the bulk load: %d postings, title %q; want 1, the updated title", n, title)
	}
	if n := threads(); n != 3 {
		t.Fatalf("DuckDB threads after the bulk load = %d, want 3 as before it", n)
	}

	// Past bulkCommitRows rows a load of new rows commits too.
	s.bulkCommitRows = 2
	err = s.Bulk(ctx, func() error {
		for i, want := range []int{1, 4} { // one row, unseen; two more, committed with it
			var batch []skilltrend.Posting
			for j := range i + 1 {
				batch = append(batch, skilltrend.Posting{Source: "board", SourceID: strconv.Itoa(10*i + j), Title: "Go developer"})
			}
			if _, err := s.UpsertPostings(ctx, batch); err != nil {
				t.Fatal(err)
			}
			if n, _ := stored(); n != want {
				t.Errorf("after %d rows in a load that commits every 2: others see %d postings, want %d", len(batch), n, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.bulkCommitRows = bulkCommitRows
	const before = 4

	boom := errors.New("boom")
	err = s.Bulk(ctx, func() error {
		if _, err := s.UpsertPostings(ctx, []skilltrend.Posting{{Source: "hn", SourceID: "2", Title: "Lost"}}); err != nil {
			t.Fatal(err)
		}
		if err := s.Bulk(ctx, func() error { return nil }); err == nil {
			t.Error("a bulk load inside a bulk load was accepted")
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("failed bulk load returned %v, want its error", err)
	}
	if n, _ := stored(); n != before {
		t.Fatalf("after a failed bulk load: %d postings, want %d (its writes rolled back)", n, before)
	}
	if n := threads(); n != 3 {
		t.Fatalf("DuckDB threads after a failed bulk load = %d, want 3", n)
	}
}

func TestStateAndCrawlRuns(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	if _, ok, err := s.GetState(ctx, "hn/last"); err != nil || ok {
		t.Fatalf("unset state: ok=%v err=%v", ok, err)
	}
	for _, v := range []string{"100", "200"} {
		if err := s.PutState(ctx, "hn/last", v); err != nil {
			t.Fatal(err)
		}
	}
	if v, ok, err := s.GetState(ctx, "hn/last"); err != nil || !ok || v != "200" {
		t.Fatalf("state = %q %v %v, want 200", v, ok, err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	for _, r := range []CrawlRun{
		{Source: "hn", Started: now, Finished: now.Add(time.Minute), Pages: 10, New: 5, Updated: 1, Seen: 7},
		{Source: "acme", Started: now, Finished: now.Add(time.Second), Errors: 3, Error: "fetch board: 503"},
	} {
		if err := s.RecordCrawlRun(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	var n, failed int
	if err := s.DB().QueryRowContext(ctx, "SELECT count(*), count(error) FROM crawl_runs").Scan(&n, &failed); err != nil {
		t.Fatal(err)
	}
	if n != 2 || failed != 1 {
		t.Fatalf("crawl_runs %d rows, %d failed; want 2, 1", n, failed)
	}
	var seen int
	if err := s.DB().QueryRowContext(ctx, "SELECT sum(seen) FROM crawl_runs").Scan(&seen); err != nil || seen != 7 {
		t.Fatalf("crawl_runs seen %d (err %v), want 7", seen, err)
	}
}

func TestAggregateSkipsWhenNothingChanged(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	if err := s.Aggregate(ctx); err != nil {
		t.Fatal(err)
	}
	stamp := func() string {
		var v string
		if err := s.DB().QueryRowContext(ctx, "SELECT value FROM analytics_state WHERE key = 'dirty'").Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	if stamp() != "false" {
		t.Fatal("aggregate did not clear dirty")
	}
	p := skilltrend.Posting{Source: "s", SourceID: "1", Description: "x"}
	if _, err := s.UpsertPostings(ctx, []skilltrend.Posting{p}); err != nil {
		t.Fatal(err)
	}
	if stamp() != "true" {
		t.Fatal("a new posting did not mark the aggregates dirty")
	}
	if err := s.Aggregate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertPostings(ctx, []skilltrend.Posting{p}); err != nil {
		t.Fatal(err)
	}
	if stamp() != "false" {
		t.Fatal("an unchanged posting marked the aggregates dirty")
	}
}

// contentHashReference is the content hash as first written, with hash/fnv and
// fmt: stored hashes must not change.
func contentHashReference(p skilltrend.Posting) uint64 {
	h := fnv.New64a()
	for _, s := range []string{p.URL, p.Title, p.Company, p.Location, string(p.WorkMode), p.EmploymentType, p.Description} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	if p.Salary != nil {
		fmt.Fprintf(h, "%g|%g|%s|%s", p.Salary.Min, p.Salary.Max, p.Salary.Currency, p.Salary.Period)
	}
	h.Write([]byte{0})
	if !p.PostedAt.IsZero() {
		h.Write(strconv.AppendInt(nil, p.PostedAt.UnixNano(), 10))
	}
	return h.Sum64()
}

func TestContentHashStable(t *testing.T) {
	base := skilltrend.Posting{Source: "s", SourceID: "1", URL: "https://x.example/j/1", Title: "Go dev", Company: "Acme",
		Location: "Berlin", WorkMode: skilltrend.WorkModeRemote, EmploymentType: "FULL_TIME", Description: "Go, SQL. Ünïcödé \x00 text",
		PostedAt: time.Date(2025, 3, 4, 5, 6, 7, 8, time.UTC)}
	ps := []skilltrend.Posting{{}, base}
	for _, sal := range []skilltrend.Salary{
		{}, {Min: 120000, Max: 150000, Currency: "USD", Period: "year"}, {Min: 55.5, Max: 1e21, Currency: "EUR", Period: "hour"},
		{Min: 1e-7, Max: math.Copysign(0, -1), Period: "month"}, {Min: math.Inf(1), Max: math.NaN()}, {Min: 123456789, Max: 0.1 + 0.2},
	} {
		p := base
		p.Salary = &sal
		ps = append(ps, p)
	}
	ps = append(ps, synth.Generate(synth.Options{Seed: 5, Postings: 200})...)
	for i, p := range ps {
		if got, _ := contentHashAndFingerprint(p); got != contentHashReference(p) {
			t.Fatalf("posting %d: content hash %x, reference %x", i, got, contentHashReference(p))
		}
	}
}
