package extract

import (
	"cmp"
	"slices"
	"strings"
)

// Candidate is a frequent tech-looking term that no skill of the taxonomy
// matches: a hint that the taxonomy should learn it.
type Candidate struct {
	Term     string `json:"term"`     // the most common spelling
	Postings int    `json:"postings"` // how many texts name it
}

// notTech are capitalised or mixed-case words that look technical and are not.
var notTech = map[string]bool{
	"usa": true, "us": true, "uk": true, "eu": true, "emea": true, "apac": true, "latam": true, "nyc": true, "sf": true,
	"la": true, "dc": true, "ceo": true, "cto": true, "cfo": true, "coo": true, "vp": true, "hr": true, "pto": true,
	"ok": true, "faq": true, "remote": true, "onsite": true, "hybrid": true, "intern": true, "interns": true, "visa": true,
	"h1b": true, "h-1b": true, "full-time": true, "fulltime": true, "ft": true, "pt": true, "b2b": true, "b2c": true,
	"saas": true, "401k": true, "401(k)": true, "est": true, "pst": true, "cet": true, "utc": true, "gmt": true, "i": true,
	"a": true, "ii": true, "iii": true, "iv": true, "ai/ml": true, "q1": true, "q2": true, "q3": true, "q4": true,
	"yc": true, "ipo": true, "roi": true, "kpi": true, "kpis": true, "okrs": true, "dei": true, "llc": true, "inc": true,
	"phd": true, "bs": true, "ms": true, "bsc": true, "msc": true, "cs": true, "swe": true, "sde": true, "sre": true,
	"tbd": true, "asap": true, "url": true, "www": true, "http": true, "https": true, "com": true, "io": true, "and": true,
	"the": true, "we": true, "our": true, "you": true, "it": true, "ny": true, "ca": true, "wa": true, "tx": true,
	"ma": true, "co": true, "mvp": true, "usd": true, "eur": true, "gbp": true, "ote": true, "k": true, "ux": true,
	"hn": true, "cv": true, "gtm": true, "vc": true, "vcs": true, "arr": true, "hq": true, "mit": true, "pm": true,
	"pms": true, "jd": true, "or": true, "phds": true, "pdf": true, "pdfs": true, "u.s": true, "u.s.": true,
	"linkedin": true, "a16z": true, "ai": true, "ml": true, "nyc-based": true, "ceos": true, "ctos": true, "ic": true,
	"eng": true, "ny/sf": true, "sf/ny": true, "cad": true, "nda": true, "faqs": true,
}

// Candidates counts, over texts, the tech-looking terms that fall outside
// every skill match (CamelCase words such as "ClickHouse", words mixing
// letters and digits such as "k3s", dotted names such as "Bun.js",
// acronyms such as "CRDT") and returns those named by at least minPostings texts,
// most frequent first.
func Candidates(texts func(yield func(string) bool), t *Taxonomy, minPostings int) []Candidate {
	tg := NewTagger(t)
	type count struct {
		n        int
		spelling map[string]int
	}
	counts := map[string]*count{}
	seen := map[string]bool{}
	var buf []byte // the padded text, reused
	var hits []hit
	texts(func(text string) bool {
		var pad string
		pad, buf = padded(text, buf)
		hits = tg.m.scanPadded(pad, len(text), hits[:0], nil)
		clear(seen)
		for f := 0; f < len(text); {
			// One white-space separated field at a time; URLs and e-mail
			// addresses are skipped whole.
			for f < len(text) && isSpace[text[f]] {
				f++
			}
			fe := f
			for fe < len(text) && !isSpace[text[fe]] {
				fe++
			}
			field := text[f:fe]
			if strings.Contains(field, "://") || strings.Contains(field, "@") || strings.HasPrefix(field, "www.") {
				f = fe
				continue
			}
			for i := f; i < fe; {
				if !isWordByte[text[i]] {
					i++
					continue
				}
				j := min(termEnd(text, i), fe)
				term := strings.TrimRight(text[i:j], ".-")
				if techLooking(term) && !covered(hits, tg.m.ents, i, i+len(term)) {
					key := strings.ToLower(term)
					if !notTech[key] && !seen[key] {
						seen[key] = true
						c := counts[key]
						if c == nil {
							c = &count{spelling: map[string]int{}}
							counts[key] = c
						}
						c.n++
						c.spelling[term]++
					}
				}
				i = j
			}
			f = fe
		}
		return true
	})
	var out []Candidate
	for _, c := range counts {
		if c.n < minPostings {
			continue
		}
		best, bestN := "", -1
		for s, n := range c.spelling {
			if n > bestN || (n == bestN && s < best) {
				best, bestN = s, n
			}
		}
		out = append(out, Candidate{Term: best, Postings: c.n})
	}
	slices.SortFunc(out, func(a, b Candidate) int {
		if c := cmp.Compare(b.Postings, a.Postings); c != 0 {
			return c
		}
		return cmp.Compare(a.Term, b.Term)
	})
	return out
}

// termEnd extends a word over the punctuation that names keep: "Bun.js",
// "C++", "F#", "k8s", "Node-RED".
func termEnd(text string, i int) int {
	j := i
	for j < len(text) {
		c := text[j]
		switch {
		case isWordByte[c]:
			j++
		case (c == '.' || c == '-') && j+1 < len(text) && isWordByte[text[j+1]]:
			j++
		case c == '+' || c == '#':
			j++
		default:
			return j
		}
	}
	return j
}

func techLooking(term string) bool {
	if len(term) < 2 || len(term) > 30 {
		return false
	}
	if strings.Contains(term, "-") {
		// "Full-Stack", "ex-Google", "VC-backed" are words; "Node-RED",
		// "k8s-native" keep a technical part.
		for _, part := range strings.Split(term, "-") {
			if part != "" && !strings.Contains(part, "-") && !notTech[strings.ToLower(part)] && techLooking(part) {
				return true
			}
		}
		return false
	}
	var upper, lower, digit, inner int
	for k := 0; k < len(term); k++ {
		c := term[k]
		switch {
		case 'A' <= c && c <= 'Z':
			upper++
			if k > 0 {
				inner++
			}
		case 'a' <= c && c <= 'z':
			lower++
		case '0' <= c && c <= '9':
			digit++
		}
	}
	letters := upper + lower
	switch {
	case letters == 0:
		return false
	case strings.HasSuffix(strings.ToLower(term), ".js") || strings.HasSuffix(strings.ToLower(term), ".io"):
		return true
	case strings.ContainsAny(term, "+#"):
		return true
	case digit > 0 && letters >= 2 && !strings.HasSuffix(term, "k") && !strings.HasSuffix(term, "K"):
		return true // k3s, S3, EC2 (not salaries like 120k)
	case lower > 0 && inner > 0 && upper < len(term)-1:
		return term[0] >= 'A' && term[0] <= 'Z' || inner > 0 // ClickHouse, gRPC, iOS
	case lower == 0 && upper >= 2 && upper <= 6 && digit == 0:
		return true // CRDT, ETL
	case lower == 1 && term[len(term)-1] == 's' && upper >= 2 && digit == 0:
		return true // CRDTs
	}
	return false
}

func covered(hits []hit, ents []entry, start, end int) bool {
	for _, h := range hits {
		if ents[h.entry].skill < 0 {
			continue
		}
		if int(h.start) < end && start < int(h.end) {
			return true
		}
	}
	return false
}
