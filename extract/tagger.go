package extract

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"unsafe"

	"github.com/skilltrend/skilltrend"
)

// Tagger tags postings against one taxonomy. It does not change after
// NewTagger (apart from a sync.Pool of scratch buffers) and is safe for
// concurrent use.
type Tagger struct {
	tax         *Taxonomy
	m           *matcher
	skillRole   []skilltrend.Role // the role each skill suggests, "" for none
	skillRank   []int32           // the place of each skill in the order of skill ids
	skillID     []string          // the id of each skill, packed for tags
	scratchPool sync.Pool         // *scratch, so tagging allocates only its results
}

// NewTagger compiles the taxonomy's aliases and the tagger's own marker
// phrases into one matcher.
func NewTagger(t *Taxonomy) *Tagger {
	var ents []entry
	for si := range t.skills {
		s := &t.skills[si]
		for ai := range s.aliases {
			a := &s.aliases[ai]
			ents = append(ents, entry{text: a.Text, skill: int32(si), alias: a, ruled: a.hasRule()})
		}
	}
	// Marker phrases in a fixed order so the matcher is the same every run.
	for mk := markNone + 1; mk < markLast; mk++ {
		for _, p := range markerPhrases[mk] {
			ents = append(ents, entry{text: p, skill: -1, marker: mk})
			if roleOf[mk] != "" && (strings.HasSuffix(p, "engineer") || strings.HasSuffix(p, "developer") || strings.HasSuffix(p, "scientist")) {
				ents = append(ents, entry{text: p + "s", skill: -1, marker: mk})
			}
		}
	}
	for _, am := range anchoredMarkers {
		a := &aliasDef{Text: am.word, OnlyAfter: am.after}
		ents = append(ents, entry{text: am.word, skill: -1, marker: am.mk, alias: a, ruled: true})
	}
	tg := &Tagger{tax: t, m: newMatcher(ents), skillRole: make([]skilltrend.Role, len(t.skills)), skillRank: make([]int32, len(t.skills)), skillID: make([]string, len(t.skills))}
	byID := make([]int32, len(t.skills))
	for i := range t.skills {
		tg.skillRole[i] = roleOfSkill(&t.skills[i])
		tg.skillID[i] = t.skills[i].ID
		byID[i] = int32(i)
	}
	slices.SortFunc(byID, func(x, y int32) int { return cmp.Compare(t.skills[x].ID, t.skills[y].ID) })
	for rank, si := range byID {
		tg.skillRank[si] = int32(rank)
	}
	return tg
}

// Taxonomy returns the taxonomy the tagger was built from.
func (tg *Tagger) Taxonomy() *Taxonomy { return tg.tax }

// Text is the text a posting is tagged on and that match offsets refer to:
// the title, a newline, then the description.
func Text(p skilltrend.Posting) string {
	return p.Title + "\n" + p.Description
}

// Extract tags one posting. Tags are sorted by skill id and matches by
// offset, so the result depends only on the posting and the taxonomy.
func (tg *Tagger) Extract(p skilltrend.Posting) skilltrend.Extraction {
	sc := tg.scratch()
	// The text is assembled in a reused buffer rather than allocated per
	// posting. Nothing of the result may point into it: matches get their
	// text from the posting's own strings (see tags), and role, level,
	// work mode and salary are built from constants and numbers.
	sc.text = append(append(append(sc.text[:0], p.Title...), '\n'), p.Description...)
	n := len(sc.text)
	sc.text = append(sc.text, make([]byte, padding)...)
	a := tg.analyze(unsafe.String(unsafe.SliceData(sc.text), len(sc.text)), n, len(p.Title), sc, &p)
	ex := skilltrend.Extraction{
		PostingID:       p.ID(),
		TaxonomyVersion: tg.tax.version,
		Tags:            a.tags,
		Role:            a.role,
		Seniority:       a.seniority,
		WorkMode:        a.workMode,
		Salary:          a.salary,
	}
	if p.WorkMode != "" && p.WorkMode != skilltrend.WorkModeUnknown {
		ex.WorkMode = p.WorkMode
	}
	if p.Salary != nil {
		if s := annualise(*p.Salary); s != nil {
			ex.Salary = s
		}
	}
	sc.hits, sc.spans = a.hits, a.optional
	tg.scratchPool.Put(sc)
	return ex
}

// postingText returns Text(p)[start:end] for a posting's title and
// description, as a string of the posting's own (a copy only for a match
// across the newline after the title).
func postingText(title, desc string, start, end int) string {
	t := len(title)
	switch {
	case end <= t:
		return title[start:end]
	case start > t:
		return desc[start-t-1 : end-t-1]
	}
	return (title + "\n" + desc)[start:end]
}

// scratch is the memory one Extract call works in, reused through a pool.
type scratch struct {
	text  []byte
	hits  []hit
	spans []span
	tagOf []int32 // per skill: 1 + the index of its tag while tags runs, else 0
}

func (tg *Tagger) scratch() *scratch {
	if sc, ok := tg.scratchPool.Get().(*scratch); ok {
		return sc
	}
	return &scratch{text: make([]byte, 0, 4096), hits: make([]hit, 0, 64), tagOf: make([]int32, len(tg.tax.skills))}
}

// analysis is everything learnt from one text, kept with the raw hits so
// that Explain can show why.
type analysis struct {
	hits      []hit
	optional  []span // ranges whose skills are only nice to have
	tags      []skilltrend.Tag
	role      skilltrend.Role
	seniority skilltrend.Seniority
	workMode  skilltrend.WorkMode
	salary    *skilltrend.Salary
}

type span struct{ start, end int }

// analyze reads everything from text, the first n bytes of pad (which holds
// padding zero bytes after them). text is Text(*p) when p is not nil: then
// match texts are cut from p's strings rather than from text. The hits and
// optional spans are kept in sc's memory.
func (tg *Tagger) analyze(pad string, n, titleLen int, sc *scratch, p *skilltrend.Posting) analysis {
	var a analysis
	text := pad[:n]
	a.hits = tg.m.scanPadded(pad, n, sc.hits[:0], nil)
	a.optional = optionalSpans(text, titleLen, a.hits, sc.spans[:0])
	a.tags = tg.tags(text, a.hits, a.optional, titleLen, p, sc.tagOf)
	// Role and level are read first from the headline: the title, or for
	// postings without one (HN comments) the first line, which there
	// reads "Company | Senior Backend Engineer | Remote".
	headline := titleLen
	if titleLen == 0 {
		headline = len(text)
		if nl := strings.IndexByte(text[1:], '\n'); nl >= 0 {
			headline = nl + 1
		}
	}
	fc := countFacts(a.hits, tg.skillRole, headline)
	a.role = role(&fc)
	a.seniority = seniority(text, a.hits, &fc, headline)
	a.workMode = workMode(&fc)
	a.salary = findSalary(text, a.hits, tg.m.ents)
	return a
}

// tags builds the tags of the skill hits. tagOf is all zeros on entry and
// on return; in between it finds a skill's tag without a search.
func (tg *Tagger) tags(text string, hits []hit, optional []span, titleLen int, p *skilltrend.Posting, tagOf []int32) []skilltrend.Tag {
	// First pass: which skills have hits and how many, so that tags and
	// matches are allocated once.
	var ownerBuf [32]int32
	owner := ownerBuf[:0] // skill index of tags[k]
	var countBuf [32]int
	counts := countBuf[:0]
	nMatches := 0
	for _, h := range hits {
		if h.skill < 0 {
			continue
		}
		k := tagOf[h.skill]
		if k == 0 {
			owner = append(owner, h.skill)
			counts = append(counts, 0)
			k = int32(len(owner))
			tagOf[h.skill] = k
		}
		counts[k-1]++
		nMatches++
	}
	if len(owner) == 0 {
		return nil
	}
	// Tags in the order of skill ids (the skills of a posting are few).
	rank := tg.skillRank
	for a := 1; a < len(owner); a++ {
		for b := a; b > 0 && rank[owner[b-1]] > rank[owner[b]]; b-- {
			owner[b-1], owner[b] = owner[b], owner[b-1]
			counts[b-1], counts[b] = counts[b], counts[b-1]
		}
	}
	tags := make([]skilltrend.Tag, len(owner))
	backing := make([]skilltrend.Match, nMatches)
	off := 0
	for k, si := range owner {
		tags[k] = skilltrend.Tag{SkillID: tg.skillID[si], Matches: backing[off : off : off+counts[k]]}
		off += counts[k]
		tagOf[si] = int32(k + 1)
	}
	for _, h := range hits {
		if h.skill < 0 {
			continue
		}
		t := &tags[tagOf[h.skill]-1]
		start, end := int(h.start), int(h.end)
		if n := len(t.Matches); n > 0 && t.Matches[n-1].Start == start {
			continue // two spellings of one skill at one place
		}
		var spelled string
		if p != nil {
			spelled = postingText(p.Title, p.Description, start, end)
		} else {
			spelled = text[start:end]
		}
		t.Matches = append(t.Matches, skilltrend.Match{Start: start, End: end, Text: spelled})
		if !t.Required && (start < titleLen || !inSpans(optional, start)) {
			t.Required = true
		}
	}
	for _, si := range owner {
		tagOf[si] = 0
	}
	return tags
}

func inSpans(spans []span, pos int) bool {
	for _, s := range spans {
		if s.start <= pos && pos < s.end {
			return true
		}
	}
	return false
}

// optionalSpans finds the parts of a text whose skills are only nice to
// have: sections under a heading such as "Nice to have:" or "Bonus points"
// (up to the next heading), and sentences that say "... is a plus",
// "... preferred", "Bonus: ...". It appends them to out.
//
// Only the lines from the first optional marker on are read: a heading
// before it can neither be optional nor end an optional section. And the
// lines after the last one are read up to the first heading, which ends
// the last section.
func optionalSpans(text string, titleLen int, hits []hit, out []span) []span {
	first, last := -1, -1 // the first and last optional marker outside the title
	for _, h := range hits {
		if h.marker == markOptional && int(h.start) >= titleLen {
			if first < 0 {
				first = int(h.start)
			}
			last = int(h.start)
		}
	}
	if first < 0 {
		return out
	}
	type heading struct {
		start, end int // the line
		optional   bool
	}
	var headBuf [16]heading
	heads := headBuf[:0]
	hi := 0
	for ls := max(titleLen+1, strings.LastIndexByte(text[:first], '\n')+1); ls < len(text); {
		le := strings.IndexByte(text[ls:], '\n')
		if le < 0 {
			le = len(text)
		} else {
			le += ls
		}
		// Hits on this line.
		for hi < len(hits) && int(hits[hi].start) < ls {
			hi++
		}
		hj := hi
		for hj < len(hits) && int(hits[hj].start) < le {
			hj++
		}
		if isHeading(text[ls:le], hits[hi:hj]) {
			h := heading{start: ls, end: le}
			for _, x := range hits[hi:hj] {
				if x.marker == markOptional {
					h.optional = true
				}
			}
			heads = append(heads, h)
			if ls > last {
				break
			}
		}
		ls = le + 1
	}
	for i, h := range heads {
		if !h.optional {
			continue
		}
		end := len(text)
		if i+1 < len(heads) {
			end = heads[i+1].start
		}
		out = append(out, span{h.start, end})
	}
	for _, x := range hits {
		if x.marker != markOptional || int(x.start) < titleLen {
			continue
		}
		if inSpans(out, int(x.start)) {
			continue
		}
		out = append(out, sentenceAround(text, int(x.start), int(x.end)))
	}
	return out
}

// isHeading reports whether a line reads as a section heading: it ends with a
// colon, starts with '#', or is short and names no skill.
func isHeading(line string, hits []hit) bool {
	trimmed := strings.TrimSpace(line)
	t := trimHeadingMarks(trimmed)
	if t == "" || len(t) > 70 {
		return false
	}
	if strings.HasSuffix(t, ":") {
		return true
	}
	if strings.HasPrefix(trimmed, "#") {
		return true
	}
	if len(t) > 40 || strings.ContainsAny(t, ",.;") {
		return false
	}
	for _, h := range hits {
		if h.skill >= 0 {
			return false
		}
	}
	return true
}

// trimHeadingMarks is strings.TrimRight(strings.TrimLeft(t, "#*-•=> "),
// "*#= "), byte by byte.
func trimHeadingMarks(t string) string {
	for len(t) > 0 {
		if c := t[0]; c == '#' || c == '*' || c == '-' || c == '=' || c == '>' || c == ' ' {
			t = t[1:]
		} else if strings.HasPrefix(t, "•") {
			t = t[len("•"):]
		} else {
			break
		}
	}
	for len(t) > 0 {
		if c := t[len(t)-1]; c == '*' || c == '#' || c == '=' || c == ' ' {
			t = t[:len(t)-1]
		} else {
			break
		}
	}
	return t
}

// endsSentence reports whether c is one of . ! ? ; which end a sentence
// when white space follows.
func endsSentence(c byte) bool { return c == '.' || c == '!' || c == '?' || c == ';' }

// sentenceAround returns the sentence holding text[start:end]: bounded by line
// breaks and by . ! ? ; followed by white space.
func sentenceAround(text string, start, end int) span {
	s := start
	for s > 0 {
		c := text[s-1]
		if c == '\n' {
			break
		}
		if s-2 >= 0 && isSpace[c] && endsSentence(text[s-2]) {
			break
		}
		s--
	}
	e := end
	for e < len(text) {
		c := text[e]
		if c == '\n' {
			break
		}
		if endsSentence(c) && (e+1 == len(text) || isSpace[text[e+1]]) {
			break
		}
		e++
	}
	// "PHP (Laravel a bonus), JavaScript": only the parenthesis is optional.
	if open := strings.LastIndexByte(text[s:start], '('); open >= 0 && !strings.Contains(text[s+open:start], ")") {
		if closing := strings.IndexByte(text[end:e], ')'); closing >= 0 {
			return span{s + open, end + closing + 1}
		}
	}
	return span{s, e}
}
