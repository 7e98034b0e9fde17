package reports

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/skilltrend/skilltrend"
	"github.com/skilltrend/skilltrend/analytics"
	"github.com/skilltrend/skilltrend/extract"
	"github.com/skilltrend/skilltrend/synth"
)

// xssSkillID is the taxonomy id of a skill whose display name is a payload;
// the fixture adds one such skill per payload.
func xssSkillID(i int) string { return fmt.Sprintf("xss-%d", i) }

// fixtureDB builds a real published DuckDB file through the analytics API:
// the synthetic market tagged by the real tagger, plus postings whose
// title, company, URL and source carry the XSS payloads and that are tagged
// with skills whose names carry them too. It returns a read-only handle.
func fixtureDB(t testing.TB, postings int) *sql.DB {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "skilltrend.duckdb")
	st, err := analytics.OpenWork(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tax, err := extract.DefaultTaxonomy()
	if err != nil {
		t.Fatal(err)
	}
	skills := tax.Skills()
	for i, p := range xssPayloads {
		skills = append(skills, skilltrend.Skill{ID: xssSkillID(i), Name: p, Category: skilltrend.CategoryLanguage})
	}
	if err := st.SyncSkills(ctx, tax.Version(), skills); err != nil {
		t.Fatal(err)
	}
	ps := synth.Generate(synth.Options{Seed: 7, Postings: postings, Months: 24})
	end := ps[len(ps)-1].PostedAt
	for i := 0; i < 40; i++ {
		p := xssPayloads[i%len(xssPayloads)]
		ps = append(ps, skilltrend.Posting{
			Source: "xss-" + p, SourceID: fmt.Sprint(i), URL: []string{"javascript:alert(1)", "https://jobs.example/" + p}[i%2],
			Title: "Backend engineer " + p, Company: p + fmt.Sprint(i), WorkMode: skilltrend.WorkModeRemote,
			PostedAt:    end.AddDate(0, 0, -i),
			Description: fmt.Sprintf("Backend engineer %d. We use Go, PostgreSQL and Docker. %s", i, p),
		})
	}
	if _, err := st.UpsertPostings(ctx, ps); err != nil {
		t.Fatal(err)
	}
	tg := extract.NewTagger(tax)
	exs := make([]skilltrend.Extraction, 0, len(ps))
	for i, p := range ps {
		ex := tg.Extract(p)
		if i >= postings { // payload postings: backend, plus the payload skill
			ex.Role = skilltrend.RoleBackend
			ex.Tags = append(ex.Tags, skilltrend.Tag{SkillID: xssSkillID((i - postings) % len(xssPayloads)), Required: true})
		}
		exs = append(exs, ex)
	}
	if err := st.SaveExtractions(ctx, exs); err != nil {
		t.Fatal(err)
	}
	if err := st.Aggregate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.Publish(ctx); err != nil {
		t.Fatal(err)
	}
	db, err := analytics.OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// fixedNow is the report date of the tests.
func fixedNow() time.Time { return time.Date(2026, 10, 20, 12, 0, 0, 0, time.UTC) }
