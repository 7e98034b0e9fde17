package skilltrend

import (
	"hash/fnv"
	"testing"
)

func TestPostingIDIsStableAndSeparatesFields(t *testing.T) {
	a := Posting{Source: "hn", SourceID: "2396027"}
	if a.ID() != PostingID("hn", "2396027") {
		t.Fatal("Posting.ID and PostingID disagree")
	}
	// The key is the FNV-1a hash of "hn\x002396027" with the sign bit cleared.
	h := fnv.New64a()
	h.Write([]byte("hn\x002396027"))
	if want := int64(h.Sum64() &^ (1 << 63)); a.ID() != want {
		t.Errorf("ID = %d, want %d", a.ID(), want)
	}
	// The NUL separator keeps ("ab", "c") apart from ("a", "bc").
	if PostingID("ab", "c") == PostingID("a", "bc") {
		t.Error("source and source id run together")
	}
	for _, p := range []Posting{a, {Source: "x", SourceID: ""}, {Source: "greenhouse-acme", SourceID: "4012345"}} {
		if p.ID() < 0 {
			t.Errorf("ID(%q, %q) = %d is negative", p.Source, p.SourceID, p.ID())
		}
	}
}

func TestCategoriesAreDistinct(t *testing.T) {
	seen := map[Category]bool{}
	for _, c := range Categories() {
		if seen[c] {
			t.Errorf("category %q listed twice", c)
		}
		seen[c] = true
	}
	if len(seen) != 11 {
		t.Errorf("%d categories, the skill map has 11", len(seen))
	}
}
