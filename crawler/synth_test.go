package crawler

import (
	"fmt"
	"testing"

	"github.com/skilltrend/skilltrend"
	"github.com/skilltrend/skilltrend/synth"
)

// The demo's synthetic market, served in the real formats, comes back
// through the crawler with every posting and the fields those formats carry.
func TestSynthDemoServer(t *testing.T) {
	ps := synth.Generate(synth.Options{Seed: 7, Postings: 400})
	srv := serve(t, synth.Handler(ps))
	truth := map[[2]string]skilltrend.Posting{}
	for _, p := range ps {
		truth[[2]string{p.Source, p.SourceID}] = p
	}
	pol := fastPoliteness()
	pol.ObeyRobots = true
	c := newTestCrawler(pol, nil)
	total := 0
	for _, src := range synth.Sources(ps, srv.URL) {
		got, _, err := collect(t, c, src)
		if err != nil {
			t.Fatalf("%s: %v", src.Name, err)
		}
		total += len(got)
		for _, g := range got {
			w, ok := truth[[2]string{g.Source, g.SourceID}]
			if !ok {
				t.Errorf("%s: unknown posting %s", src.Name, g.SourceID)
				continue
			}
			if g.Title != w.Title || g.Company != w.Company || g.Description != w.Description || !g.PostedAt.Equal(w.PostedAt) ||
				g.EmploymentType != w.EmploymentType || (g.Salary == nil) != (w.Salary == nil) || g.Salary != nil && *g.Salary != *w.Salary {
				t.Errorf("%s %s:\n got %+v %v\nwant %+v %v\n%s", src.Name, g.SourceID, brief(g), g.Salary, brief(w), w.Salary, firstDiff(g.Description, w.Description))
			}
		}
	}
	if total != len(ps) {
		t.Errorf("crawled %d postings, the server has %d", total, len(ps))
	}
}

func brief(p skilltrend.Posting) skilltrend.Posting {
	p.RawHTML = ""
	if len(p.Description) > 80 {
		p.Description = p.Description[:80] + "..."
	}
	return p
}

func firstDiff(a, b string) string {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return fmt.Sprintf("description differs at %d: %q <> %q", i, a[max(0, i-20):min(len(a), i+40)], b[max(0, i-20):min(len(b), i+40)])
		}
	}
	if len(a) != len(b) {
		return fmt.Sprintf("description lengths %d <> %d", len(a), len(b))
	}
	return ""
}
