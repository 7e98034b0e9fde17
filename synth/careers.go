package synth

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/skilltrend/skilltrend"
	"github.com/skilltrend/skilltrend/config"
)

// The career-site part serves, per source, an index of job pages (50 a
// page, newest first, rel=next links) and one page per job with a
// schema.org JobPosting in JSON-LD, like most ATS-hosted career sites.

const careersPerPage = 50

// maxSitemapURLs is the sitemap protocol's limit per file.
const maxSitemapURLs = 50000

func sitePath(source string) string { return "/careers/" + url.PathEscape(source) + "/" }

func jobPath(p skilltrend.Posting) string {
	return sitePath(p.Source) + "jobs/" + url.PathEscape(p.SourceID)
}

var usStates = map[string]bool{"CA": true, "NY": true, "WA": true, "TX": true, "MA": true, "IL": true, "CO": true}

// jobLocation builds the schema.org place of a location such as
// "Austin, TX" or "Berlin, Germany"; nil for remote-only locations.
func jobLocation(loc string) map[string]any {
	if loc == "" || strings.HasPrefix(loc, "Remote") {
		return nil
	}
	addr := map[string]any{"@type": "PostalAddress"}
	city, rest, _ := strings.Cut(loc, ",")
	addr["addressLocality"] = strings.TrimSpace(city)
	rest = strings.TrimSpace(rest)
	switch {
	case usStates[rest]:
		addr["addressRegion"] = rest
		addr["addressCountry"] = "US"
	case rest != "":
		addr["addressCountry"] = rest
	}
	return map[string]any{"@type": "Place", "address": addr}
}

var unitText = map[string]string{"hour": "HOUR", "day": "DAY", "week": "WEEK", "month": "MONTH", "year": "YEAR"}

func jobPostingLD(base string, p skilltrend.Posting) map[string]any {
	ld := map[string]any{
		"@context":    "https://schema.org/",
		"@type":       "JobPosting",
		"title":       p.Title,
		"description": descriptionHTML(p.Description),
		"identifier":  map[string]any{"@type": "PropertyValue", "name": p.Company, "value": p.SourceID},
		"hiringOrganization": map[string]any{
			"@type": "Organization", "name": p.Company, "sameAs": "https://" + slug(p.Company) + ".example",
		},
		"url": base + jobPath(p),
	}
	if !p.PostedAt.IsZero() {
		ld["datePosted"] = p.PostedAt.UTC().Format(time.RFC3339)
		ld["validThrough"] = p.PostedAt.UTC().AddDate(0, 2, 0).Format(time.RFC3339)
	}
	if p.EmploymentType != "" {
		ld["employmentType"] = p.EmploymentType
	}
	if l := jobLocation(p.Location); l != nil {
		ld["jobLocation"] = l
	}
	if p.WorkMode == skilltrend.WorkModeRemote {
		ld["jobLocationType"] = "TELECOMMUTE"
		region := strings.TrimSuffix(strings.TrimPrefix(p.Location, "Remote ("), ")")
		if region != "" && region != p.Location {
			ld["applicantLocationRequirements"] = map[string]any{"@type": "Country", "name": region}
		}
	}
	if s := p.Salary; s != nil {
		v := map[string]any{"@type": "QuantitativeValue", "unitText": unitText[s.Period]}
		if s.Min > 0 {
			v["minValue"] = s.Min
		}
		if s.Max > 0 {
			v["maxValue"] = s.Max
		}
		ld["baseSalary"] = map[string]any{"@type": "MonetaryAmount", "currency": s.Currency, "value": v}
	}
	return ld
}

const pageHead = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title>
`

func (s *server) careerJob(w http.ResponseWriter, r *http.Request) {
	src, id := r.PathValue("source"), r.PathValue("id")
	i, ok := s.byID[src+"\x00"+id]
	if !ok || Format(src) != config.TypeJSONLD {
		http.NotFound(w, r)
		return
	}
	p := &s.ps[i]
	base := baseOf(r)
	ld, err := json.MarshalIndent(jobPostingLD(base, *p), "", "  ")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, pageHead, html.EscapeString(p.Title+" at "+p.Company))
	fmt.Fprintf(&sb, "<link rel=\"canonical\" href=\"%s\">\n", html.EscapeString(base+jobPath(*p)))
	sb.WriteString("<script type=\"application/ld+json\">\n")
	sb.Write(ld) // json.Marshal escapes <, > and &, so the script cannot be closed early
	sb.WriteString("\n</script>\n</head>\n<body>\n")
	fmt.Fprintf(&sb, "<nav><a href=\"%s\">All jobs</a></nav>\n<main>\n<h1>%s</h1>\n", sitePath(src), html.EscapeString(p.Title))
	fmt.Fprintf(&sb, "<p class=\"meta\">%s · %s</p>\n", html.EscapeString(p.Company), html.EscapeString(p.Location))
	sb.WriteString("<div class=\"description\">\n")
	sb.WriteString(descriptionHTML(p.Description))
	sb.WriteString("</div>\n<p><a class=\"apply\" href=\"#apply\">Apply now</a></p>\n</main>\n</body>\n</html>\n")
	writeHTML(w, sb.String())
}

func (s *server) careerIndex(w http.ResponseWriter, r *http.Request) {
	src := r.PathValue("source")
	idx, ok := s.careers[src]
	if !ok {
		http.NotFound(w, r)
		return
	}
	page, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || page < 1 {
		page = 1
	}
	pages := max(1, (len(idx)+careersPerPage-1)/careersPerPage)
	if page > pages {
		http.NotFound(w, r)
		return
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, pageHead, html.EscapeString("Open positions"))
	if page < pages {
		fmt.Fprintf(&sb, "<link rel=\"next\" href=\"%s?page=%d\">\n", sitePath(src), page+1)
	}
	sb.WriteString("</head>\n<body>\n<main>\n<h1>Open positions</h1>\n<ul class=\"jobs\">\n")
	for _, i := range idx[(page-1)*careersPerPage : min(len(idx), page*careersPerPage)] {
		p := s.ps[i]
		fmt.Fprintf(&sb, "<li><a href=\"%s\">%s</a> <span>%s · %s</span></li>\n",
			jobPath(p), html.EscapeString(p.Title), html.EscapeString(p.Company), html.EscapeString(p.Location))
	}
	sb.WriteString("</ul>\n<nav class=\"pagination\">")
	if page > 1 {
		fmt.Fprintf(&sb, "<a rel=\"prev\" href=\"%s?page=%d\">Previous</a> ", sitePath(src), page-1)
	}
	if page < pages {
		fmt.Fprintf(&sb, "<a rel=\"next\" href=\"%s?page=%d\">Next</a>", sitePath(src), page+1)
	}
	sb.WriteString("</nav>\n</main>\n</body>\n</html>\n")
	writeHTML(w, sb.String())
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type urlSet struct {
	XMLName xml.Name     `xml:"urlset"`
	XMLNS   string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"sitemapindex"`
	XMLNS    string       `xml:"xmlns,attr"`
	Sitemaps []sitemapURL `xml:"sitemap"`
}

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

// careerSitemap lists a site's job pages; ?part=N selects the Nth file of
// 50,000 when the site is larger (the site's sitemap index links them).
func (s *server) careerSitemap(w http.ResponseWriter, r *http.Request) {
	src := r.PathValue("source")
	idx, ok := s.careers[src]
	if !ok {
		http.NotFound(w, r)
		return
	}
	base := baseOf(r)
	part, err := strconv.Atoi(r.URL.Query().Get("part"))
	if len(idx) > maxSitemapURLs && err != nil {
		si := sitemapIndex{XMLNS: sitemapNS}
		for k := 0; k*maxSitemapURLs < len(idx); k++ {
			si.Sitemaps = append(si.Sitemaps, sitemapURL{Loc: fmt.Sprintf("%s%ssitemap.xml?part=%d", base, sitePath(src), k+1)})
		}
		writeXML(w, si)
		return
	}
	if err != nil {
		part = 1
	}
	lo := (part - 1) * maxSitemapURLs
	if part < 1 || lo >= len(idx) {
		http.NotFound(w, r)
		return
	}
	us := urlSet{XMLNS: sitemapNS}
	for _, i := range idx[lo:min(len(idx), lo+maxSitemapURLs)] {
		p := s.ps[i]
		u := sitemapURL{Loc: base + jobPath(p)}
		if !p.PostedAt.IsZero() {
			u.LastMod = p.PostedAt.UTC().Format("2006-01-02")
		}
		us.URLs = append(us.URLs, u)
	}
	writeXML(w, us)
}

func (s *server) sitemapIndex(w http.ResponseWriter, r *http.Request) {
	si := sitemapIndex{XMLNS: sitemapNS}
	for _, src := range s.sites {
		si.Sitemaps = append(si.Sitemaps, sitemapURL{Loc: baseOf(r) + sitePath(src) + "sitemap.xml"})
	}
	writeXML(w, si)
}

func (s *server) robots(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "User-agent: *\nAllow: /\nDisallow: /apply/\n\nSitemap: %s/sitemap.xml\n", baseOf(r))
}

func (s *server) home(w http.ResponseWriter, r *http.Request) {
	var sb strings.Builder
	fmt.Fprintf(&sb, pageHead, "Career sites")
	sb.WriteString("</head>\n<body>\n<h1>Career sites</h1>\n<ul>\n")
	for _, src := range s.sites {
		fmt.Fprintf(&sb, "<li><a href=\"%s\">%s</a></li>\n", sitePath(src), html.EscapeString(src))
	}
	sb.WriteString("</ul>\n</body>\n</html>\n")
	writeHTML(w, sb.String())
}

func writeHTML(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(body)) // the client hung up; nothing to do
}

func writeXML(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	_, _ = w.Write([]byte(xml.Header))
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	_ = enc.Encode(v) // the client hung up; nothing to do
}
