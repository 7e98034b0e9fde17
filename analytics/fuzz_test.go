package analytics

import (
	"net/url"
	"slices"
	"strings"
	"testing"
)

// FuzzCanonicalURL checks that canonicalisation never panics, is idempotent
// and never keeps a fragment or a utm_ parameter.
func FuzzCanonicalURL(f *testing.F) {
	for _, s := range []string{
		"https://Jobs.Example.com/role/42/?utm_source=x#top", "http://www.example.org:80/a%20b/?q=1&q=2",
		"https://example.com/path;x?b=2&a=1", "mailto:jobs@example.com", "https://[::1]:8080/x", "//:/0", "",
		"https://news.ycombinator.com/item?id=40000001", "https://jobs.example/a/B-1_x~y.z?Key=v", "https://x.example?ref=1",
		"https://x.example/a?b=", "https://x.example/a?=b", "https://x.example/a?b", "https://X.example/a", "https://x.example//a",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c := canonicalURL(raw)
		if trimmed := strings.TrimSpace(raw); canonicalAlready(trimmed) {
			if parsed := canonicalParsed(trimmed); parsed != trimmed {
				t.Fatalf("%q taken as canonical, but parsing gives %q", trimmed, parsed)
			}
		}
		if c == "" {
			return
		}
		if again := canonicalURL(c); again != c {
			t.Fatalf("not idempotent: %q -> %q -> %q", raw, c, again)
		}
		u, err := url.Parse(c)
		if err != nil {
			t.Fatalf("%q -> unparsable %q: %v", raw, c, err)
		}
		if u.Fragment != "" {
			t.Fatalf("%q kept a fragment: %q", raw, c)
		}
		for k := range u.Query() {
			if strings.HasPrefix(strings.ToLower(k), "utm_") {
				t.Fatalf("%q kept tracking parameter %s: %q", raw, k, c)
			}
		}
	})
}

// FuzzSimHash checks that a text has a fingerprint exactly when it has
// enough words, that it is the plain reference computation's, and that the
// fingerprint ignores case and punctuation.
func FuzzSimHash(f *testing.F) {
	f.Add("We need Go, Rust and PostgreSQL for our payments platform team in Berlin.")
	f.Add("short")
	f.Fuzz(func(t *testing.T, text string) {
		fp := SimHash(text)
		if ref := simHashReference(text); fp != ref {
			t.Fatalf("SimHash(%q) = %x, reference %x", text, fp, ref)
		}
		if (fp != 0) != (len(words(text)) >= minFingerprintW) {
			t.Fatalf("SimHash(%q) = %x with %d words", text, fp, len(words(text)))
		}
		up := strings.ToUpper(text)
		if slices.Equal(words(up), words(text)) && SimHash(up) != fp {
			t.Fatalf("case changed the fingerprint of %q", text)
		}
	})
}
