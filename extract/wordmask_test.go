package extract

import (
	"math/rand/v2"
	"testing"
)

// masksOf is the definition classifyBlocks must meet, one byte at a time.
func masksOf(block string, set *[256]bool) (words, inSet uint64) {
	for j := 0; j < blockLen; j++ {
		if isWordByte[block[j]] {
			words |= 1 << j
		}
		if set[block[j]] {
			inSet |= 1 << j
		}
	}
	return words, inSet
}

// TestClassifyBlocks checks both versions of classifyBlocks (the AVX2 one
// where the CPU has it) against the byte table and a map: every byte value
// at every position of a block, among word and non-word neighbours, then
// random blocks; with the matcher's set of root bytes and random sets.
func TestClassifyBlocks(t *testing.T) {
	var blocks []string
	for b := range 256 {
		for _, fill := range []byte{'a', ' '} {
			for pos := 0; pos < blockLen; pos++ {
				s := make([]byte, blockLen)
				for i := range s {
					s[i] = fill
				}
				s[pos] = byte(b)
				blocks = append(blocks, string(s))
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		s := make([]byte, blockLen)
		for i := range s {
			s[i] = byte(rng.UintN(256))
		}
		blocks = append(blocks, string(s))
	}
	var src []byte
	for _, b := range blocks {
		src = append(src, b...)
	}
	tax, err := DefaultTaxonomy()
	if err != nil {
		t.Fatal(err)
	}
	sets := []*byteSet{&NewTagger(tax).m.rootSet}
	for range 20 {
		var s byteSet
		for range rng.IntN(40) {
			s.add(byte(rng.UintN(256)))
		}
		sets = append(sets, &s)
	}
	for _, set := range sets {
		var members [256]bool
		for b := range members {
			members[b] = set.has(byte(b))
		}
		for name, classify := range map[string]func([]uint64, []uint64, string, *byteSet){
			"classifyBlocks": classifyBlocks, "classifyBlocksGo": classifyBlocksGo,
		} {
			words, inSet := make([]uint64, len(blocks)), make([]uint64, len(blocks))
			classify(words, inSet, string(src), set)
			for k, b := range blocks {
				w, r := masksOf(b, &members)
				if words[k] != w || inSet[k] != r {
					t.Fatalf("%s of %q with set %x:\nwords %064b\nwant  %064b\nset   %064b\nwant  %064b",
						name, b, *set, words[k], w, inSet[k], r)
				}
			}
		}
	}
}

// TestByteSet checks that add and has agree for every byte value, and
// that adding one byte adds no other.
func TestByteSet(t *testing.T) {
	for b := range 256 {
		var s byteSet
		s.add(byte(b))
		for c := range 256 {
			if s.has(byte(c)) != (c == b) {
				t.Fatalf("after add(%#x), has(%#x) = %v", b, c, s.has(byte(c)))
			}
		}
	}
}
