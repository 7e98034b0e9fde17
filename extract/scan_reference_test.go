package extract

import (
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// scan is scanPadded of text, padded in a buffer of its own.
func (m *matcher) scan(text string, out []hit, reject func(start, end int, e *entry)) []hit {
	pad, _ := padded(text, nil)
	return m.scanPadded(pad, len(text), out, reject)
}

// scanReference is the matcher without its shortcuts: it walks the trie from
// the root at every start, byte by byte, with no table of first words, no
// leaf flags and no pre-checks in the rules' phrase loops. scan must find
// exactly what it finds.
func (m *matcher) scanReference(text string, reject func(start, end int, e *entry)) []hit {
	var out []hit
	n := len(text)
	type acc struct {
		node uint32
		end  int
	}
	for i := 0; i < n; {
		next := i + 1
		if isWordByte[text[i]] {
			next = i + 1
			for next < n && isWordByte[text[next]] {
				next++
			}
			next++
		}
		var accs []acc
		edge := m.rows[m.class[text[i]]]
		for j := i + 1; edge != 0; j++ {
			node := edge & edgeIndex
			f := uint8(edge >> edgeShift)
			if f&(flagSkill|flagMarker) != 0 && (f&flagBoundary == 0 || j >= n || !isGlueByte[text[j]]) {
				if len(accs) == 16 {
					accs = accs[:15]
				}
				accs = append(accs, acc{node, j})
			}
			if j >= n || m.class[text[j]] == 0 {
				break
			}
			c := m.class[text[j]]
			edge = m.step(node, c)
			if c == m.spaceClass {
				for j+1 < n && isSpace[text[j+1]] {
					j++
				}
			}
		}
		skillEnd, markerDone := -1, false
		for k := len(accs) - 1; k >= 0; k-- {
			a := accs[k]
			for e := m.entOff[a.node]; e < m.entOff[a.node+1]; e++ {
				en := &m.ents[e]
				if en.skill < 0 || skillEnd >= 0 {
					continue
				}
				if en.ruled && !referenceAccepts(m, en.alias, text, i, a.end) {
					if reject != nil {
						reject(i, a.end, en)
					}
					continue
				}
				out = append(out, hit{int32(i), int32(a.end), int32(e), en.skill, en.marker})
			}
			for e := m.entOff[a.node]; e < m.entOff[a.node+1]; e++ {
				if en := &m.ents[e]; en.skill < 0 && !markerDone && (!en.ruled || referenceAccepts(m, en.alias, text, i, a.end)) {
					out = append(out, hit{int32(i), int32(a.end), int32(e), en.skill, en.marker})
				}
			}
			for _, h := range out {
				if int(h.start) == i && int(h.end) == a.end {
					if m.ents[h.entry].skill >= 0 {
						skillEnd = a.end
					} else {
						markerDone = true
					}
				}
			}
		}
		if skillEnd >= 0 {
			resume := skillEnd
			if isWordByte[text[skillEnd-1]] {
				resume++
			}
			next = max(next, resume)
		}
		i = next
	}
	return out
}

// referenceAccepts applies an alias's rules the plain way: every phrase
// compared in full, context words found by trying every offset.
func referenceAccepts(m *matcher, a *aliasDef, text string, start, end int) bool {
	if a.CaseSensitive && !sameSpelling(text[start:end], a.Text) {
		return false
	}
	for _, p := range a.NotAfter {
		if endsWithPhrase(text[:start], p) {
			return false
		}
	}
	for _, p := range a.NotBefore {
		if startsWithPhrase(text[end:], p) {
			return false
		}
	}
	if len(a.OnlyAfter) > 0 {
		ok := false
		for _, p := range a.OnlyAfter {
			ok = ok || endsWithPhrase(text[:start], p)
		}
		if !ok {
			return false
		}
	}
	if f, _ := a.check(m, text, start, end); f == failNumber || f == failList {
		return false
	}
	if len(a.ContextAny) > 0 || len(a.ContextNone) > 0 {
		w := a.Window
		if w == 0 {
			w = 150
		}
		lo, hi := max(0, start-w), min(len(text), end+w)
		near := func(word string) bool {
			return referenceContains(text[lo:start], word) || referenceContains(text[end:hi], word)
		}
		if len(a.ContextAny) > 0 {
			found := false
			for _, word := range a.ContextAny {
				found = found || near(word)
			}
			if !found {
				return false
			}
		}
		for _, word := range a.ContextNone {
			if near(word) {
				return false
			}
		}
	}
	return true
}

func referenceContains(s, word string) bool {
	for i := 0; i+len(word) <= len(s); i++ {
		e := i + len(word)
		if i > 0 && isWordByte[word[0]] && isWordByte[s[i-1]] {
			continue
		}
		if e < len(s) && isWordByte[word[len(word)-1]] && isWordByte[s[e]] {
			continue
		}
		if strings.EqualFold(s[i:e], word) {
			return true
		}
	}
	return false
}

// TestScanMatchesReference compares the matcher with scanReference on the
// gold set and on random texts made of gold-set words, mixed case, numbers,
// punctuation and stray UTF-8, so that every shortcut of the fast scan is
// checked against the plain walk, rejections included. Some texts run to
// tens of kilobytes and some words past 64 and 128 bytes, so that words
// cross blocks and the scan classifies and walks in several rounds.
func TestScanMatchesReference(t *testing.T) {
	tg := defaultTagger(t)
	var texts, vocab []string
	for _, g := range loadGold(t) {
		texts = append(texts, Text(g.posting))
		vocab = append(vocab, strings.Fields(g.posting.Description)...)
	}
	seps := []string{" ", "  ", "\n", ", ", "/", "-", ".", "(", ")", "\t", "", "$", "€", "—", "+", "#", ": ", " - ", "\u00a0", "\x80"}
	r := rand.New(rand.NewPCG(4, 2026))
	for k := range 3300 {
		var b strings.Builder
		words := 1 + r.IntN(60)
		if k >= 3000 {
			words = 1 + r.IntN(3000)
		}
		for range words {
			word := vocab[r.IntN(len(vocab))]
			switch r.IntN(9) {
			case 0:
				word = strings.ToUpper(word)
			case 1:
				word = strings.ToLower(word)
			case 2:
				word = strings.Repeat(word, 2) // long words past the 8-byte table
			case 3:
				word = strconv.Itoa(r.IntN(200000))
			case 4:
				if r.IntN(20) == 0 {
					word = strings.Repeat(word, 10+r.IntN(30)) // across blocks
				}
			}
			b.WriteString(word)
			b.WriteString(seps[r.IntN(len(seps))])
		}
		texts = append(texts, b.String())
	}
	type rejection struct {
		start, end int
		e          *entry
	}
	for _, text := range texts {
		var gotRej, wantRej []rejection
		got := tg.m.scan(text, nil, func(s, e int, en *entry) { gotRej = append(gotRej, rejection{s, e, en}) })
		want := tg.m.scanReference(text, func(s, e int, en *entry) { wantRej = append(wantRej, rejection{s, e, en}) })
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("scan differs from the reference on %q:\n got  %v\n want %v", text, got, want)
		}
		if !reflect.DeepEqual(gotRej, wantRej) {
			t.Fatalf("rejections differ from the reference on %q:\n got  %v\n want %v", text, gotRej, wantRej)
		}
	}
}

// FuzzScanMatchesReference compares the matcher with scanReference on
// arbitrary bytes.
func FuzzScanMatchesReference(f *testing.F) {
	for _, s := range []string{
		"Go, C/C++, R&D, Series C, Objective-C", "—Go— «Rust» Node.js/Express", "$120k-$150k €60,000 US$ a$",
		"Kubernetes_kubernetesX postgresqlpostgresql", "\xff\xfeGo\x80 java\x80script", "nice to have: SQL\nServer",
	} {
		f.Add(s)
	}
	tg := defaultTagger(f)
	f.Fuzz(func(t *testing.T, text string) {
		type rejection struct {
			start, end int
			e          *entry
		}
		var gotRej, wantRej []rejection
		got := tg.m.scan(text, nil, func(s, e int, en *entry) { gotRej = append(gotRej, rejection{s, e, en}) })
		want := tg.m.scanReference(text, func(s, e int, en *entry) { wantRej = append(wantRej, rejection{s, e, en}) })
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotRej, wantRej) {
			t.Fatalf("scan differs from the reference on %q:\n got  %v %v\n want %v %v", text, got, gotRej, want, wantRej)
		}
	})
}
