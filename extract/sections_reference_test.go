package extract

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/skilltrend/skilltrend"
)

// optionalSpansReference is optionalSpans the plain way: it cuts the whole
// text below the title into lines, collects the hits of each line from the
// full list, and reads every line for headings. optionalSpans reads only
// the lines that can matter and must find the same spans.
func optionalSpansReference(text string, titleLen int, hits []hit) []span {
	isOptional := func(h hit) bool { return h.marker == markOptional }
	if !slices.ContainsFunc(hits, isOptional) {
		return nil
	}
	type heading struct {
		start    int
		optional bool
	}
	var heads []heading
	start := titleLen + 1
	for _, l := range strings.SplitAfter(text[min(start, len(text)):], "\n") {
		end := start + len(strings.TrimSuffix(l, "\n"))
		var on []hit
		for _, h := range hits {
			if int(h.start) >= start && int(h.start) < end {
				on = append(on, h)
			}
		}
		if l != "" && isHeading(text[start:end], on) {
			heads = append(heads, heading{start, slices.ContainsFunc(on, isOptional)})
		}
		start += len(l)
	}
	var out []span
	for i, h := range heads {
		if h.optional {
			end := len(text)
			if i+1 < len(heads) {
				end = heads[i+1].start
			}
			out = append(out, span{h.start, end})
		}
	}
	for _, x := range hits {
		if isOptional(x) && int(x.start) >= titleLen && !inSpans(out, int(x.start)) {
			out = append(out, sentenceAround(text, int(x.start), int(x.end)))
		}
	}
	return out
}

// TestOptionalSpansMatchReference compares optionalSpans with the
// reference on the gold postings and on texts assembled from headings,
// bullet lines and sentences that make skills optional, with and without a
// title.
func TestOptionalSpansMatchReference(t *testing.T) {
	var ps []skilltrend.Posting
	for _, g := range loadGold(t) {
		ps = append(ps, g.posting)
	}
	lines := []string{
		"Nice to have:", "Requirements:", "## Bonus points", "Bonus", "What we offer", "About you:",
		"Preferred qualifications:", "# Stack", "Nice-to-haves", "**Nice to have**", "", " ",
		"- Go and PostgreSQL", "* Kafka is a plus.", "Python preferred; Rust a bonus", "We use AWS, Docker and Kubernetes.",
		"Bonus: GraphQL", "Experience with Terraform (Ansible a plus), Linux", "• Redis", "Remote, senior, $150k",
		"Familiarity with gRPC would be nice to have. Java required.", "Kubernetes",
	}
	titles := []string{"", "Senior Go Engineer", "Backend (Python), nice to have Rust", "Bonus points: Kafka"}
	r := rand.New(rand.NewPCG(11, 2026))
	for range 3000 {
		var b strings.Builder
		for range 1 + r.IntN(25) {
			b.WriteString(lines[r.IntN(len(lines))])
			b.WriteByte('\n')
		}
		ps = append(ps, skilltrend.Posting{Title: titles[r.IntN(len(titles))], Description: strings.TrimSuffix(b.String(), "\n")})
	}
	// The texts must exercise the sections, not only the early return.
	if n := checkOptionalSpans(t, ps); n < len(ps)/4 {
		t.Fatalf("only %d of %d texts have optional spans", n, len(ps))
	}
}

// TestOptionalSpansMatchReferenceHN2026 is the same comparison on the real
// HN postings of February 2026, when ../shared/data is present.
func TestOptionalSpansMatchReferenceHN2026(t *testing.T) {
	ps, _ := hn2026Postings(t)
	if n := checkOptionalSpans(t, ps); n == 0 {
		t.Fatal("no HN posting has optional spans")
	}
}

// checkOptionalSpans fails t when optionalSpans and the reference differ
// on a posting's text, and returns how many texts have optional spans.
func checkOptionalSpans(t *testing.T, ps []skilltrend.Posting) int {
	t.Helper()
	tg := defaultTagger(t)
	n := 0
	for _, p := range ps {
		text := Text(p)
		hits := tg.m.scan(text, nil, nil)
		got := optionalSpans(text, len(p.Title), hits, nil)
		want := optionalSpansReference(text, len(p.Title), hits)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("title %q, description %q:\n got  %v\n want %v", p.Title, p.Description, got, want)
		}
		if len(want) > 0 {
			n++
		}
	}
	return n
}
