package analytics

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/skilltrend/skilltrend"
)

func TestNothingToDoChecks(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "st.duckdb")
	skills := []skilltrend.Skill{{ID: "go", Name: "Go", Category: "language"}, {ID: "sql", Name: "SQL", Category: "database"}}
	posting := func(id string) skilltrend.Posting {
		return skilltrend.Posting{Source: "s", SourceID: id, Title: "Go developer", Description: "Go and SQL " + id}
	}
	// run opens a working copy, lets fn load it, tags what is pending,
	// aggregates and publishes.
	run := func(fn func(*Store)) {
		t.Helper()
		s, err := OpenWork(ctx, dbPath, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.SyncSkills(ctx, "v1", skills); err != nil {
			t.Fatal(err)
		}
		fn(s)
		err = s.PostingsToTag(ctx, "v1", false, 10, func(ps []skilltrend.Posting) error {
			ex := make([]skilltrend.Extraction, len(ps))
			for i, p := range ps {
				ex[i] = skilltrend.Extraction{PostingID: p.ID(), TaxonomyVersion: "v1", Tags: []skilltrend.Tag{{SkillID: "go", Required: true}}}
			}
			return s.SaveExtractions(ctx, ex)
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Aggregate(ctx); err != nil {
			t.Fatal(err)
		}
		if err := s.Publish(ctx); err != nil {
			t.Fatal(err)
		}
	}
	check := func(what string, got, want bool, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if got != want {
			t.Fatalf("%s = %v, want %v", what, got, want)
		}
	}

	ok, err := ExtractUpToDate(ctx, dbPath, "v1", skills)
	check("up to date before anything is published", ok, false, err)
	ok, err = Imported(ctx, dbPath, "file-a")
	check("imported before anything is published", ok, false, err)

	run(func(s *Store) {
		if _, err := s.UpsertPostings(ctx, []skilltrend.Posting{posting("1"), posting("2")}); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordImport(ctx, "file-a"); err != nil {
			t.Fatal(err)
		}
	})
	ok, err = ExtractUpToDate(ctx, dbPath, "v1", skills)
	check("up to date after tagging everything", ok, true, err)
	ok, err = ExtractUpToDate(ctx, dbPath, "v2", skills)
	check("up to date at another taxonomy version", ok, false, err)
	ok, err = ExtractUpToDate(ctx, dbPath, "v1", skills[:1])
	check("up to date with a skill fewer", ok, false, err)
	renamed := []skilltrend.Skill{skills[0], {ID: "sql", Name: "Structured Query Language", Category: "database"}}
	ok, err = ExtractUpToDate(ctx, dbPath, "v1", renamed)
	check("up to date with a renamed skill", ok, false, err)
	ok, err = Imported(ctx, dbPath, "file-a")
	check("file-a imported", ok, true, err)
	ok, err = Imported(ctx, dbPath, "file-b")
	check("file-b imported", ok, false, err)

	// Loading the same postings again changes no posting: file-a still holds.
	run(func(s *Store) {
		if _, err := s.UpsertPostings(ctx, []skilltrend.Posting{posting("1")}); err != nil {
			t.Fatal(err)
		}
	})
	ok, err = Imported(ctx, dbPath, "file-a")
	check("file-a imported after an unchanged load", ok, true, err)

	// A new posting: re-importing file-a could now change content (it is the
	// latest load that wins), and there is something to tag.
	s, err := OpenWork(ctx, dbPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertPostings(ctx, []skilltrend.Posting{posting("3")}); err != nil {
		t.Fatal(err)
	}
	if err := s.Publish(ctx); err != nil {
		t.Fatal(err)
	}
	ok, err = Imported(ctx, dbPath, "file-a")
	check("file-a imported after a new posting", ok, false, err)
	ok, err = ExtractUpToDate(ctx, dbPath, "v1", skills)
	check("up to date with an untagged posting", ok, false, err)
	run(func(*Store) {})
	ok, err = ExtractUpToDate(ctx, dbPath, "v1", skills)
	check("up to date after tagging it", ok, true, err)
}
