package synth

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/skilltrend/skilltrend/config"
)

func get(t *testing.T, u string, v any) string {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", u, res.Status)
	}
	if v != nil {
		var err error
		if strings.HasSuffix(strings.SplitN(u, "?", 2)[0], ".xml") {
			err = xml.Unmarshal(body, v)
		} else {
			err = json.Unmarshal(body, v)
		}
		if err != nil {
			t.Fatalf("GET %s: decode: %v\n%.300s", u, err, body)
		}
	}
	return string(body)
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// plain turns served HTML back into comparable text: tags become spaces,
// entities are decoded, list dashes dropped and runs of space collapse.
func plain(s string) string {
	return words(html.UnescapeString(tagRE.ReplaceAllString(s, " ")))
}

// words is text as a list of words without list dashes, to compare the
// posting's text with what a format made of it.
func words(s string) string {
	return strings.Join(slices.DeleteFunc(strings.Fields(s), func(w string) bool { return w == "-" }), " ")
}

type served struct {
	source, id, title, company, text string
	posted                           time.Time
}

func TestHandlerServesEveryPostingOnce(t *testing.T) {
	ps := Generate(Options{Seed: 9, Postings: 1500, Months: 6})
	srv := httptest.NewServer(Handler(ps))
	defer srv.Close()
	if host := srv.Listener.Addr().String(); !strings.HasPrefix(host, "127.0.0.1:") {
		t.Fatalf("test server on %s", host)
	}
	var got []served
	for _, src := range Sources(ps, srv.URL) {
		switch src.Type {
		case config.TypeHN:
			got = append(got, crawlHN(t, src)...)
		case config.TypeGreenhouse:
			got = append(got, crawlGreenhouse(t, src)...)
		case config.TypeJSONLD:
			got = append(got, crawlCareers(t, src)...)
		}
	}
	byKey := map[string]served{}
	for _, g := range got {
		k := g.source + "/" + g.id
		if _, dup := byKey[k]; dup {
			t.Fatalf("%s served twice", k)
		}
		byKey[k] = g
	}
	if len(byKey) != len(ps) {
		t.Errorf("served %d postings, want %d", len(byKey), len(ps))
	}
	for _, p := range ps {
		g, ok := byKey[p.Source+"/"+p.SourceID]
		if !ok {
			t.Errorf("posting %s/%s not served", p.Source, p.SourceID)
			continue
		}
		if g.title != "" && g.title != p.Title || g.company != "" && g.company != p.Company {
			t.Errorf("%s/%s served as %q at %q, want %q at %q", p.Source, p.SourceID, g.title, g.company, p.Title, p.Company)
		}
		if !g.posted.Equal(p.PostedAt) {
			t.Errorf("%s/%s served with date %v, want %v", p.Source, p.SourceID, g.posted, p.PostedAt)
		}
		if want := words(p.Description); g.text != want {
			k := 0
			for k < min(len(want), len(g.text)) && want[k] == g.text[k] {
				k++
			}
			t.Errorf("%s/%s text differs at byte %d:\n got %.80q\nwant %.80q", p.Source, p.SourceID, k, g.text[k:], want[k:])
		}
	}
}

func crawlHN(t *testing.T, src config.Source) []served {
	t.Helper()
	var out []served
	threads := 0
	for page := 0; ; page++ {
		var res struct {
			Hits []struct {
				ObjectID   string   `json:"objectID"`
				Title      string   `json:"title"`
				Author     string   `json:"author"`
				CreatedAt  string   `json:"created_at"`
				CreatedAtI int64    `json:"created_at_i"`
				Tags       []string `json:"_tags"`
			} `json:"hits"`
			NbPages     int `json:"nbPages"`
			Page        int `json:"page"`
			HitsPerPage int `json:"hitsPerPage"`
		}
		get(t, src.BaseURL+"/api/v1/search_by_date?tags=story,author_whoishiring&page="+strconv.Itoa(page), &res)
		if res.Page != page || res.HitsPerPage != 20 {
			t.Fatalf("page %d: got page %d, %d per page", page, res.Page, res.HitsPerPage)
		}
		for _, h := range res.Hits {
			if h.Author != "whoishiring" || !slices.Contains(h.Tags, "story") {
				t.Fatalf("hit %s by %s tagged %v", h.ObjectID, h.Author, h.Tags)
			}
			if ts, err := time.Parse(time.RFC3339, h.CreatedAt); err != nil || ts.Unix() != h.CreatedAtI {
				t.Fatalf("hit %s: created_at %q, created_at_i %d", h.ObjectID, h.CreatedAt, h.CreatedAtI)
			}
			if !strings.HasPrefix(h.Title, "Ask HN: Who is hiring? (") {
				continue
			}
			threads++
			var item struct {
				ID       int64  `json:"id"`
				Title    string `json:"title"`
				Type     string `json:"type"`
				Children []struct {
					ID         int64           `json:"id"`
					Author     *string         `json:"author"`
					Text       *string         `json:"text"`
					ParentID   int64           `json:"parent_id"`
					CreatedAt  string          `json:"created_at"`
					CreatedAtI int64           `json:"created_at_i"`
					Children   json.RawMessage `json:"children"`
				} `json:"children"`
			}
			get(t, src.BaseURL+"/api/v1/items/"+h.ObjectID, &item)
			if strconv.FormatInt(item.ID, 10) != h.ObjectID || item.Type != "story" || item.Title != h.Title {
				t.Fatalf("item %s: %d %q %q", h.ObjectID, item.ID, item.Type, item.Title)
			}
			for _, c := range item.Children {
				if c.Text == nil {
					continue // deleted
				}
				if c.ParentID != item.ID {
					t.Fatalf("comment %d has parent %d, want %d", c.ID, c.ParentID, item.ID)
				}
				if strings.Contains(*c.Text, "/") && !strings.Contains(*c.Text, "<a href") {
					t.Fatalf("comment %d text has an unescaped slash: %.200s", c.ID, *c.Text)
				}
				posted := time.Unix(c.CreatedAtI, 0).UTC()
				out = append(out, served{source: src.Name, id: strconv.FormatInt(c.ID, 10), text: hnPlain(*c.Text), posted: posted})
			}
		}
		if page+1 >= res.NbPages {
			break
		}
	}
	if threads == 0 {
		t.Fatal("no hiring threads found")
	}
	return out
}

// hnPlain undoes the HN markup: <p> separates paragraphs, links keep their text.
func hnPlain(s string) string {
	return plain(strings.ReplaceAll(s, "<p>", "\n\n"))
}

func crawlGreenhouse(t *testing.T, src config.Source) []served {
	t.Helper()
	var res struct {
		Jobs []struct {
			ID          int64  `json:"id"`
			Title       string `json:"title"`
			UpdatedAt   string `json:"updated_at"`
			AbsoluteURL string `json:"absolute_url"`
			Location    struct {
				Name string `json:"name"`
			} `json:"location"`
			Content     string `json:"content"`
			CompanyName string `json:"company_name"`
			Metadata    []struct {
				Name  string `json:"name"`
				Value any    `json:"value"`
			} `json:"metadata"`
			Departments []struct {
				Name string `json:"name"`
			} `json:"departments"`
			Offices []struct {
				Name string `json:"name"`
			} `json:"offices"`
		} `json:"jobs"`
		Meta struct {
			Total int `json:"total"`
		} `json:"meta"`
	}
	get(t, src.BaseURL+"/v1/boards/"+src.Board+"/jobs?content=true", &res)
	if res.Meta.Total != len(res.Jobs) || len(res.Jobs) == 0 {
		t.Fatalf("board %s: meta.total %d, %d jobs", src.Board, res.Meta.Total, len(res.Jobs))
	}
	var out []served
	for _, j := range res.Jobs {
		if !strings.HasPrefix(j.Content, "&lt;") || strings.Contains(j.Content, "<") {
			t.Fatalf("job %d: content is not entity-escaped HTML: %.80s", j.ID, j.Content)
		}
		if len(j.Departments) == 0 || len(j.Offices) == 0 || j.Location.Name == "" || !strings.HasPrefix(j.AbsoluteURL, "https://") {
			t.Fatalf("job %d lacks departments, offices, location or URL", j.ID)
		}
		posted, err := time.Parse(time.RFC3339, j.UpdatedAt)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, served{source: src.Name, id: strconv.FormatInt(j.ID, 10), title: j.Title, company: j.CompanyName,
			text: plain(html.UnescapeString(j.Content)), posted: posted.UTC()})
	}
	var lite struct {
		Jobs []map[string]any `json:"jobs"`
	}
	get(t, src.BaseURL+"/v1/boards/"+src.Board+"/jobs", &lite)
	if len(lite.Jobs) != len(res.Jobs) || lite.Jobs[0]["content"] != nil {
		t.Fatalf("board %s without content=true: %d jobs, content %v", src.Board, len(lite.Jobs), lite.Jobs[0]["content"])
	}
	return out
}

var ldRE = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)
var hrefRE = regexp.MustCompile(`href="([^"]+)"`)

func crawlCareers(t *testing.T, src config.Source) []served {
	t.Helper()
	base, err := url.Parse(src.StartURLs[0])
	if err != nil {
		t.Fatal(err)
	}
	robots := get(t, base.Scheme+"://"+base.Host+"/robots.txt", nil)
	if !strings.Contains(robots, "Allow: /\n") || !strings.Contains(robots, "Sitemap: "+base.Scheme+"://"+base.Host+"/sitemap.xml") {
		t.Fatalf("robots.txt: %q", robots)
	}
	var index sitemapIndex
	get(t, base.Scheme+"://"+base.Host+"/sitemap.xml", &index)
	if !slices.ContainsFunc(index.Sitemaps, func(s sitemapURL) bool { return s.Loc == src.Sitemaps[0] }) {
		t.Fatalf("sitemap index %v misses %s", index.Sitemaps, src.Sitemaps[0])
	}
	var set urlSet
	get(t, src.Sitemaps[0], &set)

	// Walk the paginated index and check it links the same pages.
	linked := map[string]bool{}
	for next := src.StartURLs[0]; next != ""; {
		body := get(t, next, nil)
		next = ""
		for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
			u, _ := base.Parse(html.UnescapeString(m[1]))
			switch {
			case strings.Contains(u.Path, "/jobs/"):
				linked[u.String()] = true
			case strings.Contains(m[0], "page=") && strings.Contains(body, `rel="next" href="`+m[1]):
				next = u.String()
			}
		}
	}
	if len(linked) != len(set.URLs) {
		t.Fatalf("%s: index links %d jobs, sitemap lists %d", src.Name, len(linked), len(set.URLs))
	}
	var out []served
	for _, su := range set.URLs {
		if !linked[su.Loc] {
			t.Fatalf("sitemap URL %s not linked from the index", su.Loc)
		}
		body := get(t, su.Loc, nil)
		m := ldRE.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s has no JSON-LD", su.Loc)
		}
		var jp struct {
			Context     string `json:"@context"`
			Type        string `json:"@type"`
			Title       string `json:"title"`
			Description string `json:"description"`
			DatePosted  string `json:"datePosted"`
			URL         string `json:"url"`
			Identifier  struct {
				Value string `json:"value"`
			} `json:"identifier"`
			HiringOrganization struct {
				Name string `json:"name"`
			} `json:"hiringOrganization"`
			JobLocationType string `json:"jobLocationType"`
			JobLocation     *struct {
				Address struct {
					Locality string `json:"addressLocality"`
				} `json:"address"`
			} `json:"jobLocation"`
		}
		if err := json.Unmarshal([]byte(m[1]), &jp); err != nil {
			t.Fatalf("%s: %v", su.Loc, err)
		}
		if jp.Type != "JobPosting" || jp.URL != su.Loc || (jp.JobLocation == nil && jp.JobLocationType != "TELECOMMUTE") {
			t.Fatalf("%s: JSON-LD %+v", su.Loc, jp)
		}
		posted, err := time.Parse(time.RFC3339, jp.DatePosted)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, served{source: src.Name, id: jp.Identifier.Value, title: jp.Title, company: jp.HiringOrganization.Name,
			text: plain(jp.Description), posted: posted})
	}
	return out
}

func TestSources(t *testing.T) {
	ps := Generate(Options{Seed: 2, Postings: 600, Months: 3})
	srcs := Sources(ps, "http://127.0.0.1:8080/")
	types := map[string]int{}
	names := map[string]bool{}
	for _, s := range srcs {
		types[s.Type]++
		names[s.Name] = true
		switch s.Type {
		case config.TypeHN:
			if s.BaseURL != "http://127.0.0.1:8080" || s.Since != ps[0].PostedAt.Format("2006-01") {
				t.Errorf("hn source %+v", s)
			}
		case config.TypeGreenhouse:
			if s.Board == "" || s.Name != "gh-"+s.Board {
				t.Errorf("greenhouse source %+v", s)
			}
		case config.TypeJSONLD:
			if s.AllowedDomains[0] != "127.0.0.1" || s.StartURLs[0] != "http://127.0.0.1:8080/careers/"+s.Name+"/" {
				t.Errorf("jsonld source %+v", s)
			}
		}
	}
	for _, p := range ps {
		if !names[p.Source] {
			t.Errorf("no source crawls %s", p.Source)
		}
	}
	if types[config.TypeHN] != 1 || types[config.TypeGreenhouse] != greenhouseCompanies || types[config.TypeJSONLD] != careerSiteCompanies+1 {
		t.Errorf("source types %v", types)
	}
}

func TestHNSearchFilters(t *testing.T) {
	ps := Generate(Options{Seed: 4, Postings: 300, Months: 3})
	srv := httptest.NewServer(Handler(ps))
	defer srv.Close()
	type res struct {
		NbHits int `json:"nbHits"`
		Hits   []struct {
			ObjectID    string  `json:"objectID"`
			Title       string  `json:"title"`
			CreatedAtI  int64   `json:"created_at_i"`
			CommentText *string `json:"comment_text"`
			StoryID     int64   `json:"story_id"`
		} `json:"hits"`
	}
	var all res
	get(t, srv.URL+"/api/v1/search_by_date?tags=story,author_whoishiring&hitsPerPage=100", &all)
	if all.NbHits != 9 {
		t.Fatalf("3 months: %d stories, want 9 (three threads a month)", all.NbHits)
	}
	for i := 1; i < len(all.Hits); i++ {
		if all.Hits[i].CreatedAtI > all.Hits[i-1].CreatedAtI {
			t.Fatal("search_by_date is not newest first")
		}
	}
	cut := all.Hits[2].CreatedAtI
	var recent res
	get(t, srv.URL+"/api/v1/search_by_date?tags=story,author_whoishiring&numericFilters=created_at_i>"+strconv.FormatInt(cut, 10), &recent)
	if recent.NbHits != 2 {
		t.Fatalf("created_at_i>%d: %d hits, want 2", cut, recent.NbHits)
	}
	var none res
	get(t, srv.URL+"/api/v1/search_by_date?tags=story,author_someoneelse", &none)
	if none.NbHits != 0 {
		t.Fatalf("another author: %d hits", none.NbHits)
	}
	var story string
	for _, h := range all.Hits {
		if strings.Contains(h.Title, "Who is hiring") {
			story = h.ObjectID
			break
		}
	}
	var comments res
	get(t, srv.URL+"/api/v1/search_by_date?tags=comment,story_"+story+"&hitsPerPage=1000", &comments)
	for _, h := range comments.Hits {
		if strconv.FormatInt(h.StoryID, 10) != story {
			t.Fatalf("comment %s of story %d in story_%s", h.ObjectID, h.StoryID, story)
		}
	}
	if comments.NbHits == 0 {
		t.Fatal("no comments in the newest story")
	}
	res404, err := http.Get(srv.URL + "/api/v1/items/1")
	if err != nil {
		t.Fatal(err)
	}
	res404.Body.Close()
	if res404.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown item: %s", res404.Status)
	}
}

func TestFormat(t *testing.T) {
	for src, want := range map[string]string{"hn": "hn", "gh-acme": "greenhouse", "gh-": "jsonld", "careers-x": "jsonld", "backendjobs": "jsonld"} {
		if got := Format(src); got != want {
			t.Errorf("Format(%q) = %q, want %q", src, got, want)
		}
	}
}

func ExampleHandler() {
	ps := Generate(Options{Seed: 1}) // the demo's market
	srv := httptest.NewServer(Handler(ps))
	defer srv.Close()
	types := map[string]int{}
	for _, s := range Sources(ps, srv.URL) {
		types[s.Type]++
	}
	fmt.Println(len(ps), "postings;", types[config.TypeHN], "HN source,", types[config.TypeGreenhouse], "Greenhouse boards,", types[config.TypeJSONLD], "career sites")
	// Output: 3000 postings; 1 HN source, 6 Greenhouse boards, 4 career sites
}

// BenchmarkHandlerPages measures the server side of a crawl: job pages,
// index pages and Greenhouse boards rendered straight into a recorder.
func BenchmarkHandlerPages(b *testing.B) {
	ps := Generate(Options{Seed: 1, Postings: 20000})
	h := Handler(ps)
	var jobs []string
	for _, p := range ps {
		if Format(p.Source) == config.TypeJSONLD {
			jobs = append(jobs, jobPath(p))
		}
	}
	b.Run("job", func(b *testing.B) {
		i := 0
		for b.Loop() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", "http://127.0.0.1"+jobs[i%len(jobs)], nil))
			if rec.Code != http.StatusOK {
				b.Fatal(rec.Code)
			}
			i++
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
	})
	b.Run("index", func(b *testing.B) {
		for b.Loop() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", "http://127.0.0.1/careers/backendjobs/?page=3", nil))
			if rec.Code != http.StatusOK {
				b.Fatal(rec.Code)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
	})
}
