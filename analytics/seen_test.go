package analytics

import (
	"context"
	"testing"
	"time"

	"github.com/skilltrend/skilltrend"
)

// PostingsSeen moves last_seen forward and nothing else: the postings stay
// unchanged for tagging, dedup and the derived tables.
func TestPostingsSeen(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	var ps []skilltrend.Posting
	for _, id := range []string{"1", "2", "3"} {
		ps = append(ps, skilltrend.Posting{Source: "board", SourceID: id, Title: "Go developer " + id,
			Description: "Write Go.", FirstSeen: t0, LastSeen: t0})
	}
	if _, err := s.UpsertPostings(ctx, ps); err != nil {
		t.Fatal(err)
	}
	err := s.PostingsToTag(ctx, "v1", false, 10, func(b []skilltrend.Posting) error {
		var ex []skilltrend.Extraction
		for _, p := range b {
			ex = append(ex, skilltrend.Extraction{PostingID: p.ID(), TaxonomyVersion: "v1", Tags: []skilltrend.Tag{{SkillID: "go"}}})
		}
		return s.SaveExtractions(ctx, ex)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Aggregate(ctx); err != nil {
		t.Fatal(err)
	}

	type row struct {
		first, last, updated, extracted time.Time
		hash                            uint64
	}
	read := func() map[int64]row {
		t.Helper()
		rows, err := s.DB().QueryContext(ctx, `SELECT p.posting_id, p.first_seen, p.last_seen, p.updated_at, p.content_hash, e.extracted_at
			FROM postings p JOIN extractions e USING (posting_id)`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		m := map[int64]row{}
		for rows.Next() {
			var id int64
			var r row
			if err := rows.Scan(&id, &r.first, &r.last, &r.updated, &r.hash, &r.extracted); err != nil {
				t.Fatal(err)
			}
			m[id] = r
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return m
	}
	state := func() map[string]string {
		t.Helper()
		rows, err := s.DB().QueryContext(ctx, `SELECT key, value FROM analytics_state`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		m := map[string]string{}
		for rows.Next() {
			var k, v string
			if err := rows.Scan(&k, &v); err != nil {
				t.Fatal(err)
			}
			m[k] = v
		}
		return m
	}
	before, stBefore := read(), state()
	if stBefore["dirty"] != "false" || stBefore["postings_version"] == "" {
		t.Fatalf("analytics state before: %v", stBefore)
	}

	t1 := t0.Add(36 * time.Hour)
	unknown := skilltrend.Posting{Source: "board", SourceID: "gone"}.ID()
	seen := []int64{ps[0].ID(), ps[1].ID(), ps[1].ID(), unknown}
	n, err := s.PostingsSeen(ctx, seen, t1)
	if err != nil || n != 2 {
		t.Fatalf("PostingsSeen moved %d postings, err %v; want 2", n, err)
	}
	after := read()
	for i, p := range ps {
		b, a := before[p.ID()], after[p.ID()]
		wantLast := t1
		if i == 2 {
			wantLast = t0
		}
		if !a.last.Equal(wantLast) {
			t.Errorf("posting %s: last_seen %v, want %v", p.SourceID, a.last, wantLast)
		}
		a.last = b.last
		if a != b {
			t.Errorf("posting %s: more than last_seen changed:\n before %+v\n after  %+v", p.SourceID, b, a)
		}
	}
	if st := state(); st["dirty"] != "false" || st["postings_dirty"] != stBefore["postings_dirty"] || st["postings_version"] != stBefore["postings_version"] {
		t.Errorf("analytics state changed: %v, was %v", st, stBefore)
	}
	err = s.PostingsToTag(ctx, "v1", false, 10, func(b []skilltrend.Posting) error {
		t.Errorf("%d postings to tag again after PostingsSeen", len(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// last_seen only moves forward.
	if n, err := s.PostingsSeen(ctx, seen, t0.Add(time.Hour)); err != nil || n != 0 {
		t.Errorf("an earlier sighting moved %d postings, err %v; want 0", n, err)
	}
	if n, err := s.PostingsSeen(ctx, seen, t1); err != nil || n != 0 {
		t.Errorf("the same sighting again moved %d postings, err %v; want 0", n, err)
	}
	if got := read()[ps[0].ID()].last; !got.Equal(t1) {
		t.Errorf("last_seen %v after earlier sightings, want %v", got, t1)
	}
	if n, err := s.PostingsSeen(ctx, nil, t1); err != nil || n != 0 {
		t.Errorf("no keys: %d, %v", n, err)
	}

	// A later full sighting through UpsertPostings still counts as unchanged.
	q := ps[0]
	q.FirstSeen, q.LastSeen = t1.Add(time.Hour), t1.Add(time.Hour)
	if st, err := s.UpsertPostings(ctx, []skilltrend.Posting{q}); err != nil || st != (UpsertStats{Unchanged: 1}) {
		t.Errorf("upsert after PostingsSeen: %+v, %v", st, err)
	}
	if r := read()[q.ID()]; !r.first.Equal(t0) || !r.last.Equal(q.LastSeen) {
		t.Errorf("after upsert: first %v last %v, want %v %v", r.first, r.last, t0, q.LastSeen)
	}
}
