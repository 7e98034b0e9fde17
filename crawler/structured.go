package crawler

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/skilltrend/skilltrend"
)

// An item is one schema.org object as the three markup forms give it:
// property name -> string, nested item (map[string]any) or []any of those.
// JSON-LD decodes to this shape directly; microdata and RDFa are read into it,
// so one mapping (postingFromItem) serves all three.

// jobPostings finds every schema.org JobPosting on a page, in JSON-LD,
// microdata and RDFa, and maps each to a posting. pageURL resolves relative
// URLs and identifies postings that carry no identifier; every posting keeps
// the page as RawHTML.
func jobPostings(doc *goquery.Document, pageURL, rawHTML string) []skilltrend.Posting {
	var items []map[string]any
	doc.FindMatcher(selJSONLD).Each(func(_ int, s *goquery.Selection) {
		items = append(items, jsonLDJobs(s.Text())...)
	})
	doc.FindMatcher(selMicrodata).Each(func(_ int, s *goquery.Selection) {
		if isJobType(s.AttrOr("itemtype", "")) {
			items = append(items, microdata.item(s.Get(0)))
		}
	})
	doc.FindMatcher(selRDFa).Each(func(_ int, s *goquery.Selection) {
		if isJobType(s.AttrOr("typeof", "")) {
			items = append(items, rdfa.item(s.Get(0)))
		}
	})
	var out []skilltrend.Posting
	for i, it := range items {
		p := postingFromItem(it, pageURL)
		p.RawHTML = rawHTML
		if p.SourceID == "" {
			p.SourceID = pageURL
			if i > 0 {
				p.SourceID += "#" + strconv.Itoa(i)
			}
		}
		out = append(out, p)
	}
	return out
}

// Selectors compiled once: compiling them per page showed in the profile.
var (
	selJSONLD    = cascadia.MustCompile(`script[type="application/ld+json"]`)
	selMicrodata = cascadia.MustCompile("[itemscope][itemtype]")
	selRDFa      = cascadia.MustCompile("[typeof]")
	selBase      = cascadia.MustCompile("base[href]")
	selLinks     = cascadia.MustCompile("a[href], area[href]")
)

func isJobType(t string) bool {
	for _, f := range strings.Fields(t) {
		if f == "JobPosting" || strings.HasSuffix(f, "/JobPosting") || strings.HasSuffix(f, ":JobPosting") {
			return true
		}
	}
	return false
}

// jsonLDJobs decodes one JSON-LD block and returns the JobPosting objects in
// it, at the top, in arrays or in an @graph. Raw control characters inside
// strings, a common authoring slip, are tolerated.
func jsonLDJobs(text string) []map[string]any {
	var v any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		fixed := strings.Map(func(r rune) rune {
			if r < 0x20 {
				return ' '
			}
			return r
		}, text)
		if json.Unmarshal([]byte(fixed), &v) != nil {
			return nil
		}
	}
	var out []map[string]any
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if depth > 8 {
			return
		}
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				walk(e, depth+1)
			}
		case map[string]any:
			if isJobType(strOnly(x["@type"])) {
				out = append(out, x)
				return
			}
			if g, ok := x["@graph"]; ok {
				walk(g, depth+1)
			}
		}
	}
	walk(v, 0)
	return out
}

// markup names the attributes of one structured-data syntax: the one that
// opens an item, the one that names a property, and how a property name
// maps to a schema.org term.
type markup struct {
	scope, prop string
	term        func(string) string
}

var (
	// microdata: itemscope / itemprop="title".
	microdata = markup{scope: "itemscope", prop: "itemprop", term: func(s string) string { return s }}
	// RDFa: typeof / property="schema:title" (prefixed or a full IRI).
	rdfa = markup{scope: "typeof", prop: "property", term: localName}
)

// item reads the properties of an element that opens an item. A property
// whose element opens an item itself holds a nested item; properties of a
// nested item do not leak into the outer one.
func (m markup) item(n *html.Node) map[string]any {
	item := map[string]any{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			_, scoped := attr(c, m.scope)
			if names, ok := attr(c, m.prop); ok {
				var v any
				if scoped {
					v = m.item(c)
				} else {
					v = elementValue(c)
				}
				for _, name := range strings.Fields(names) {
					addProp(item, m.term(name), v)
				}
			}
			if !scoped {
				walk(c)
			}
		}
	}
	walk(n)
	return item
}

func localName(s string) string {
	if i := strings.LastIndexAny(s, "/#:"); i >= 0 {
		return s[i+1:]
	}
	return s
}

func addProp(item map[string]any, name string, v any) {
	switch old := item[name].(type) {
	case nil:
		item[name] = v
	case []any:
		item[name] = append(old, v)
	default:
		item[name] = []any{old, v}
	}
}

// elementValue is a property's value: the content attribute when present,
// a URL for links and media, the datetime of <time>, else the element's
// content as HTML (escaped text when it has no child elements). JSON-LD
// strings may hold HTML too, so one text conversion serves every form.
func elementValue(n *html.Node) string {
	if v, ok := attr(n, "content"); ok {
		return v
	}
	switch n.DataAtom {
	case atom.A, atom.Link, atom.Area:
		if v, ok := attr(n, "href"); ok {
			return v
		}
	case atom.Img, atom.Audio, atom.Video, atom.Source, atom.Embed, atom.Iframe, atom.Track:
		if v, ok := attr(n, "src"); ok {
			return v
		}
	case atom.Object:
		if v, ok := attr(n, "data"); ok {
			return v
		}
	case atom.Data, atom.Meter:
		if v, ok := attr(n, "value"); ok {
			return v
		}
	case atom.Time:
		if v, ok := attr(n, "datetime"); ok {
			return v
		}
	}
	return innerHTML(n)
}

func innerHTML(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(html.EscapeString(c.Data))
			continue
		}
		html.Render(&b, c)
	}
	return b.String()
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val, true
		}
	}
	return "", false
}

// postingFromItem maps a schema.org JobPosting to a posting.
func postingFromItem(it map[string]any, pageURL string) skilltrend.Posting {
	p := skilltrend.Posting{
		Title:    line(str(it["title"])),
		URL:      resolve(pageURL, str(it["url"])),
		PostedAt: parseDate(line(str(it["datePosted"]))),
	}
	if p.Title == "" {
		p.Title = line(str(it["name"]))
	}
	if p.URL == "" {
		p.URL = pageURL
	}
	p.SourceID = identifier(it["identifier"])
	p.Company = line(name(it["hiringOrganization"]))
	p.Location = location(it["jobLocation"])

	var paras []string
	if d := anyText(str(it["description"])); d != "" {
		paras = append(paras, d)
	}
	for _, k := range []string{"responsibilities", "qualifications", "skills", "experienceRequirements", "educationRequirements"} {
		if s := line(strOnly(it[k])); s != "" {
			paras = append(paras, s)
		}
	}
	p.Description = strings.Join(paras, "\n\n")

	var kinds []string
	for _, e := range list(it["employmentType"]) {
		if s := normEmployment(line(str(e))); s != "" {
			kinds = append(kinds, s)
		}
	}
	p.EmploymentType = strings.Join(kinds, ",")

	// TELECOMMUTE with a jobLocation as well means the office is an option.
	p.WorkMode = skilltrend.WorkModeUnknown
	if strings.EqualFold(line(str(it["jobLocationType"])), "TELECOMMUTE") {
		p.WorkMode = skilltrend.WorkModeRemote
		if p.Location != "" {
			p.WorkMode = skilltrend.WorkModeHybrid
		} else if region := line(name(it["applicantLocationRequirements"])); region != "" {
			p.Location = "Remote (" + region + ")"
		} else {
			p.Location = "Remote"
		}
	}
	p.Salary = salaryOf(it["baseSalary"], line(str(it["salaryCurrency"])))
	return p
}

// str is a property's text: a string, the first string of a list, a number,
// or the name/value of a nested item.
func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case []any:
		if len(x) > 0 {
			return str(x[0])
		}
	case map[string]any:
		if s := str(x["@value"]); s != "" {
			return s
		}
		if s := str(x["value"]); s != "" {
			return s
		}
		return str(x["name"])
	}
	return ""
}

// strOnly is str for plain strings only (joined with spaces when a list):
// a nested item (a DefinedTerm, a credential) is not text to tag, and an
// @type is one name or a list of names.
func strOnly(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		var parts []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, " ")
	}
	return ""
}

func list(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x
	}
	return []any{v}
}

func name(v any) string {
	if m, ok := v.(map[string]any); ok {
		return str(m["name"])
	}
	return str(v)
}

func identifier(v any) string {
	switch x := v.(type) {
	case map[string]any:
		return line(str(x["value"]))
	case []any:
		if len(x) > 0 {
			return identifier(x[0])
		}
	}
	return line(str(v))
}

// location joins locality, region and country of the first jobLocation.
func location(v any) string {
	l := list(v)
	if len(l) == 0 {
		return ""
	}
	place, ok := l[0].(map[string]any)
	if !ok {
		return line(str(l[0]))
	}
	addr, ok := place["address"].(map[string]any)
	if !ok {
		if s := line(str(place["address"])); s != "" {
			return s
		}
		return line(str(place["name"]))
	}
	var parts []string
	for _, k := range []string{"addressLocality", "addressRegion", "addressCountry"} {
		if s := line(name(addr[k])); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// salaryOf reads baseSalary: a number, or a MonetaryAmount whose value is a
// number or a QuantitativeValue with minValue, maxValue and unitText.
func salaryOf(v any, currency string) *skilltrend.Salary {
	if v == nil {
		return nil
	}
	s := &skilltrend.Salary{Currency: strings.ToUpper(currency)}
	amount := v
	if m, ok := v.(map[string]any); ok {
		if c := line(str(m["currency"])); c != "" {
			s.Currency = strings.ToUpper(c)
		}
		amount = m["value"]
		if q, ok := amount.(map[string]any); ok {
			s.Min = number(q["minValue"])
			s.Max = number(q["maxValue"])
			if s.Min == 0 && s.Max == 0 {
				s.Min = number(q["value"])
				s.Max = s.Min
			}
			s.Period = unitPeriod(line(str(q["unitText"])))
			amount = nil
		}
	}
	if amount != nil {
		s.Min = number(amount)
		s.Max = s.Min
	}
	if s.Min == 0 && s.Max == 0 {
		return nil
	}
	return s
}

func number(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case string:
		f, err := strconv.ParseFloat(dropCommasSpaces.Replace(line(x)), 64)
		if err == nil {
			return f
		}
	case []any:
		if len(x) > 0 {
			return number(x[0])
		}
	}
	return 0
}

func unitPeriod(u string) string {
	switch strings.ToUpper(u) {
	case "HOUR":
		return "hour"
	case "DAY":
		return "day"
	case "WEEK":
		return "week"
	case "MONTH":
		return "month"
	case "YEAR":
		return "year"
	}
	return ""
}

func resolve(base, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	b, err := url.Parse(base)
	if err != nil {
		return ref
	}
	u, err := b.Parse(ref)
	if err != nil {
		return ""
	}
	return u.String()
}
