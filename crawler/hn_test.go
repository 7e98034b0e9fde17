package crawler

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/skilltrend/skilltrend"
	"github.com/skilltrend/skilltrend/config"
)

func TestApplyFirstLine(t *testing.T) {
	tests := []struct {
		line string
		want skilltrend.Posting
	}{
		{"Acme Corp | Senior Backend Engineer | Berlin, Germany | REMOTE | €90k-€110k",
			skilltrend.Posting{Company: "Acme Corp", Title: "Senior Backend Engineer", Location: "Berlin, Germany", WorkMode: skilltrend.WorkModeRemote,
				Salary: &skilltrend.Salary{Min: 90000, Max: 110000, Currency: "EUR", Period: "year"}}},
		{"Globex | Staff SRE | New York, NY | ONSITE | Full-time | $180,000 - $220,000",
			skilltrend.Posting{Company: "Globex", Title: "Staff SRE", Location: "New York, NY", WorkMode: skilltrend.WorkModeOnsite, EmploymentType: "FULL_TIME",
				Salary: &skilltrend.Salary{Min: 180000, Max: 220000, Currency: "USD", Period: "year"}}},
		{"Initech | Hybrid (London) | Data Engineer | https://initech.example/jobs",
			skilltrend.Posting{Company: "Initech", Title: "Data Engineer", Location: "Hybrid (London)", WorkMode: skilltrend.WorkModeHybrid}},
		{"Hooli | Remote (US only) | Contract | Python developer | $90/hr",
			skilltrend.Posting{Company: "Hooli", Title: "Python developer", Location: "Remote (US only)", WorkMode: skilltrend.WorkModeRemote, EmploymentType: "CONTRACTOR",
				Salary: &skilltrend.Salary{Min: 90, Currency: "USD", Period: "hour"}}},
		{"Montreal - PHP/MySQL Developer",
			skilltrend.Posting{Title: "Montreal - PHP/MySQL Developer", WorkMode: skilltrend.WorkModeUnknown}},
		{"Bangalore, India (Sorry, no remote).",
			skilltrend.Posting{Title: "Bangalore, India (Sorry, no remote).", WorkMode: skilltrend.WorkModeOnsite}},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			var got skilltrend.Posting
			applyFirstLine(&got, tt.line)
			if d := diffPostings(tt.want, got); d != "" {
				t.Error(d)
			}
		})
	}
}

func TestParseSalary(t *testing.T) {
	tests := []struct {
		in   string
		want *skilltrend.Salary
	}{
		{"$120k - $180k", &skilltrend.Salary{Min: 120000, Max: 180000, Currency: "USD", Period: "year"}},
		{"120-150k USD", &skilltrend.Salary{Min: 120000, Max: 150000, Currency: "USD", Period: "year"}},
		{"£50k+ and equity", &skilltrend.Salary{Min: 50000, Currency: "GBP", Period: "year"}},
		{"EUR 65.000 – 80.000", &skilltrend.Salary{Min: 65000, Max: 80000, Currency: "EUR", Period: "year"}},
		{"$37.50 per hour", &skilltrend.Salary{Min: 37.5, Currency: "USD", Period: "hour"}},
		{"$8,000/month", &skilltrend.Salary{Min: 8000, Currency: "USD", Period: "month"}},
		{"CA$110k – CA$145k per year", &skilltrend.Salary{Min: 110000, Max: 145000, Currency: "CAD", Period: "year"}},
		{"1 050 000 SEK – 1 300 000 SEK per year", &skilltrend.Salary{Min: 1050000, Max: 1300000, Currency: "SEK", Period: "year"}},
		{"₹1,350,000 – ₹2,200,000", &skilltrend.Salary{Min: 1350000, Max: 2200000, Currency: "INR", Period: "year"}},
		{"450 € – €575 per day", &skilltrend.Salary{Min: 450, Max: 575, Currency: "EUR", Period: "day"}},
		{"45.000 € – €60,000 per year", &skilltrend.Salary{Min: 45000, Max: 60000, Currency: "EUR", Period: "year"}},
		{"A$130,000 – A$155,000", &skilltrend.Salary{Min: 130000, Max: 155000, Currency: "AUD", Period: "year"}},
		{"we raised $5 million", nil},
		{"team of 5-10 engineers since 2015", nil},
	}
	for _, tt := range tests {
		got := parseSalary(tt.in)
		if (got == nil) != (tt.want == nil) || got != nil && *got != *tt.want {
			t.Errorf("parseSalary(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

// fakeAlgolia serves a made-up set of threads across two search pages.
func fakeAlgolia(t *testing.T, itemHits *atomic.Int32) string {
	type hit struct {
		ObjectID  string `json:"objectID"`
		Title     string `json:"title"`
		CreatedAt string `json:"created_at"`
	}
	pages := [][]hit{
		{{"300", "Ask HN: Who is hiring? (May 2026)", "2026-05-01T15:00:00Z"}, {"299", "Ask HN: Who wants to be hired? (May 2026)", "2026-05-01T15:00:00Z"},
			{"200", "Ask HN: Who is hiring? (March 2026)", "2026-03-02T15:00:00Z"}},
		{{"100", "Ask HN: Who is hiring? (January 2026)", "2026-01-02T15:00:00Z"}, {"50", "Ask HN: Who is hiring? (December 2025)", "2025-12-01T15:00:00Z"}},
	}
	comment := func(id int, text *string, author string, created string) map[string]any {
		c := map[string]any{"id": id, "type": "comment", "created_at": created, "text": text, "author": nil, "children": []any{}}
		if author != "" {
			c["author"] = author
		}
		return c
	}
	str := func(s string) *string { return &s }
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/api/v1/search_by_date":
			p, _ := strconv.Atoi(r.URL.Query().Get("page"))
			if p >= len(pages) {
				json.NewEncoder(w).Encode(map[string]any{"hits": []any{}, "page": p, "nbPages": len(pages)})
				return
			}
			json.NewEncoder(w).Encode(map[string]any{"hits": pages[p], "page": p, "nbPages": len(pages)})
		case len(r.URL.Path) > len("/api/v1/items/"):
			itemHits.Add(1)
			id, _ := strconv.Atoi(r.URL.Path[len("/api/v1/items/"):])
			created := map[int]string{300: "2026-05-01T15:00:00Z", 200: "2026-03-02T15:00:00Z", 100: "2026-01-02T15:00:00Z"}[id]
			kids := []any{
				comment(id+1, str("Acme | Go Engineer | Remote | $150k<p>Details &amp; more.</p>"), "alice", created),
				comment(id+2, nil, "", created),                // deleted
				comment(id+3, str(""), "bob", created),         // empty
				comment(id+4, str("[dead]"), "carol", created), // dead
				comment(id+5, str("Globex | SRE | NYC | ONSITE\nWe run Kubernetes &amp; Go.<p>Stack:\n- Go\n- Postgres"), "dave", created),
			}
			kids[0].(map[string]any)["children"] = []any{comment(id+9, str("a reply, not a posting"), "erin", created)}
			json.NewEncoder(w).Encode(map[string]any{"id": id, "type": "story", "created_at": created, "children": kids})
		default:
			http.NotFound(w, r)
		}
	}))
	return srv.URL
}

func TestHNSource(t *testing.T) {
	var itemHits atomic.Int32
	base := fakeAlgolia(t, &itemHits)
	st := newMemState()
	c := newTestCrawler(fastPoliteness(), st) // now: 10 May 2026
	src := config.Source{Name: "hn", Type: config.TypeHN, BaseURL: base, Since: "2026-01"}
	ps, _, err := collect(t, c, src)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range ps {
		ids = append(ids, p.SourceID)
	}
	if got := fmt.Sprint(ids); got != "[101 105 201 205 301 305]" {
		t.Fatalf("posting ids %s, want the two live top-level comments of Jan, Mar and May 2026, oldest first", got)
	}
	p := ps[0]
	want := skilltrend.Posting{Source: "hn", SourceID: "101", URL: "https://news.ycombinator.com/item?id=101", Title: "Go Engineer", Company: "Acme",
		Location: "", WorkMode: skilltrend.WorkModeRemote, Salary: &skilltrend.Salary{Min: 150000, Currency: "USD", Period: "year"},
		PostedAt: date("2026-01-02T15:00:00Z"), FirstSeen: testNow, LastSeen: testNow,
		Description: "Acme | Go Engineer | Remote | $150k\n\nDetails & more.", RawHTML: "Acme | Go Engineer | Remote | $150k<p>Details &amp; more.</p>"}
	if d := diffPostings(want, p); d != "" {
		t.Error(d)
	}
	// Single line breaks, as HN keeps them, end the first line.
	if p := ps[1]; p.Title != "SRE" || p.Company != "Globex" || p.Location != "NYC" || p.WorkMode != skilltrend.WorkModeOnsite ||
		p.Description != "Globex | SRE | NYC | ONSITE\nWe run Kubernetes & Go.\n\nStack:\n- Go\n- Postgres" {
		t.Errorf("posting with line breaks = %+v", p)
	}
	// January and March are over; May is still open and is fetched again.
	if st.m["hn:thread:100"] != "complete" || st.m["hn:thread:200"] != "complete" || st.m["hn:thread:300"] != "" {
		t.Errorf("thread state %v", st.m)
	}
	itemHits.Store(0)
	ps, _, err = collect(t, c, src)
	if err != nil || len(ps) != 2 || itemHits.Load() != 1 {
		t.Errorf("second run: %d postings from %d thread fetches, err %v; want 2 from 1", len(ps), itemHits.Load(), err)
	}
	if _, _, err := collect(t, c, config.Source{Name: "hn", Type: config.TypeHN, BaseURL: base, Since: "2026/01"}); err == nil {
		t.Error("bad since accepted")
	}
}
