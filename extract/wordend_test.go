package extract

import "testing"

// TestWordEnd checks the eight-bytes-at-a-time word scan against the byte
// table for every byte value at every position of a word.
func TestWordEnd(t *testing.T) {
	for b := 0; b < 256; b++ {
		for pos := 0; pos < 12; pos++ {
			s := []byte("abcdefghijklmnop")
			s[pos] = byte(b)
			want := 0
			for want < len(s) && isWordByte[s[want]] {
				want++
			}
			if got := wordEnd(string(s), 0); got != want {
				t.Fatalf("byte %#x at %d: wordEnd = %d, want %d", b, pos, got, want)
			}
		}
	}
}
