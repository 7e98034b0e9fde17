package analytics

import (
	"context"
	"encoding/json"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/skilltrend/skilltrend"
	"github.com/skilltrend/skilltrend/internal/shareddata"
)

// sharedData returns ../shared/data/sub beside the module root, or skips.
func sharedData(t *testing.T, sub string) string {
	return shareddata.Dir(t, sub)
}

var htmlTag = regexp.MustCompile(`<[^>]*>`)

// TestRealHNReposts loads real HN "Who is hiring" postings from January to
// May 2026, fetched in several overlapping runs, and checks duplicate
// handling on them: re-fetched comments are one posting, every verbatim
// monthly repost by the same author within 90 days is folded, and every
// near-duplicate fold is a real near-duplicate (word-shingle Jaccard >= 0.5).
func TestRealHNReposts(t *testing.T) {
	dir := sharedData(t, "hn-2026")
	files, _ := filepath.Glob(filepath.Join(dir, "runs_*_raw.json"))
	if len(files) == 0 {
		t.Skip("no runs_*_raw.json in " + dir)
	}
	type job struct {
		ID   int64  `json:"id"`
		By   string `json:"by"`
		Time int64  `json:"time"`
		Text string `json:"text"`
	}
	var ps []skilltrend.Posting
	author := map[int64]string{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var run struct{ Jobs []job }
		if err := json.Unmarshal(raw, &run); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, j := range run.Jobs {
			text := html.UnescapeString(htmlTag.ReplaceAllString(strings.ReplaceAll(j.Text, "<p>", "\n\n"), ""))
			company, _, _ := strings.Cut(text, "|")
			p := skilltrend.Posting{Source: "hn", SourceID: strconv.FormatInt(j.ID, 10),
				URL:     "https://news.ycombinator.com/item?id=" + strconv.FormatInt(j.ID, 10),
				Company: strings.TrimSpace(company), PostedAt: time.Unix(j.Time, 0).UTC(), Description: text}
			ps = append(ps, p)
			author[p.ID()] = j.By
		}
	}
	ctx := context.Background()
	s := openTestStore(t)
	st, err := s.UpsertPostings(ctx, ps)
	if err != nil {
		t.Fatal(err)
	}
	if st.New != len(author) {
		t.Fatalf("%d new postings from %d fetched, want %d (one per HN item)", st.New, len(ps), len(author))
	}
	var ex []skilltrend.Extraction
	for id := range author {
		ex = append(ex, skilltrend.Extraction{PostingID: id, TaxonomyVersion: "v1"})
	}
	if err := s.SaveExtractions(ctx, ex); err != nil {
		t.Fatal(err)
	}
	if err := s.Aggregate(ctx); err != nil {
		t.Fatal(err)
	}

	type row struct {
		id, dupOf int64
		at        time.Time
		text      string
	}
	rows, err := s.DB().QueryContext(ctx, `SELECT posting_id, coalesce(duplicate_of, 0), posted_at, description FROM postings`)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[int64]row{}
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.dupOf, &r.at, &r.text); err != nil {
			t.Fatal(err)
		}
		byID[r.id] = r
	}
	rows.Close()

	// Verbatim reposts: same author and normalised text, within 90 days of
	// the original job (the first of the series, or what it was folded into).
	groups := map[string][]row{}
	for _, r := range byID {
		if len(words(r.text)) < minFingerprintW {
			continue
		}
		k := author[r.id] + "\x00" + strings.Join(words(r.text), " ")
		groups[k] = append(groups[k], r)
	}
	originalAt := func(r row) time.Time {
		if r.dupOf != 0 {
			return byID[r.dupOf].at
		}
		return r.at
	}
	verbatim, folded := 0, 0
	for _, g := range groups {
		sort.Slice(g, func(i, j int) bool { return g[i].at.Before(g[j].at) })
		orig := originalAt(g[0])
		for _, r := range g[1:] {
			if r.at.Sub(orig) > repostWindow {
				orig = originalAt(r) // a new opening, or folded elsewhere
				continue
			}
			verbatim++
			if r.dupOf == 0 {
				t.Errorf("verbatim repost %d (%s, %v after the original) not folded: %.80q",
					r.id, author[r.id], r.at.Sub(orig), r.text)
			}
		}
	}
	for _, r := range byID {
		if r.dupOf == 0 {
			continue
		}
		folded++
		orig, ok := byID[r.dupOf]
		if !ok || orig.dupOf != 0 || orig.at.After(r.at) {
			t.Errorf("posting %d folded into %d, which is not an earlier distinct job", r.id, r.dupOf)
			continue
		}
		if j := shingleJaccard(r.text, orig.text); j < 0.5 {
			t.Errorf("posting %d folded into %d but their texts share only %.2f of shingles", r.id, r.dupOf, j)
		}
	}
	t.Logf("%d fetched, %d postings, %d verbatim reposts, %d folded in all", len(ps), len(byID), verbatim, folded)
	if verbatim == 0 {
		t.Fatal("the corpus has no verbatim reposts: the test checks nothing")
	}
}

func shingleJaccard(a, b string) float64 {
	set := func(s string) map[string]bool {
		ws := words(s)
		m := map[string]bool{}
		for i := 0; i+3 <= len(ws); i++ {
			m[strings.Join(ws[i:i+3], " ")] = true
		}
		return m
	}
	sa, sb := set(a), set(b)
	inter := 0
	for k := range sa {
		if sb[k] {
			inter++
		}
	}
	union := len(sa) + len(sb) - inter
	if union == 0 {
		return 1
	}
	return float64(inter) / float64(union)
}
