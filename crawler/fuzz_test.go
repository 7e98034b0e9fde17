package crawler

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
)

func FuzzHTMLText(f *testing.F) {
	for _, s := range []string{"<p>a</p><p>b &amp; c</p>", "x<br>y", "<ul><li>1<li>2</ul>", "<pre> a\n b</pre>", strings.Repeat("<div>", 600) + "deep", "&#0;\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := htmlText(s)
		if strings.Contains(got, "\n\n\n") {
			t.Errorf("more than one blank line in %q", got)
		}
		if got != strings.TrimSpace(got) {
			t.Errorf("untrimmed %q", got)
		}
		if c := clean(got); !utf8.ValidString(c) || strings.ContainsRune(c, 0) {
			t.Errorf("clean(%q) = %q", got, c)
		}
	})
}

func FuzzJobPostings(f *testing.F) {
	f.Add(jobPage("Go developer", "/next"))
	f.Add(`<div itemscope itemtype="https://schema.org/JobPosting"><span itemprop="title">A</span><div itemprop="hiringOrganization" itemscope><b itemprop="name">B</b></div></div>`)
	f.Add(`<div vocab="https://schema.org/" typeof="JobPosting"><span property="schema:title">A</span><span property="baseSalary" typeof="MonetaryAmount"><meta property="currency" content="USD"><span property="value">5</span></span></div>`)
	f.Add(`<script type="application/ld+json">[{"@graph":[{"@type":["JobPosting"],"title":1,"baseSalary":{"value":{"minValue":"1,000"}},"jobLocation":[{"address":"x"}]}]}]</script>`)
	f.Fuzz(func(t *testing.T, page string) {
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(shallow([]byte(page), 256)))
		if err != nil {
			return
		}
		for _, p := range jobPostings(doc, "https://example.org/jobs/1", page) {
			if p.SourceID == "" {
				t.Errorf("posting without an id: %+v", p)
			}
		}
	})
}

func FuzzApplyFirstLine(f *testing.F) {
	for _, s := range []string{"Acme | Go | Berlin | REMOTE | €90k-€110k", "$1.000,5k - 2 | |", "London - Rails dev", "||||"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		var p postingT
		applyFirstLine(&p, line)
		if s := p.Salary; s != nil && (s.Min < 0 || s.Max != 0 && s.Max < s.Min || s.Currency == "") {
			t.Errorf("salary %+v from %q", *s, line)
		}
	})
}
