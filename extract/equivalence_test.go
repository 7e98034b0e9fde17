package extract

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// randomPieces joins n random pieces, chosen to reach the edge cases of
// the byte-level string helpers: heading marks, white space, upper case,
// non-ASCII letters that lower-case to ASCII (the Kelvin sign) or change
// length ('İ'), bullets and broken UTF-8.
func randomPieces(r *rand.Rand, n int) string {
	pieces := []string{"#", "*", "-", "=", ">", " ", "•", "–", "\t", ":", "Nice", "to", "HAVE", "k", "K", "\u212a", "İ", "é", "\xe2\x80", "\xa2", "Per Year", "/HR", "$", "120", ",", "."}
	var b strings.Builder
	for range n {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

// TestTrimHeadingMarks checks the byte-level trim against the strings
// functions it replaces.
func TestTrimHeadingMarks(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		s := randomPieces(r, r.IntN(8))
		want := strings.TrimRight(strings.TrimLeft(s, "#*-•=> "), "*#= ")
		if got := trimHeadingMarks(s); got != want {
			t.Fatalf("trimHeadingMarks(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestLowerASCII checks lowerASCII against strings.ToLower.
func TestLowerASCII(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		s := randomPieces(r, r.IntN(8))
		if got, want := lowerASCII(s, make([]byte, 0, 8)), strings.ToLower(s); got != want {
			t.Fatalf("lowerASCII(%q) = %q, want %q", s, got, want)
		}
	}
}
