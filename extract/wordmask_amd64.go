package extract

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

// classifyBlocks classifies the bytes of src in blocks of 64: bit j of
// words[k] is set when src[64k+j] is a word byte, bit j of inSet[k] when
// it is in set. src holds 64 bytes for each element of words and inSet.
func classifyBlocks(words, inSet []uint64, src string, set *byteSet) {
	if len(inSet) != len(words) || len(src) < len(words)*blockLen {
		panic("extract: classifyBlocks: lengths do not match")
	}
	if !cpu.X86.HasAVX2 {
		classifyBlocksGo(words, inSet, src, set)
		return
	}
	if len(words) > 0 {
		classifyAVX2(&words[0], &inSet[0], unsafe.StringData(src), len(words), set)
	}
}

// classifyAVX2 is classifyBlocks for blocks blocks, with AVX2 instructions.
//
//go:noescape
func classifyAVX2(words, inSet *uint64, src *byte, blocks int, set *byteSet)
