//go:build !amd64

package extract

// classifyBlocks classifies the bytes of src in blocks of 64: bit j of
// words[k] is set when src[64k+j] is a word byte, bit j of inSet[k] when
// it is in set. src holds 64 bytes for each element of words and inSet.
func classifyBlocks(words, inSet []uint64, src string, set *byteSet) {
	classifyBlocksGo(words, inSet, src, set)
}
