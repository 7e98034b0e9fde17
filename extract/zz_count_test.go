package extract

import "testing"

func TestZZCount(t *testing.T) {
	tg := defaultTagger(t)
	m := tg.m
	words, hits, long, longHits, nonword, nonwordEdge := 0, 0, 0, 0, 0, 0
	for _, g := range loadGold(t) {
		text := Text(g.posting)
		for i := 0; i < len(text); {
			if !isWordByte[text[i]] {
				nonword++
				if m.rows[m.class[text[i]]] != 0 {
					nonwordEdge++
				}
				i++
				continue
			}
			we := wordEnd(text, i+1)
			words++
			if we-i <= 8 {
				if m.lookupWord(wordKey(text, i, we-i)) != 0 {
					hits++
				}
			} else {
				long++
				if m.hasPrefix(wordKey(text, i, 8)) {
					longHits++
				}
			}
			i = we
		}
	}
	nshort := 0
	for _, s := range m.words {
		if s.key != 0 {
			nshort++
		}
	}
	t.Logf("words %d hits %d long %d longHits %d nonword %d nonwordEdge %d; table %d keys %d nodes %d", words, hits, long, longHits, nonword, nonwordEdge, len(m.words), nshort, len(m.nodes))
}
