package extract

import (
	"slices"
	"testing"
)

func TestCandidates(t *testing.T) {
	texts := []string{
		"We use Go, HyperQueue and PostgreSQL. See https://example.com/FooBar for more.",
		"Stack: Rust, HyperQueue, Zorbl.js and k9s. Remote in the USA.",
		"HyperQueue experience and Zorbl.js a plus; also CRDTs.",
		"CRDTs everywhere, with Go.",
	}
	tax, err := DefaultTaxonomy()
	if err != nil {
		t.Fatal(err)
	}
	got := Candidates(slices.Values(texts), tax, 2)
	want := []Candidate{{"HyperQueue", 3}, {"CRDTs", 2}, {"Zorbl.js", 2}}
	if !slices.Equal(got, want) {
		t.Errorf("candidates %v, want %v", got, want)
	}
	if all := Candidates(slices.Values(texts), tax, 1); !slices.Contains(all, Candidate{"k9s", 1}) || slices.ContainsFunc(all, func(c Candidate) bool {
		return c.Term == "Go" || c.Term == "PostgreSQL" || c.Term == "USA" || c.Term == "FooBar"
	}) {
		t.Errorf("candidates with min 1: %v", all)
	}
}
