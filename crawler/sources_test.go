package crawler

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/skilltrend/skilltrend"
	"github.com/skilltrend/skilltrend/config"
)

// fixtureServer serves a testdata file at path with validators, answering
// 304 when the client already has it.
func fixtureServer(t *testing.T, path, file, contentType string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	var hits atomic.Int32
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != path {
			http.NotFound(w, r)
			return
		}
		hits.Add(1)
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Mon, 06 Apr 2026 10:00:00 GMT")
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", contentType)
		w.Write(body)
	}))
	return srv, &hits
}

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func TestBoardSources(t *testing.T) {
	tests := []struct {
		name string
		path string
		file string
		src  config.Source
		want []skilltrend.Posting
	}{
		{
			name: "greenhouse", path: "/v1/boards/acme/jobs", file: "greenhouse-jobs.json",
			src: config.Source{Name: "gh-acme", Type: config.TypeGreenhouse, Board: "acme"},
			want: []skilltrend.Posting{{
				SourceID: "4012345", URL: "https://boards.greenhouse.io/acme/jobs/4012345",
				Title: "Senior Backend Engineer (Go)", Company: "Acme Logistics", Location: "Berlin, Germany (Hybrid)",
				WorkMode: skilltrend.WorkModeHybrid, EmploymentType: "FULL_TIME",
				Salary:   &skilltrend.Salary{Min: 80000, Max: 100000, Currency: "EUR", Period: "year"},
				PostedAt: date("2026-04-02T12:00:00Z"),
				Description: "About the role\n\nYou will build our routing APIs in Go on PostgreSQL & Kafka.\n\n" +
					"- 5+ years of backend work\n- Kubernetes a plus\n\nSalary: €80,000 – €100,000 per year",
			}, {
				SourceID: "4012399", URL: "https://boards.greenhouse.io/acme/jobs/4012399", Title: "Platform Engineer",
				Company: "acme", Location: "Remote - US", WorkMode: skilltrend.WorkModeRemote,
				PostedAt: date("2026-04-21T14:00:00Z"), Description: "Terraform, AWS.",
			}},
		},
		{
			name: "lever", path: "/v0/postings/acme", file: "lever-postings.json",
			src: config.Source{Name: "lever-acme", Type: config.TypeLever, Site: "acme"},
			want: []skilltrend.Posting{{
				SourceID: "5f1c2a9e-1111-4c3d-9a7b-0123456789ab", URL: "https://jobs.lever.co/acme/5f1c2a9e-1111-4c3d-9a7b-0123456789ab",
				Title: "Backend Developer, Payments", Company: "acme", Location: "Toronto, ON",
				WorkMode: skilltrend.WorkModeHybrid, EmploymentType: "FULL_TIME",
				Salary:      &skilltrend.Salary{Min: 120000, Max: 150000, Currency: "CAD", Period: "year"},
				PostedAt:    time.UnixMilli(1775000000000).UTC(),
				Description: "Join the payments team.\n\nWhat you will do\n\n- Design Java and Kotlin services\n- Own gRPC APIs\n\nWe sponsor visas.",
			}, {
				SourceID: "a0000000-2222-4c3d-9a7b-0123456789ab", URL: "https://jobs.lever.co/acme/a0000000-2222-4c3d-9a7b-0123456789ab",
				Title: "Contract Python Developer", Company: "acme", Location: "Anywhere", WorkMode: skilltrend.WorkModeRemote,
				EmploymentType: "CONTRACTOR", Salary: &skilltrend.Salary{Min: 70, Currency: "USD", Period: "hour"},
				PostedAt: time.UnixMilli(1775100000000).UTC(), Description: "Python and Django, $70/hr.",
			}},
		},
		{
			name: "ashby", path: "/posting-api/job-board/acme", file: "ashby-board.json",
			src: config.Source{Name: "ashby-acme", Type: config.TypeAshby, Board: "acme"},
			want: []skilltrend.Posting{{
				SourceID: "0b1e2d3c-aaaa-bbbb-cccc-000000000001", URL: "https://jobs.ashbyhq.com/acme/0b1e2d3c-aaaa-bbbb-cccc-000000000001",
				Title: "Staff Software Engineer, Data Platform", Company: "acme", Location: "New York, NY",
				WorkMode: skilltrend.WorkModeOnsite, EmploymentType: "FULL_TIME",
				Salary:      &skilltrend.Salary{Min: 210000, Max: 260000, Currency: "USD", Period: "year"},
				PostedAt:    date("2026-03-30T15:04:05Z"),
				Description: "Scala, Spark & Snowflake.\n\nOn-call one week in six.",
			}, {
				SourceID: "0b1e2d3c-aaaa-bbbb-cccc-000000000003", URL: "https://jobs.ashbyhq.com/acme/0b1e2d3c-aaaa-bbbb-cccc-000000000003",
				Title: "Site Reliability Engineer", Company: "acme", Location: "Remote", WorkMode: skilltrend.WorkModeRemote,
				EmploymentType: "CONTRACTOR", PostedAt: date("2026-04-11T00:00:00Z"), Description: "Linux <3",
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, hits := fixtureServer(t, tt.path, tt.file, "application/json")
			tt.src.BaseURL = srv.URL
			st := newMemState()
			c := newTestCrawler(fastPoliteness(), st)
			ps, stats, err := collect(t, c, tt.src)
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != len(tt.want) || stats.Postings != len(tt.want) || stats.Pages != 1 {
				t.Fatalf("got %d postings, stats %+v; want %d", len(ps), stats, len(tt.want))
			}
			for i, want := range tt.want {
				got := ps[i]
				if got.RawHTML == "" || !strings.Contains(got.RawHTML, "<") {
					t.Errorf("posting %d: raw HTML not kept: %q", i, got.RawHTML)
				}
				want.Source, want.FirstSeen, want.LastSeen, want.RawHTML = tt.src.Name, testNow, testNow, got.RawHTML
				if d := diffPostings(want, got); d != "" {
					t.Errorf("posting %d: %s", i, d)
				}
			}
			// The second run sends the stored validators, gets 304 and emits nothing.
			ps, stats, err = collect(t, c, tt.src)
			if err != nil || len(ps) != 0 || stats.Pages != 1 || hits.Load() != 2 {
				t.Errorf("second run: %d postings, stats %+v, err %v, %d requests", len(ps), stats, err, hits.Load())
			}
		})
	}
}

func TestFeeds(t *testing.T) {
	rss, _ := fixtureServer(t, "/feed.rss", "feed.rss", "application/rss+xml")
	atom, _ := fixtureServer(t, "/feed.atom", "feed.atom", "application/atom+xml")
	src := config.Source{Name: "feeds", Type: config.TypeRSS, Feeds: []string{rss.URL + "/feed.rss", atom.URL + "/feed.atom"}}
	ps, _, err := collect(t, newTestCrawler(fastPoliteness(), nil), src)
	if err != nil {
		t.Fatal(err)
	}
	want := []skilltrend.Posting{{
		SourceID: "job-101", URL: "https://jobs.example.org/jobs/101", Title: "Acme: Senior Rust Engineer (Remote)", Company: "Acme",
		WorkMode: skilltrend.WorkModeRemote, PostedAt: date("2026-04-07T10:30:00Z"),
		Salary:      &skilltrend.Salary{Min: 150000, Max: 180000, Currency: "USD", Period: "year"},
		Description: "Rust & WebAssembly.\n\n$150k - $180k",
	}, {
		SourceID: "https://jobs.example.org/jobs/102", URL: "https://jobs.example.org/jobs/102", Title: "Globex: Java Developer",
		WorkMode: skilltrend.WorkModeUnknown, PostedAt: date("2026-04-08T11:00:00Z"),
		Description: "Spring Boot & Oracle.\n\nOn site in Austin.",
	}, {
		SourceID: "tag:jobs.example.org,2026:201", URL: atom.URL + "/jobs/201", Title: "Initech: Backend Engineer (Hybrid)", Company: "Initech",
		WorkMode: skilltrend.WorkModeHybrid, PostedAt: date("2026-04-09T09:00:00Z"), Description: "Go, gRPC and Redis.",
	}}
	if len(ps) != len(want) {
		t.Fatalf("got %d postings, want %d", len(ps), len(want))
	}
	for i, w := range want {
		w.Source, w.FirstSeen, w.LastSeen, w.RawHTML = "feeds", testNow, testNow, ps[i].RawHTML
		if d := diffPostings(w, ps[i]); d != "" {
			t.Errorf("posting %d: %s", i, d)
		}
	}
}
