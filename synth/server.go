package synth

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/skilltrend/skilltrend"
	"github.com/skilltrend/skilltrend/config"
)

// Format says in which format Handler serves postings of a source:
// config.TypeHN for "hn", config.TypeGreenhouse for "gh-<board>",
// config.TypeJSONLD (a career site) for any other name.
func Format(source string) string {
	switch {
	case source == SourceHN:
		return config.TypeHN
	case strings.HasPrefix(source, "gh-") && len(source) > 3:
		return config.TypeGreenhouse
	}
	return config.TypeJSONLD
}

// Sources returns the configured sources that crawl everything Handler(ps)
// serves at baseURL (e.g. an httptest server's URL), sorted by name. The
// HN source backfills from the month of the oldest HN posting.
func Sources(ps []skilltrend.Posting, baseURL string) []config.Source {
	baseURL = strings.TrimSuffix(baseURL, "/")
	host := baseURL
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	seen := map[string]*config.Source{}
	perSource := map[string]int{}
	for _, p := range ps {
		perSource[p.Source]++
	}
	for _, p := range ps {
		if s, ok := seen[p.Source]; ok {
			if s.Type == config.TypeHN && !p.PostedAt.IsZero() && p.PostedAt.UTC().Format("2006-01") < s.Since {
				s.Since = p.PostedAt.UTC().Format("2006-01")
			}
			continue
		}
		s := &config.Source{Name: p.Source, Type: Format(p.Source), BaseURL: baseURL}
		switch s.Type {
		case config.TypeHN:
			s.Since = p.PostedAt.UTC().Format("2006-01")
		case config.TypeGreenhouse:
			s.Board = strings.TrimPrefix(p.Source, "gh-")
		case config.TypeJSONLD:
			site := baseURL + "/careers/" + url.PathEscape(p.Source) + "/"
			s.BaseURL = ""
			s.StartURLs = []string{site}
			s.Sitemaps = []string{site + "sitemap.xml"}
			s.AllowedDomains = []string{host}
			// Every job page, the paginated index and the sitemaps fit in
			// the page budget with room to spare, so the whole site is
			// crawled every time.
			s.MaxPages = 2*perSource[p.Source] + 100
		}
		seen[p.Source] = s
	}
	out := make([]config.Source, 0, len(seen))
	for _, s := range seen {
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b config.Source) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// server holds the postings indexed for each format. It is read-only after
// Handler builds it, so requests need no locking.
type server struct {
	ps      []skilltrend.Posting
	hn      *hnIndex
	boards  map[string][]int // board token -> posting indexes, newest first
	careers map[string][]int // source -> posting indexes, newest first
	sites   []string         // career-site sources, sorted
	byID    map[string]int   // source NUL source id -> posting index
}

// Handler serves ps at one base URL, each posting in the format of its
// source (see Format and the package documentation for the URL layout).
// It keeps ps and renders every response on request, so it serves millions
// of postings with little memory beyond the slice.
func Handler(ps []skilltrend.Posting) http.Handler {
	s := &server{ps: ps, boards: map[string][]int{}, careers: map[string][]int{}, byID: make(map[string]int, len(ps))}
	var hn []int
	for i, p := range ps {
		s.byID[p.Source+"\x00"+p.SourceID] = i
		switch Format(p.Source) {
		case config.TypeHN:
			hn = append(hn, i)
		case config.TypeGreenhouse:
			t := strings.TrimPrefix(p.Source, "gh-")
			s.boards[t] = append(s.boards[t], i)
		default:
			s.careers[p.Source] = append(s.careers[p.Source], i)
		}
	}
	newestFirst := func(a, b int) int {
		if c := ps[b].PostedAt.Compare(ps[a].PostedAt); c != 0 {
			return c
		}
		return strings.Compare(ps[a].SourceID, ps[b].SourceID)
	}
	for _, idx := range s.boards {
		slices.SortFunc(idx, newestFirst)
	}
	for src, idx := range s.careers {
		slices.SortFunc(idx, newestFirst)
		s.sites = append(s.sites, src)
	}
	slices.Sort(s.sites)
	s.hn = newHNIndex(ps, hn)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/search_by_date", s.hnSearch)
	mux.HandleFunc("GET /api/v1/items/{id}", s.hnItem)
	mux.HandleFunc("GET /v1/boards/{token}", s.ghBoard)
	mux.HandleFunc("GET /v1/boards/{token}/jobs", s.ghJobs)
	mux.HandleFunc("GET /v1/boards/{token}/jobs/{id}", s.ghJob)
	mux.HandleFunc("GET /careers/{source}/{$}", s.careerIndex)
	mux.HandleFunc("GET /careers/{source}/jobs/{id}", s.careerJob)
	mux.HandleFunc("GET /careers/{source}/sitemap.xml", s.careerSitemap)
	mux.HandleFunc("GET /robots.txt", s.robots)
	mux.HandleFunc("GET /sitemap.xml", s.sitemapIndex)
	mux.HandleFunc("GET /{$}", s.home)
	return mux
}

// writeJSON writes v as the APIs do: compact, with <, > and & left as they
// are (Greenhouse content is already entity-escaped HTML).
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // the client hung up; nothing to do
}

func jsonError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"status": status, "error": msg})
}

// numericID is the id a numeric-id API (HN, Greenhouse) serves a posting
// under: its SourceID when that is a positive integer, else its Posting.ID.
func numericID(p skilltrend.Posting) int64 {
	if n, err := strconv.ParseInt(p.SourceID, 10, 64); err == nil && n > 0 {
		return n
	}
	return p.ID()
}

func baseOf(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func isoTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}
