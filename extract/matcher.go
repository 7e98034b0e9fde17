package extract

import (
	"fmt"
	"math/bits"
	"strings"
	"unsafe"
)

// The byte tables classify bytes for word boundaries. Only ASCII letters, digits
// and '_' make words: punctuation, spaces and the lead bytes of non-ASCII
// characters (dashes, bullets, quotes) separate them, so "—Go" still starts
// a word while "MongoDB" contains no "go".
//
// isWordByte: a match may not start right after one of these. isGlueByte: a
// match ending in a word byte may not be followed by one of these.
var isWordByte, isGlueByte, foldByte, isSpace = byteTables()

func byteTables() (word, glue [256]bool, fold [256]byte, space [256]bool) {
	for b := 0; b < 256; b++ {
		c := byte(b)
		fold[b] = c
		if 'A' <= c && c <= 'Z' {
			fold[b] = c + 'a' - 'A'
		}
		w := ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') || c == '_'
		word[b] = w
		// UTF-8 continuation bytes glue to the character before, so a
		// match never ends in the middle of a character.
		glue[b] = w || (c >= 0x80 && c < 0xC0)
	}
	for _, c := range []byte{' ', '\t', '\n', '\r', '\f', '\v'} {
		space[c] = true
	}
	return word, glue, fold, space
}

func foldString(s string) string {
	b := []byte(s)
	for i, c := range b {
		b[i] = foldByte[c]
	}
	return string(b)
}

// entry is what a trie terminal stands for: an alias of a skill, or a marker
// (a phrase that says something about a section, role, level or work mode).
type entry struct {
	text   string // as written in the taxonomy
	skill  int32  // index into Taxonomy.skills, -1 for markers
	alias  *aliasDef
	ruled  bool // alias has context rules
	marker marker
}

// node flags.
const (
	flagSkill    = 1 << iota // some entry at this node is a skill alias
	flagMarker               // some entry at this node is a marker
	flagBoundary             // the spelling ends in a word byte: the next byte must not glue
	flagLeaf                 // no spelling goes on from here: the walk can stop
)

// matcher is a trie over case-folded spellings. Nodes with several children
// keep a dense row of transitions over the byte classes that occur in any
// spelling; the many nodes deep in a spelling that have a single child keep
// just that child. This keeps the hot part of the trie in cache.
type matcher struct {
	class      [256]uint8  // byte -> class, 0 = occurs in no spelling
	rootEdge   [256]uint32 // byte -> the root's edge for it, 0 = none
	rootSet    byteSet     // the non-word bytes some spelling begins with
	nclass     int
	spaceClass uint8
	nodes      []tnode
	steps      []uint64 // per node, what step needs in one word: see packStep
	rows       []uint32 // row*nclass + class -> child node, 0 = none (the root is never a child)
	entOff     []uint32 // entries of node n: ents[entOff[n]:entOff[n+1]]
	ents       []entry

	// A match that starts at a word byte covers that whole word of the
	// text (a spelling ending in a word byte must not be followed by one,
	// and the other bytes of a spelling's first word are word bytes).
	// So the walk starts from a lookup of the whole word: words holds the
	// first words of up to 16 bytes with the edge the trie walk reaches
	// after them, and prefixes the first 16 bytes of longer first words.
	// Most words of a text are in neither and cost a hash and a test of
	// wordBits.
	words     []wordSlot
	prefixes  []wordKey
	wordShift uint // a hash's top 64-wordShift bits index words and prefixes
	// afterBit gives each non-word byte of the spellings a bit (bytes of
	// one class share it; past 31 classes, the rest share bit 31), so
	// that a word's slot can say which bytes after it are worth a step.
	afterBit [256]uint32
	// wordBits is a one-hash Bloom filter over the keys of words and
	// prefixes, small enough to stay in L1: a word that is not in it costs
	// no probe of the tables.
	wordBits [1 << (wordBitsLog - 6)]uint64
}

const wordBitsLog = 16

// wordKey is a word of 1 to 16 bytes, packed little-endian and zero-padded
// in two halves (lo holds the first 8 bytes), case folded by caseless. Word
// bytes are never 0, so a key is never zero, which marks an empty slot, and
// words of different lengths have different keys.
type wordKey struct{ lo, hi uint64 }

// wordSlot is an entry of the open-addressed table of first words.
type wordSlot struct {
	key  wordKey
	edge uint32 // the edge the walk reaches after the word, with its node's flags
	next uint32 // the afterBit of each byte some spelling goes on with after the word
	// Bit c%64 for the class c of each byte that some spelling goes on
	// with after the word, white space and that byte ("data engineer":
	// e), and after the word, another non-word byte and that byte
	// ("full-stack": s; all bits when a spelling ends right after the other
	// byte: "c#"). Most words of a text are followed by none of them.
	thenSpace, then uint64
}

type tnode struct {
	row   int32  // dense row, or -1 when the node has at most one child
	child uint32 // the only child when row < 0, as an edge value
	cls   uint8  // the class leading to child
	flags uint8
}

// Transitions hold edge values: the child's index in the low bits and its
// flags in the top bits, so the walk learns whether a child ends a spelling
// without touching the child's node.
const (
	edgeShift = 28
	edgeIndex = 1<<edgeShift - 1
)

// step follows the transition of class c from node n and returns the edge
// value, 0 when there is none.
func (m *matcher) step(n uint32, c uint8) uint32 {
	w := m.steps[n]
	if w&stepDense != 0 {
		return m.rows[uint32(w)+uint32(c)]
	}
	if uint8(w>>32) == c {
		return uint32(w)
	}
	return 0
}

// A step word is either stepDense | the offset of the node's dense row, or
// the class of its only child << 32 | that child's edge value.
const stepDense = 1 << 63

func packStep(tn *tnode, nclass int) uint64 {
	if tn.row >= 0 {
		return stepDense | uint64(int(tn.row)*nclass)
	}
	return uint64(tn.cls)<<32 | uint64(tn.child)
}

type buildNode struct {
	next    map[byte]int
	entries []entry
	last    byte
}

func newMatcher(entries []entry) *matcher {
	nodes := []buildNode{{next: map[byte]int{}}}
	var used [256]bool
	for _, e := range entries {
		key := foldString(e.text)
		n := 0
		for i := 0; i < len(key); i++ {
			c := key[i]
			used[c] = true
			child, ok := nodes[n].next[c]
			if !ok {
				child = len(nodes)
				nodes = append(nodes, buildNode{next: map[byte]int{}, last: c})
				nodes[n].next[c] = child
			}
			n = child
		}
		nodes[n].entries = append(nodes[n].entries, e)
	}
	m := &matcher{}
	nc := 1
	for b := 0; b < 256; b++ {
		if used[b] {
			m.class[b] = uint8(nc)
			nc++
		}
	}
	for b := 'A'; b <= 'Z'; b++ {
		m.class[b] = m.class[b+'a'-'A']
	}
	if used[' '] {
		m.spaceClass = m.class[' ']
		for b := 0; b < 256; b++ {
			if isSpace[b] {
				m.class[b] = m.spaceClass
			}
		}
	}
	m.nclass = nc
	if len(nodes) > edgeIndex {
		panic(fmt.Sprintf("extract: %d trie nodes, more than an edge can address", len(nodes)))
	}
	m.nodes = make([]tnode, len(nodes))
	m.entOff = make([]uint32, len(nodes)+1)
	for i, nd := range nodes {
		tn := &m.nodes[i]
		tn.row = -1
		if len(nd.next) > 1 || i == 0 {
			tn.row = int32(len(m.rows) / nc)
			m.rows = append(m.rows, make([]uint32, nc)...)
		}
		m.entOff[i] = uint32(len(m.ents))
		for _, e := range nd.entries {
			if e.skill >= 0 {
				tn.flags |= flagSkill
			} else {
				tn.flags |= flagMarker
			}
			m.ents = append(m.ents, e)
		}
		if isWordByte[nd.last] {
			tn.flags |= flagBoundary
		}
		if len(nd.next) == 0 {
			tn.flags |= flagLeaf
		}
	}
	m.entOff[len(nodes)] = uint32(len(m.ents))
	// Edges, now that every node's flags are known.
	for i, nd := range nodes {
		tn := &m.nodes[i]
		for c, child := range nd.next {
			v := uint32(child) | uint32(m.nodes[child].flags)<<edgeShift
			if tn.row >= 0 {
				m.rows[int(tn.row)*nc+int(m.class[c])] = v
			} else {
				tn.cls, tn.child = m.class[c], v
			}
		}
	}
	m.steps = make([]uint64, len(m.nodes))
	for i := range m.nodes {
		m.steps[i] = packStep(&m.nodes[i], nc)
	}
	for b := range m.rootEdge {
		m.rootEdge[b] = m.rows[m.class[b]]
		if m.rootEdge[b] != 0 && !isWordByte[b] {
			m.rootSet.add(byte(b))
		}
	}
	m.buildWords(entries, nodes)
	return m
}

// buildWords fills the tables of first words (see matcher.words).
func (m *matcher) buildWords(entries []entry, nodes []buildNode) {
	bitOf := map[uint8]uint32{} // class -> bit
	for b := range 256 {
		c := m.class[b]
		if c == 0 || isWordByte[b] {
			continue
		}
		if _, ok := bitOf[c]; !ok {
			bitOf[c] = 1 << min(len(bitOf), 31)
		}
		m.afterBit[b] = bitOf[c]
	}
	short := map[wordKey]wordSlot{}
	long := map[wordKey]bool{}
	for _, e := range entries {
		key := foldString(e.text)
		w := 0
		for w < len(key) && isWordByte[key[w]] {
			w++
		}
		if w == 0 {
			continue
		}
		if w > maxKeyLen {
			long[packKey(key[:maxKeyLen])] = true
			continue
		}
		n := 0
		for i := 0; i < w; i++ {
			n = nodes[n].next[key[i]]
		}
		// The byte after a word is not a word byte: only the spellings
		// that go on with a non-word byte matter.
		slot := wordSlot{edge: uint32(n) | uint32(m.nodes[n].flags)<<edgeShift}
		for c, child := range nodes[n].next {
			slot.next |= m.afterBit[c]
			if len(nodes[child].entries) > 0 {
				slot.then = ^uint64(0)
			}
			for c2 := range nodes[child].next {
				if m.class[c] == m.spaceClass {
					slot.thenSpace |= 1 << (m.class[c2] % 64)
				} else {
					slot.then |= 1 << (m.class[c2] % 64)
				}
			}
		}
		short[packKey(key[:w])] = slot
	}
	m.wordShift = 64 - 4
	for 1<<(64-m.wordShift) < 2*max(len(short), len(long)) {
		m.wordShift--
	}
	size := 1 << (64 - m.wordShift)
	m.words = make([]wordSlot, size)
	for k, slot := range short {
		h := wordHash(k)
		m.setWordBit(h)
		i := h >> m.wordShift
		for m.words[i].key.lo != 0 {
			i = (i + 1) & uint64(size-1)
		}
		slot.key = k
		m.words[i] = slot
	}
	m.prefixes = make([]wordKey, size)
	for k := range long {
		h := wordHash(k)
		m.setWordBit(h)
		i := h >> m.wordShift
		for m.prefixes[i].lo != 0 {
			i = (i + 1) & uint64(size-1)
		}
		m.prefixes[i] = k
	}
}

// maxKeyLen is the longest word a wordKey holds.
const maxKeyLen = 16

// packWord packs up to 8 bytes little-endian.
func packWord(w string) uint64 {
	var k uint64
	for i := len(w) - 1; i >= 0; i-- {
		k = k<<8 | uint64(w[i])
	}
	return k
}

// packKey packs a word of up to 16 word bytes into a key.
func packKey(w string) wordKey {
	if len(w) <= 8 {
		return wordKey{lo: caseless(packWord(w))}
	}
	return wordKey{caseless(packWord(w[:8])), caseless(packWord(w[8:]))}
}

// caseless clears bit 0x20 of each byte of packed word bytes: A-Z and a-z
// meet, while digits (0x10-0x19 then), letters (0x41-0x5A) and '_' (0x5F)
// stay apart and non-zero. One AND is all the case folding a key needs.
func caseless(x uint64) uint64 { return x &^ (lsb * 0x20) }

// wordHash is a multiplicative hash: its top bits index the tables.
func wordHash(k wordKey) uint64 { return (k.lo + k.hi*0xC2B2AE3D27D4EB4F) * 0x9E3779B97F4A7C15 }

func (m *matcher) setWordBit(h uint64) {
	b := h >> (64 - wordBitsLog)
	m.wordBits[b/64] |= 1 << (b % 64)
}

// wordBit is 1 when the key whose hash is h may be in words or prefixes,
// else 0.
func (m *matcher) wordBit(h uint64) uint64 {
	b := h >> (64 - wordBitsLog)
	return m.wordBits[b/64] >> (b % 64) & 1
}

// lookupWord returns the slot of the first word key (whose hash is h), nil
// when no spelling starts with that word.
func (m *matcher) lookupWord(key wordKey, h uint64) *wordSlot {
	mask := uint64(len(m.words) - 1)
	for i := h >> m.wordShift; ; i = (i + 1) & mask {
		s := &m.words[i]
		if s.key == key {
			return s
		}
		if s.key.lo == 0 {
			return nil
		}
	}
}

// hasPrefix reports whether some first word longer than 16 bytes starts
// with the 16 bytes of key (whose hash is h).
func (m *matcher) hasPrefix(key wordKey, h uint64) bool {
	mask := uint64(len(m.prefixes) - 1)
	for i := h >> m.wordShift; ; i = (i + 1) & mask {
		k := m.prefixes[i]
		if k == key {
			return true
		}
		if k.lo == 0 {
			return false
		}
	}
}

// load64 reads s[i:i+8] little-endian (one load once compiled).
func load64(s string, i int) uint64 {
	b := s[i : i+8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// hit is one accepted occurrence of an entry in a text. It carries the
// entry's skill and marker, so that the passes over the hits after the scan
// do not go back to the entries.
type hit struct {
	start, end int32
	entry      int32
	skill      int32 // ents[entry].skill: -1 for markers
	marker     marker
}

// hitOf makes the hit of entry e at text[start:end].
func (m *matcher) hitOf(start, end int, e uint32) hit {
	en := &m.ents[e]
	return hit{start: int32(start), end: int32(end), entry: int32(e), skill: en.skill, marker: en.marker}
}

// accept is a terminal node reached during a walk.
type accept struct {
	node  uint32
	flags uint32 // the node's flags, as the edge to it carried them
	end   int
}

// startsPerChunk is how many starts scan may hold before walking from them:
// findStarts reads blocks of 64 bytes while a whole block's starts still fit.
const startsPerChunk = 128

// start is a place where a spelling may begin, found by the first pass of
// scan: the walk goes on from edge with the byte text[j].
type start struct {
	pos, j int32
	edge   uint32
}

// padding is how many zero bytes findStarts may read past the end of a text:
// the block after the last one, and a word key beyond it.
const padding = 2 * blockLen

// padded returns text followed by padding zero bytes (which end words and
// begin no spelling), in buf's memory when it is big enough.
func padded(text string, buf []byte) (string, []byte) {
	buf = append(append(buf[:0], text...), make([]byte, padding)...)
	return unsafe.String(unsafe.SliceData(buf), len(buf)), buf
}

// scanPadded finds skill aliases and markers in text = pad[:n], where pad
// holds at least padding zero bytes after the text (see padded), appending
// them to out in text order. Matches start only at word starts. At each
// start the longest spelling whose rules accept wins (so "JavaScript" is
// never "Java", and "C++" is never "C"); the scan resumes after an accepted
// skill match. Markers are reported independently of skills and do not
// consume text. reject, when not nil, hears of every candidate that a rule
// turned down.
//
// It runs in two passes over chunks of the text: findStarts, a tight loop
// over the words, keeps the few places where a spelling may begin; then the
// trie is walked and rules are checked at those places only. The places
// where a match may start do not depend on earlier matches (see
// findStarts), so an accepted match simply makes the walk skip the starts
// it covers.
func (m *matcher) scanPadded(pad string, n int, out []hit, reject func(start, end int, e *entry)) []hit {
	text := pad[:n]
	var acc [16]accept
	var buf [startsPerChunk]start
	resume := 0 // the starts before it lie in an accepted skill match
	wb := wordBlocks{pad: pad, n: n, roots: &m.rootSet}
	for wb.pos < n {
		count := m.findStarts(&wb, &buf)
		for _, st := range buf[:count] {
			pos := int(st.pos)
			if pos < resume {
				continue
			}
			edge, j := st.edge, int(st.j)
			na := 0
			if f := edge >> edgeShift; f&flagLeaf != 0 {
				// Most starts are words that no spelling goes on from: no
				// walk, the only candidate ends with the word.
				if f&(flagSkill|flagMarker) != 0 && (f&flagBoundary == 0 || j >= n || !isGlueByte[text[j]]) {
					acc[0] = accept{edge & edgeIndex, f, j}
					na = 1
				}
			} else {
				na = m.walk(text, edge, j, &acc)
			}
			skillEnd := -1
			markerDone := false
			for k := na - 1; k >= 0; k-- {
				a := acc[k]
				f := a.flags
				if skillEnd < 0 && f&flagSkill != 0 {
					for e := m.entOff[a.node]; e < m.entOff[a.node+1]; e++ {
						en := &m.ents[e]
						if en.skill < 0 {
							continue
						}
						if en.ruled && !en.alias.accepts(m, text, pos, a.end) {
							if reject != nil {
								reject(pos, a.end, en)
							}
							continue
						}
						out = append(out, m.hitOf(pos, a.end, e))
						skillEnd = a.end
					}
				}
				if !markerDone && f&flagMarker != 0 {
					for e := m.entOff[a.node]; e < m.entOff[a.node+1]; e++ {
						if en := &m.ents[e]; en.skill < 0 && (!en.ruled || en.alias.accepts(m, text, pos, a.end)) {
							out = append(out, m.hitOf(pos, a.end, e))
							markerDone = true
						}
					}
				}
			}
			if skillEnd >= 0 {
				// Go on at the first start at or after the match end. A
				// match that ends in a word byte is followed by a non-word
				// byte, which is not a start itself.
				resume = skillEnd
				if isWordByte[text[skillEnd-1]] {
					resume++
				}
			}
		}
	}
	return out
}

// walk follows the trie from edge with the bytes of text from j on and
// stores in acc the terminal nodes it reaches whose spellings may end
// there, shortest first (when more than fit, the longest are kept). It
// returns how many it stored.
func (m *matcher) walk(text string, edge uint32, j int, acc *[16]accept) int {
	n := len(text)
	na := 0
	for {
		node := edge & edgeIndex
		f := edge >> edgeShift
		if f&(flagSkill|flagMarker) != 0 {
			if f&flagBoundary == 0 || j >= n || !isGlueByte[text[j]] {
				if na == len(acc) {
					na-- // keep the longest: drop the one before it
				}
				acc[na] = accept{node, f, j}
				na++
			}
		}
		if j >= n || f&flagLeaf != 0 {
			return na
		}
		c := m.class[text[j]]
		if c == 0 {
			return na
		}
		child := m.step(node, c)
		if child == 0 {
			return na
		}
		edge = child
		j++
		if c == m.spaceClass {
			for j < n && isSpace[text[j]] {
				j++
			}
		}
	}
}

// blockLen is how many bytes findStarts classifies at once: one bit each in
// a uint64.
const blockLen = 64

// maxBlocks is how many blocks wordBlocks classifies in one go.
const maxBlocks = 64

// wordBlocks is where findStarts is in a text, and the masks of the blocks
// around there.
type wordBlocks struct {
	pad      string   // the text and padding zero bytes after it
	n        int      // the length of the text
	roots    *byteSet // the bytes that roots marks
	pos      int      // the offset of the next block to read, a multiple of blockLen
	prevWord uint64   // 1 when the byte before pos is a word byte
	b, count int      // the next block is block b of count classified ones
	// Block k is pad[at+64k:][:64], where at is pos-64b. Bit j of words[k]
	// is set when its byte j is a word byte, of rootMasks[k] when the byte
	// is in roots. Block count, the one after the last, is classified too.
	words, rootMasks [maxBlocks + 1]uint64
}

// classify fills the masks from pos on.
func (wb *wordBlocks) classify() {
	wb.b, wb.count = 0, min((wb.n-wb.pos+blockLen-1)/blockLen, maxBlocks)
	classifyBlocks(wb.words[:wb.count+1], wb.rootMasks[:wb.count+1], wb.pad[wb.pos:wb.pos+(wb.count+1)*blockLen], wb.roots)
}

// findStarts stores in buf the places in the text's next blocks where a
// spelling may begin, block after block while a whole block's places still
// fit, and returns how many it stored.
//
// Starts are word starts and the non-word bytes that do not follow a word
// byte: whether a place is one depends on the bytes before it only. At a
// word start the whole word is looked up (a match there covers the word)
// and kept only when some spelling ends with it, or goes on with the bytes
// after it (see goesOn): "a" begins "a$" but not "a team". Elsewhere the
// root's edge for the byte says whether some spelling begins with it ("$",
// ".net").
//
// The word starts and lengths follow from the blocks' word masks, without
// a branch per byte. Every word is hashed, and the words that may be first
// words of a spelling (the Bloom filter wordBits) are kept without a branch
// either; only those are looked up, in a second pass over the block's
// places.
func (m *matcher) findStarts(wb *wordBlocks, buf *[startsPerChunk]start) int {
	pad, k := wb.pad, 0
	for wb.pos < wb.n && k+blockLen <= len(buf) {
		if wb.b == wb.count {
			wb.classify()
		}
		i, w, wn := wb.pos, wb.words[wb.b], wb.words[wb.b+1]
		blk := pad[i : i+blockLen+maxKeyLen]
		after := w<<1 | wb.prevWord // bit j: the byte before i+j is a word byte
		words := w &^ after
		// The non-word bytes after non-word bytes that begin a spelling.
		roots := wb.rootMasks[wb.b] &^ after
		// The last byte of each word. Word starts and ends alternate: a
		// word going on from the block before has its end dropped, and
		// one going on into the next block ends there, after more
		// bytes.
		ends := w &^ (w>>1 | wn<<63)
		ends &^= ends & -ends & (w & wb.prevWord & 1 * ^uint64(0))
		more := bits.TrailingZeros64(^wn)
		// The places of the block, each j<<8 | the word's length (0 for
		// a non-word byte).
		var places [blockLen]uint16
		np := 0
		for all := words | roots; all != 0; all &= all - 1 {
			j := uint(bits.TrailingZeros64(all)) & 63
			if roots&(1<<j) != 0 {
				places[np&(blockLen-1)] = uint16(j << 8)
				np++
				continue
			}
			// The word's last byte: the next end, else (e is 64) in
			// the next block.
			e := bits.TrailingZeros64(ends)
			ends &= ends - 1
			if e == blockLen {
				e += more - 1
			}
			wl := e + 1 - int(j)
			// loadKey, by hand: too big to be inlined.
			mask := &lenMasks[wl&(len(lenMasks)-1)]
			key := wordKey{caseless(load64(blk, int(j)) & mask.lo), caseless(load64(blk, int(j)+8) & mask.hi)}
			// Kept when the filter passes: overwritten otherwise.
			places[np&(blockLen-1)] = uint16(j<<8 | uint(wl))
			np += int(m.wordBit(wordHash(key)))
		}
		k = m.lookupStarts(pad, i, places[:np], buf, k)
		wb.prevWord = w >> 63
		wb.b++
		wb.pos += blockLen
	}
	return k
}

// lookupStarts turns places found by findStarts in the block at pad[i]
// into starts, which it stores in buf from k on. It returns the new count.
func (m *matcher) lookupStarts(pad string, i int, places []uint16, buf *[startsPerChunk]start, k int) int {
	for _, p := range places {
		pos, wl := i+int(p>>8), int(p&0xff)
		key := loadKey(pad, pos, wl) // zero for a non-word byte
		if wl == 0 || wl > maxKeyLen && m.hasPrefix(key, wordHash(key)) {
			// A non-word byte, or a long first word: walked from the root,
			// byte by byte.
			buf[k] = start{int32(pos), int32(pos + 1), m.rootEdge[pad[pos]]}
			k++
			continue
		}
		if wl > maxKeyLen {
			continue
		}
		s := m.lookupWord(key, wordHash(key))
		if s == nil {
			continue
		}
		we, edge := pos+wl, s.edge
		if !m.goesOn(pad, we, s) {
			// No spelling goes on from here: only one that ends with the
			// word can match.
			if edge>>edgeShift&(flagSkill|flagMarker) == 0 {
				continue
			}
			edge |= flagLeaf << edgeShift
		}
		buf[k] = start{int32(pos), int32(we), edge}
		k++
	}
	return k
}

// byteSet is a set of byte values, laid out for classifyBlocks: bit h of
// element l is set when byte h<<4|l is in the set, for h < 8; bit h-8 of
// element 16+l when h >= 8.
type byteSet [32]byte

func (s *byteSet) add(b byte) { s[b>>7<<4|b&15] |= 1 << (b >> 4 & 7) }

func (s *byteSet) has(b byte) bool { return s[b>>7<<4|b&15]&(1<<(b>>4&7)) != 0 }

// classifyBlocksGo is classifyBlocks in plain Go: word bytes eight at a
// time, the set one byte at a time.
func classifyBlocksGo(words, inSet []uint64, src string, set *byteSet) {
	for k := range words {
		b := src[k*blockLen : (k+1)*blockLen]
		var w, r uint64
		for i := 0; i < blockLen; i += 8 {
			word := ^nonWordBytes(load64(b, i)) & msb
			// Gather the eight high bits into one byte: each moves to bit
			// 56+byte, and no two products overlap.
			w |= (word >> 7 * 0x0102040810204080 >> 56) << i
		}
		for i := range blockLen {
			if set.has(b[i]) {
				r |= 1 << i
			}
		}
		words[k], inSet[k] = w, r
	}
}

// lenMasks[l] keeps the first min(l, 16) bytes of a 16-byte key. Its size,
// a power of two above 64, lets an index be masked instead of checked.
var lenMasks = func() (t [4 * blockLen]wordKey) {
	for l := range t {
		for b := range min(l, maxKeyLen) {
			if b < 8 {
				t[l].lo |= 0xff << (8 * b)
			} else {
				t[l].hi |= 0xff << (8 * (b - 8))
			}
		}
	}
	return t
}()

// loadKey returns the key of the word of length wl (at most 255) at s[pos],
// of its first 16 bytes when it is longer. s holds 16 bytes from pos.
func loadKey(s string, pos, wl int) wordKey {
	b := s[pos : pos+maxKeyLen]
	mask := &lenMasks[wl&(len(lenMasks)-1)]
	return wordKey{caseless(load64(b, 0) & mask.lo), caseless(load64(b, 8) & mask.hi)}
}

// goesOn reports whether some spelling may go on after the word of slot s
// that ends at text[we], judging by the byte there (a non-word byte) and the
// byte after it (after the white space, when it is white space), as the
// walk would read them.
func (m *matcher) goesOn(text string, we int, s *wordSlot) bool {
	if we == len(text) || s.next&m.afterBit[text[we]] == 0 {
		return false
	}
	j, then := we+1, s.then
	if isSpace[text[we]] {
		for j < len(text) && isSpace[text[j]] {
			j++
		}
		then = s.thenSpace
	}
	return j < len(text) && then&(1<<(m.class[text[j]]%64)) != 0
}

// ruleFailure says which rule rejected a candidate.
type ruleFailure uint8

const (
	passed ruleFailure = iota
	failCase
	failNotAfter
	failNotBefore
	failOnlyAfter
	failNumber
	failList
	failContextAny
	failContextNone
)

// accepts checks the context rules of a candidate at text[start:end].
func (a *aliasDef) accepts(m *matcher, text string, start, end int) bool {
	f, _ := a.check(m, text, start, end)
	return f == passed
}

// check returns the first rule a candidate fails and the phrase that made it
// fail, if any.
func (a *aliasDef) check(m *matcher, text string, start, end int) (ruleFailure, string) {
	if a.CaseSensitive && !sameSpelling(text[start:end], a.Text) {
		return failCase, ""
	}
	if len(a.NotAfter) > 0 {
		if p, ok := a.notAfterIdx.first(a.NotAfter, text[:start], false); ok {
			return failNotAfter, p
		}
	}
	if len(a.NotBefore) > 0 {
		if p, ok := a.notBeforeIdx.first(a.NotBefore, text[end:], true); ok {
			return failNotBefore, p
		}
	}
	if len(a.OnlyAfter) > 0 {
		if _, ok := a.onlyAfterIdx.first(a.OnlyAfter, text[:start], false); !ok {
			return failOnlyAfter, ""
		}
	}
	if a.NotBeforeNum {
		k := end
		for k < len(text) && (isSpace[text[k]] || text[k] == '\'' || text[k] == '-') {
			k++
		}
		if k < len(text) && '0' <= text[k] && text[k] <= '9' {
			return failNumber, ""
		}
	}
	if a.ListItem && !inList(text, start, end) && !m.besideSkill(text, start, end) {
		return failList, ""
	}
	if len(a.ContextAny) > 0 || len(a.ContextNone) > 0 {
		w := a.Window
		if w == 0 {
			w = 150
		}
		lo, hi := max(0, start-w), min(len(text), end+w)
		if len(a.ContextAny) > 0 {
			found := false
			for _, word := range a.ContextAny {
				if containsWord(text[lo:start], word) || containsWord(text[end:hi], word) {
					found = true
					break
				}
			}
			if !found {
				return failContextAny, ""
			}
		}
		for _, word := range a.ContextNone {
			if containsWord(text[lo:start], word) || containsWord(text[end:hi], word) {
				return failContextNone, word
			}
		}
	}
	return passed, ""
}

// phraseIndex groups a long list of rule phrases by the byte with which each
// meets a match (the last byte of a phrase before it, the first of one
// after it), so that a candidate is compared only with the phrases that
// can match it: those whose byte is the text's byte next to the match or
// next to the white space beside it.
type phraseIndex struct {
	off   [257]uint16 // the phrases of byte b: order[off[b]:off[b+1]]
	order []uint16    // list positions, ascending within each byte
}

// Below this many phrases a list is simply walked.
const minIndexedPhrases = 8

func firstByte(p string) byte { return p[0] }
func lastByte(p string) byte  { return p[len(p)-1] }

// newPhraseIndex indexes list by key, nil for a short list.
func newPhraseIndex(list []string, key func(string) byte) *phraseIndex {
	if len(list) < minIndexedPhrases || len(list) > 1<<16 {
		return nil
	}
	ix := &phraseIndex{}
	var count [256]int
	for _, p := range list {
		if p != "" {
			count[key(p)]++
		}
	}
	for b := range 256 {
		ix.off[b+1] = ix.off[b] + uint16(count[b])
	}
	ix.order = make([]uint16, ix.off[256])
	next := ix.off
	for k, p := range list {
		if p != "" {
			b := key(p)
			ix.order[next[b]] = uint16(k)
			next[b]++
		}
	}
	return ix
}

// first returns the first phrase of list, in list order, that side (the
// text before a match, or when after is true the text after it) ends (or
// starts) with as endsWithPhrase (startsWithPhrase) says. It compares only
// the phrases whose byte next to the match is right (see edgeBytes), and
// with an index only those the index gives for that byte.
func (ix *phraseIndex) first(list []string, side string, after bool) (string, bool) {
	ps := phraseSide{text: side, after: after}
	if after {
		ps.eb = afterWords(side)
	} else {
		ps.eb = beforeWords(side)
	}
	eb := ps.eb
	if ix == nil {
		for _, p := range list {
			if ps.may(p) && ps.has(p) {
				return p, true
			}
		}
		return "", false
	}
	var x, y []uint16
	if eb.spaced >= 0 {
		x = ix.order[ix.off[eb.spaced]:ix.off[eb.spaced+1]]
	}
	if eb.touching >= 0 && eb.touching != eb.spaced {
		y = ix.order[ix.off[eb.touching]:ix.off[eb.touching+1]]
	}
	// Both groups are in list order: merge them.
	for len(x) > 0 || len(y) > 0 {
		var k uint16
		if len(y) == 0 || (len(x) > 0 && x[0] < y[0]) {
			k, x = x[0], x[1:]
		} else {
			k, y = y[0], y[1:]
		}
		if p := list[k]; ps.may(p) && ps.has(p) {
			return p, true
		}
	}
	return "", false
}

// phraseSide is the text on one side of a match: before it, or after it
// when after is true.
type phraseSide struct {
	text  string
	eb    edgeBytes
	after bool
}

// may is false when has(p) must be false. It is the cheap test, made
// before has for every phrase.
func (ps *phraseSide) may(p string) bool {
	if ps.after {
		return ps.eb.mayStartWith(p)
	}
	return ps.eb.mayEndWith(p)
}

// has reports whether the text ends with p (starts with it, after a match).
func (ps *phraseSide) has(p string) bool {
	if ps.after {
		return startsWithPhrase(ps.text, p)
	}
	return endsWithPhrase(ps.text, p)
}

// edgeBytes are the bytes that a phrase ending (or starting) right at a
// match must end (or start) with, computed once per candidate so that most
// of the many phrases of a rule are turned down on one byte compare: the
// folded byte right at the match, and the one past the white space between.
type edgeBytes struct {
	touching, spaced int // folded byte, -1 where the text ends
}

func beforeWords(before string) edgeBytes {
	eb := edgeBytes{-1, -1}
	k := len(before)
	if k > 0 {
		eb.touching = int(foldByte[before[k-1]])
	}
	for k > 0 && isSpace[before[k-1]] {
		k--
	}
	if k > 0 {
		eb.spaced = int(foldByte[before[k-1]])
	}
	return eb
}

func afterWords(after string) edgeBytes {
	eb := edgeBytes{-1, -1}
	if len(after) > 0 {
		eb.touching = int(foldByte[after[0]])
	}
	k := 0
	for k < len(after) && isSpace[after[k]] {
		k++
	}
	if k < len(after) {
		eb.spaced = int(foldByte[after[k]])
	}
	return eb
}

// mayEndWith is false when endsWithPhrase(before, p) must be false.
func (eb edgeBytes) mayEndWith(p string) bool {
	if p == "" {
		return false
	}
	c := p[len(p)-1]
	if isWordByte[c] {
		return eb.spaced == int(c)
	}
	return eb.touching == int(c)
}

// mayStartWith is false when startsWithPhrase(after, p) must be false.
func (eb edgeBytes) mayStartWith(p string) bool {
	if p == "" {
		return false
	}
	c := p[0]
	if isWordByte[c] {
		return eb.spaced == int(c)
	}
	return eb.touching == int(c)
}

// sameSpelling compares a matched text with an alias, treating any run of
// white space in the text as the single space of the alias.
func sameSpelling(got, alias string) bool {
	i := 0
	for k := 0; k < len(alias); k++ {
		if i >= len(got) {
			return false
		}
		if alias[k] == ' ' && isSpace[got[i]] {
			for i < len(got) && isSpace[got[i]] {
				i++
			}
			continue
		}
		if got[i] != alias[k] {
			return false
		}
		i++
	}
	return i == len(got)
}

// endsWithPhrase reports whether before ends with phrase, case-insensitively,
// ignoring white space between the phrase and the match unless the phrase
// ends in punctuation that touches it ("objective-", "ex-"). A phrase that
// begins with a word byte must begin at a word start.
func endsWithPhrase(before, phrase string) bool {
	if phrase == "" {
		return false
	}
	k := len(before)
	if isWordByte[phrase[len(phrase)-1]] {
		for k > 0 && isSpace[before[k-1]] {
			k--
		}
	}
	if k < len(phrase) || !foldEqual(before[k-len(phrase):k], phrase) {
		return false
	}
	s := k - len(phrase)
	return !isWordByte[phrase[0]] || s == 0 || !isWordByte[before[s-1]]
}

// startsWithPhrase is the mirror of endsWithPhrase for the text after a match.
func startsWithPhrase(after, phrase string) bool {
	if phrase == "" {
		return false
	}
	k := 0
	if isWordByte[phrase[0]] {
		for k < len(after) && isSpace[after[k]] {
			k++
		}
	}
	if len(after)-k < len(phrase) || !foldEqual(after[k:k+len(phrase)], phrase) {
		return false
	}
	e := k + len(phrase)
	return !isWordByte[phrase[len(phrase)-1]] || e == len(after) || !isWordByte[after[e]]
}

// foldEqual reports whether s, ASCII case folded, equals lower, which the
// taxonomy parser has already folded. It checks the last byte first: phrases
// that fail mostly differ there.
func foldEqual(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	if len(s) > 0 && foldByte[s[len(s)-1]] != lower[len(lower)-1] {
		return false
	}
	for i := 0; i < len(s); i++ {
		if foldByte[s[i]] != lower[i] {
			return false
		}
	}
	return true
}

// containsWord reports whether s contains word case-insensitively at word
// boundaries. It visits the places where the word's first byte occurs, in
// either case, with strings.IndexByte.
func containsWord(s, word string) bool {
	if len(word) == 0 || len(s) < len(word) {
		return false
	}
	f0, u0 := foldByte[word[0]], word[0]
	if 'a' <= u0 && u0 <= 'z' {
		u0 -= 'a' - 'A'
	}
	if containsWordFrom(s, word, f0) {
		return true
	}
	return u0 != f0 && containsWordFrom(s, word, u0)
}

// containsWordFrom is containsWord at the places where s holds first.
func containsWordFrom(s, word string, first byte) bool {
	last := len(s) - len(word) // the last place the word fits
	for i := 0; i <= last; {
		k := strings.IndexByte(s[i:last+1], first)
		if k < 0 {
			return false
		}
		i += k
		e := i + len(word)
		if (i == 0 || !isWordByte[word[0]] || !isWordByte[s[i-1]]) &&
			(e == len(s) || !isWordByte[word[len(word)-1]] || !isWordByte[s[e]]) &&
			foldEqual(s[i:e], word) {
			return true
		}
		i++
	}
	return false
}

// besideSkill reports whether the word right before or right after
// text[start:end] (white space between, no other punctuation) is itself an
// unconditional spelling of a skill: "java spring linux" is a list even with
// its commas stripped.
func (m *matcher) besideSkill(text string, start, end int) bool {
	k := start
	for k > 0 && (text[k-1] == ' ' || text[k-1] == '\t') {
		k--
	}
	if k < start {
		ws := k
		for ws > 0 && !isSpace[text[ws-1]] && strings.IndexByte(",;:()/|", text[ws-1]) < 0 {
			ws--
		}
		word := text[ws:k]
		if m.isPlainAlias(word) {
			return true
		}
		if dash := strings.IndexByte(word, '-'); dash > 0 && m.isPlainAlias(word[:dash]) {
			return true
		}
	}
	k = end
	for k < len(text) && (text[k] == ' ' || text[k] == '\t') {
		k++
	}
	if k > end {
		we := k
		for we < len(text) && !isSpace[text[we]] && strings.IndexByte(",;:()/|", text[we]) < 0 {
			we++
		}
		for we > k && strings.IndexByte(".!?", text[we-1]) >= 0 {
			we--
		}
		word := text[k:we]
		if m.isPlainAlias(word) {
			return true
		}
		if dash := strings.IndexByte(word, '-'); dash > 0 {
			return m.isPlainAlias(word[:dash]) // "java-ee"
		}
		return false
	}
	return false
}

// isPlainAlias reports whether word is exactly a skill spelling that does
// not itself need a list to count (so two ambiguous words never vouch for
// each other).
func (m *matcher) isPlainAlias(word string) bool {
	if word == "" {
		return false
	}
	var n uint32
	for i := 0; i < len(word); i++ {
		c := m.class[word[i]]
		if c == 0 {
			return false
		}
		v := m.step(n, c)
		if v == 0 {
			return false
		}
		n = v & edgeIndex
	}
	for e := m.entOff[n]; e < m.entOff[n+1]; e++ {
		en := &m.ents[e]
		if en.skill < 0 {
			continue
		}
		if !en.ruled || !en.alias.ListItem && (!en.alias.CaseSensitive || sameSpelling(word, en.alias.Text)) {
			return true
		}
	}
	return false
}

// inList reports whether a match sits in a list: a separator such as a
// comma, slash or parenthesis right before or after it (white space aside).
func inList(text string, start, end int) bool {
	k := start - 1
	for k >= 0 && isSpace[text[k]] && text[k] != '\n' {
		k--
	}
	if k >= 0 && strings.IndexByte(",/(|&+:", text[k]) >= 0 {
		return true
	}
	k = end
	for k < len(text) && isSpace[text[k]] && text[k] != '\n' {
		k++
	}
	return k < len(text) && strings.IndexByte(",/)|&+", text[k]) >= 0
}

// Byte-parallel constants for nonWordBytes.
const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// nonWordBytes returns the high bit of each byte of x (eight bytes of text,
// little-endian) that is not a word byte. The range checks add a per-byte
// offset so that the high bit of each byte says whether the byte is in
// range, with no carry between bytes (the bytes are first cut to 7 bits).
// Setting bit 0x20 folds A-Z onto a-z, so one range finds all letters; it
// also folds 0x10-0x19 onto the digits and '_' onto DEL, which bit 0x20 of
// the byte itself tells apart.
func nonWordBytes(x uint64) uint64 {
	t := x&^msb | lsb*0x20
	letter := (t + lsb*(0x80-'a')) &^ (t + lsb*(0x80-'z'-1))
	digit := (t + lsb*(0x80-'0')) &^ (t + lsb*(0x80-'9'-1))
	del := t + lsb  // 0x7F: '_' or DEL
	bit20 := x << 2 // bit 0x20 of each byte, at its high bit
	word := letter | digit&bit20 | del&^bit20
	return (^word | x) & msb // non-ASCII bytes are not word bytes
}
