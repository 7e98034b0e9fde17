package analytics

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"math/bits"
	"net"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/cespare/xxhash/v2"
)

// Duplicate detection parameters, documented in docs/schema.md.
const (
	repostWindow    = 90 * 24 * time.Hour // a duplicate follows its original within this time
	maxHamming      = 3                   // SimHash bits that may differ between near-duplicates
	minFingerprintW = 8                   // descriptions with fewer words get no fingerprint
)

// trackingParams are query parameters that do not identify a page.
var trackingParams = map[string]bool{
	"gh_src": true, "ref": true, "source": true, "src": true, "lever-source": true,
	"lever-origin": true, "trk": true, "trackingid": true, "refid": true, "fbclid": true, "gclid": true,
}

// canonicalURL normalises a posting URL for duplicate detection: https
// scheme, lower-case host without "www.", no default port, fragment, utm_* or
// other tracking parameters, or trailing slash. It returns "" for anything
// but an absolute http(s) URL.
func canonicalURL(raw string) string {
	raw = strings.TrimSpace(raw)
	if canonicalAlready(raw) {
		return raw
	}
	return canonicalParsed(raw)
}

// canonicalAlready reports whether raw is its own canonical form in the
// common shape that needs no parsing: https, a lower-case host of letters,
// digits, dots and hyphens without "www." or a port, a path of unreserved
// characters without a trailing slash, and at most one key=value parameter
// of unreserved characters that is not a tracking one. Parsing, re-encoding
// and rebuilding such a URL gives it back unchanged, at about 1 CPU-second
// per million postings (FuzzCanonicalURL checks that the two agree).
func canonicalAlready(raw string) bool {
	rest, ok := strings.CutPrefix(raw, "https://")
	if !ok || strings.HasPrefix(rest, "www.") {
		return false
	}
	end := strings.IndexAny(rest, "/?")
	if end < 0 {
		end = len(rest)
	}
	if end == 0 || !plainHost(rest[:end]) {
		return false
	}
	path, query, hasQuery := strings.Cut(rest[end:], "?")
	if strings.HasSuffix(path, "/") || !unreservedOnly(path, true) {
		return false
	}
	if !hasQuery {
		return true
	}
	key, value, ok := strings.Cut(query, "=")
	if !ok || key == "" || !unreservedOnly(key, false) || !unreservedOnly(value, false) {
		return false
	}
	key = strings.ToLower(key)
	return !strings.HasPrefix(key, "utm_") && !trackingParams[key]
}

// plainHost reports whether host holds only lower-case letters, digits,
// dots and hyphens.
func plainHost(host string) bool {
	for i := 0; i < len(host); i++ {
		if c := host[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// unreservedOnly reports whether s holds only letters, digits and "-._~"
// (characters no URL escaping changes), and "/" when slash is true.
func unreservedOnly(s string, slash bool) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '.', c == '_', c == '~':
		case c == '/' && slash:
		default:
			return false
		}
	}
	return true
}

// canonicalParsed is canonicalURL by parsing and rebuilding the URL.
func canonicalParsed(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return ""
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		u.Scheme = "https"
	default:
		return ""
	}
	host := strings.ToLower(u.Hostname())
	if host = strings.TrimPrefix(host, "www."); host == "" {
		return "" // "www." alone names no host
	}
	switch p := u.Port(); {
	case p != "" && p != "80" && p != "443":
		host = net.JoinHostPort(host, p)
	case strings.Contains(host, ":"): // IPv6 literal
		host = "[" + host + "]"
	}
	u.Host = host
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	q := u.Query()
	for k := range q {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "utm_") || trackingParams[lk] {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode() // sorted by key
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u.String()
}

// words splits text into lower-case runs of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '+' && r != '#'
	})
}

// FNV-1a 64-bit parameters (hash/fnv), inlined in SimHash.
const (
	fnvOffset64 = 14695981039346656037
	fnvPrime64  = 1099511628211
)

// SimHash returns a 64-bit SimHash of text over word 3-shingles, so that
// texts differing in a few words differ in a few bits. Texts with fewer than
// 8 words get 0, meaning "no fingerprint". Words are those of words().
func SimHash(text string) uint64 {
	fp, _ := simHashFNV(text, fnvOffset64)
	return fp
}

// simHashFNV returns SimHash(text) and, from the same pass over text, h
// advanced by FNV-1a over text's bytes: a posting's content hash runs over
// its description too (contentHashAndFingerprint), and a fourth multiply
// chain in this loop costs less than a second pass over a kilobyte and more
// of text.
func simHashFNV(text string, h uint64) (uint64, uint64) {
	// One pass over the text, which lower-cases and splits it as words()
	// does (strings.ToLower maps every rune with unicode.ToLower, an
	// invalid byte becoming U+FFFD) and hashes each word's bytes as they
	// come. FNV-1a is inlined: this runs for every stored posting. Each
	// byte goes into the three shingles that hold its word at once: three
	// independent multiply chains, which the CPU overlaps, instead of one
	// chain three times as long. The three updates are written out where
	// they occur: an inlined method on a struct of the three hashes made
	// this loop 5-35 % slower.
	//
	// Count, per bit, how many shingle hashes have it set; a bit of the
	// fingerprint is set when more than half of them do. The hashes are
	// collected and counted a block at a time (countBits), outside this
	// loop: counting each where it ends made the loop about 10 % slower.
	var ones [64]int32
	var block [128]uint64
	n, nb, nw := int32(0), 0, 0
	var third, second uint64     // shingles begun two words and one word ago
	first := uint64(fnvOffset64) // the shingle that begins with this word
	inWord := false
	// The end of the text (i == len(text)) reads as a NUL byte: it ends
	// the last word.
	for i := 0; i <= len(text); {
		var c byte
		if i < len(text) {
			c = text[i]
		}
		if c < utf8.RuneSelf {
			if i < len(text) {
				h = (h ^ uint64(c)) * fnvPrime64
			}
			i++
			if l := asciiWordLower[c]; l != 0 {
				v := uint64(l)
				third = (third ^ v) * fnvPrime64
				second = (second ^ v) * fnvPrime64
				first = (first ^ v) * fnvPrime64
				inWord = true
				continue
			}
		} else {
			r, size := utf8.DecodeRuneInString(text[i:])
			for _, b := range []byte(text[i : i+size]) {
				h = (h ^ uint64(b)) * fnvPrime64
			}
			i += size
			if r = unicode.ToLower(r); unicode.IsLetter(r) || unicode.IsDigit(r) {
				var enc [utf8.UTFMax]byte
				for _, b := range utf8.AppendRune(enc[:0], r) {
					v := uint64(b)
					third = (third ^ v) * fnvPrime64
					second = (second ^ v) * fnvPrime64
					first = (first ^ v) * fnvPrime64
				}
				inWord = true
				continue
			}
		}
		if !inWord {
			continue
		}
		// A word ended: each shingle holding it takes the space after it.
		inWord = false
		third = (third ^ ' ') * fnvPrime64
		second = (second ^ ' ') * fnvPrime64
		first = (first ^ ' ') * fnvPrime64
		if nw >= 2 { // the shingle of words nw-2, nw-1 and nw is complete
			block[nb] = third
			if nb++; nb == len(block) {
				countBits(&ones, block[:])
				nb = 0
			}
			n++
		}
		nw++
		third, second, first = second, first, fnvOffset64
	}
	if nw < minFingerprintW {
		return 0, h
	}
	countBits(&ones, block[:nb])
	var fp uint64
	for b := range 64 {
		if 2*ones[b]-n > 0 {
			fp |= 1 << b
		}
	}
	if fp == 0 {
		fp = 1 // 0 is reserved for "no fingerprint"
	}
	return fp, h
}

// bitSpread[v] has bit j of v in the low bit of byte j.
var bitSpread = func() (t [256]uint64) {
	for v := range t {
		for j := range 8 {
			t[v] |= uint64(v>>j&1) << (8 * j)
		}
	}
	return t
}()

// countBits adds to ones, per bit, how many of hs have it set. It counts
// eight bits to a word, one byte each (bitSpread), and moves the counts to
// ones before a byte can overflow.
func countBits(ones *[64]int32, hs []uint64) {
	for len(hs) > 0 {
		k := min(len(hs), 255)
		var acc [8]uint64
		for _, h := range hs[:k] {
			acc[0] += bitSpread[byte(h)]
			acc[1] += bitSpread[byte(h>>8)]
			acc[2] += bitSpread[byte(h>>16)]
			acc[3] += bitSpread[byte(h>>24)]
			acc[4] += bitSpread[byte(h>>32)]
			acc[5] += bitSpread[byte(h>>40)]
			acc[6] += bitSpread[byte(h>>48)]
			acc[7] += bitSpread[byte(h>>56)]
		}
		flushCounts(ones, &acc)
		hs = hs[k:]
	}
}

// flushCounts adds the byte counters of acc to ones and clears acc.
func flushCounts(ones *[64]int32, acc *[8]uint64) {
	for k, a := range acc {
		for j := range 8 {
			ones[8*k+j] += int32(a >> (8 * j) & 0xff)
		}
		acc[k] = 0
	}
}

// asciiWordLower maps the ASCII bytes that belong to words to their lower
// case, and the others to 0.
var asciiWordLower = func() (t [utf8.RuneSelf]byte) {
	for c := range t {
		r := rune(c)
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '+' || r == '#' {
			t[c] = byte(unicode.ToLower(r))
		}
	}
	return t
}()

// companySuffixes are legal forms dropped when comparing company names.
var companySuffixes = map[string]bool{
	"inc": true, "llc": true, "ltd": true, "limited": true, "gmbh": true, "corp": true,
	"corporation": true, "co": true, "plc": true, "sa": true, "ag": true, "bv": true, "srl": true,
}

// companyKey normalises a company name: lower case, letters and digits,
// without legal-form suffixes.
func companyKey(name string) string { return string(appendCompanyKey(nil, name)) }

// appendCompanyKey appends companyKey(name) to dst: its words, then the last
// word dropped while it is a legal form and not the only word.
func appendCompanyKey(dst []byte, name string) []byte {
	start := len(dst)
	dst = appendWords(dst, name)
	for {
		i := bytes.LastIndexByte(dst[start:], ' ')
		if i < 0 || !companySuffixes[string(dst[start+i+1:])] {
			return dst
		}
		dst = dst[:start+i]
	}
}

// dedupKeys are a posting's fixed-width duplicate-detection keys, stored in
// the url_key and company_key columns when the posting is stored.
type dedupKeys struct {
	url     uint64 // 0 when the posting has no canonical URL
	company uint64
}

// keysOf computes the keys from a posting's canonical URL, title and company.
// 64-bit hashes stand in for the strings: two different URL-and-title pairs
// share a key with a probability of about 1 in 10^19 per pair.
func keysOf(canonical, title, company string) dedupKeys {
	var k dedupKeys
	var buf [256]byte // the text hashed, built here for short fields
	if canonical != "" {
		b := appendWords(append(append(buf[:0], canonical...), 0), title)
		k.url = max(xxhash.Sum64(b), 1)
	}
	k.company = xxhash.Sum64(appendCompanyKey(buf[:0], company))
	return k
}

// appendWords appends the words of s, as words() finds them, joined by
// single spaces, to dst. ASCII text is lower-cased and split byte by byte,
// without the strings words() allocates; any other goes through words().
func appendWords(dst []byte, s string) []byte {
	start := len(dst)
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return append(dst[:start], strings.Join(words(s), " ")...)
		}
		if l := asciiWordLower[c]; l != 0 {
			if !inWord && len(dst) > start {
				dst = append(dst, ' ')
			}
			dst = append(dst, l)
			inWord = true
		} else {
			inWord = false
		}
	}
	return dst
}

// urlValue is the url_key column's value.
func (k dedupKeys) urlValue() driver.Value {
	if k.url == 0 {
		return nil
	}
	return k.url
}

// Why a posting duplicates another: the duplicate_reason column, coded.
const (
	reasonNone uint8 = iota
	reasonURL
	reasonText
)

var reasonNames = [...]string{reasonNone: "", reasonURL: "url", reasonText: "text"}

// dedupPosting is what duplicate detection knows of a posting.
type dedupPosting struct {
	id      int64
	at      int64  // time basis, Unix microseconds: posted_at, else first_seen
	urlKey  uint64 // dedupKeys.url
	company uint64 // dedupKeys.company
	fp      uint64
	// results
	dupOf  int64 // 0 when the posting is a distinct job
	reason uint8
}

// bandEntry is a posting in the index of one band: its company number and
// the band's 16 bits of its fingerprint (key), and its place in time order.
type bandEntry struct {
	key uint64 // company<<16 | band bits
	i   int32
}

// bandIndex lists, for one band, the postings with a fingerprint sorted by
// key and then time, with each posting's place in the list: the postings
// that share a posting's band and come before it in time are the entries
// just before its own. Sorting once costs far less than a hash map of
// lists, whose every lookup missed the cache at a million postings.
type bandIndex struct {
	entries []bandEntry
	at      []int32 // posting -> its entry, -1 without a fingerprint
}

func newBandIndex(ps []dedupPosting, company []uint64, b int) bandIndex {
	ix := bandIndex{at: make([]int32, len(ps))}
	for i, p := range ps {
		ix.at[i] = -1
		if p.fp != 0 {
			ix.entries = append(ix.entries, bandEntry{key: company[i]<<16 | p.fp>>(16*b)&0xffff, i: int32(i)})
		}
	}
	slices.SortFunc(ix.entries, func(x, y bandEntry) int {
		if c := cmp.Compare(x.key, y.key); c != 0 {
			return c
		}
		return cmp.Compare(x.i, y.i)
	})
	for k, e := range ix.entries {
		ix.at[e.i] = int32(k)
	}
	return ix
}

// findDuplicates marks each posting that duplicates an earlier one. ps must be
// sorted by time basis then id. A posting duplicates an earlier one with the
// same canonical URL and title, or with the same company and a fingerprint
// within maxHamming bits, if the earlier posting's original is at most
// repostWindow older; duplicate_of names that original. Near-duplicate
// fingerprints share at least one of their four 16-bit bands, so only the
// earlier postings of the same company that share a band are compared.
func findDuplicates(ps []dedupPosting) {
	root := make([]int, len(ps))           // index of the original of each posting
	byURL := make(map[uint64]int, len(ps)) // sized once: growing it rehashed a million keys
	window := repostWindow.Microseconds()
	within := func(i, j int) bool { return ps[i].at-ps[root[j]].at <= window }
	// Companies numbered densely, so that a number and a band's bits fit
	// one sort key.
	company := make([]uint64, len(ps))
	numbers := make(map[uint64]uint64)
	for i, p := range ps {
		if p.fp == 0 {
			continue
		}
		n, ok := numbers[p.company]
		if !ok {
			n = uint64(len(numbers))
			numbers[p.company] = n
		}
		company[i] = n
	}
	// The four indexes are sorted on every core: half the time of this
	// function at a million postings when built one after another.
	var bands [4]bandIndex
	var wg sync.WaitGroup
	for b := range bands {
		wg.Go(func() { bands[b] = newBandIndex(ps, company, b) })
	}
	wg.Wait()
	for i := range ps {
		p := &ps[i]
		root[i] = i
		if p.urlKey != 0 {
			if j, ok := byURL[p.urlKey]; ok && within(i, j) {
				root[i], p.reason = root[j], reasonURL
			}
		}
		if root[i] == i && p.fp != 0 {
			best := -1
			for b := range bands {
				es := bands[b].entries
				k := bands[b].at[i]
				key := es[k].key
				// Earlier postings of the band, newest first, until one is
				// too old to match anything (its original is older still).
				for k--; k >= 0 && es[k].key == key; k-- {
					j := int(es[k].i)
					if p.at-ps[j].at > window {
						break
					}
					if bits.OnesCount64(p.fp^ps[j].fp) <= maxHamming && within(i, j) &&
						(best < 0 || root[j] < best) {
						best = root[j]
					}
				}
			}
			if best >= 0 {
				root[i], p.reason = best, reasonText
			}
		}
		if root[i] != i {
			p.dupOf = ps[root[i]].id
		} else {
			p.reason = reasonNone
		}
		if p.urlKey != 0 {
			if j, ok := byURL[p.urlKey]; !ok || !within(i, j) {
				byURL[p.urlKey] = i
			}
		}
	}
}

// dedup recomputes duplicate_of over all postings and writes the rows that
// changed. It reads only fixed-width columns, in time order.
func dedup(ctx context.Context, conn *sql.Conn) (changed int, err error) {
	if err := backfillKeys(ctx, conn); err != nil {
		return 0, err
	}
	var n int
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM postings").Scan(&n); err != nil {
		return 0, err
	}
	rows, err := conn.QueryContext(ctx, `SELECT posting_id, epoch_us(coalesce(posted_at, first_seen)),
		coalesce(url_key, 0), company_key, fingerprint, coalesce(duplicate_of, 0),
		CASE duplicate_reason WHEN 'url' THEN 1 WHEN 'text' THEN 2 ELSE 0 END
		FROM postings ORDER BY 2, 1`)
	if err != nil {
		return 0, err
	}
	type old struct {
		dupOf  int64
		reason uint8
	}
	ps := make([]dedupPosting, 0, n)
	olds := make([]old, 0, n)
	for rows.Next() {
		var p dedupPosting
		var o old
		if err := rows.Scan(&p.id, &p.at, &p.urlKey, &p.company, &p.fp, &o.dupOf, &o.reason); err != nil {
			rows.Close()
			return 0, err
		}
		ps = append(ps, p)
		olds = append(olds, o)
	}
	if err := rows.Close(); err != nil {
		return 0, err
	}
	findDuplicates(ps)
	err = stage(ctx, conn, "stage_dedup", "(posting_id BIGINT, duplicate_of BIGINT, duplicate_reason VARCHAR)", func(add func(...driver.Value) error) error {
		for i, p := range ps {
			if p.dupOf == olds[i].dupOf && p.reason == olds[i].reason {
				continue
			}
			changed++
			var dup, reason driver.Value
			if p.dupOf != 0 {
				dup, reason = p.dupOf, reasonNames[p.reason]
			}
			if err := add(p.id, dup, reason); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil || changed == 0 {
		return changed, err
	}
	_, err = conn.ExecContext(ctx, `UPDATE postings SET duplicate_of = s.duplicate_of, duplicate_reason = s.duplicate_reason
		FROM stage_dedup s WHERE postings.posting_id = s.posting_id`)
	return changed, err
}

// backfillKeys computes the duplicate-detection keys of postings stored
// before the keys existed (migration 3); afterwards it finds nothing to do.
func backfillKeys(ctx context.Context, conn *sql.Conn) error {
	rows, err := conn.QueryContext(ctx, `SELECT posting_id, coalesce(canonical_url, ''), coalesce(title, ''), coalesce(company, '')
		FROM postings WHERE company_key IS NULL`)
	if err != nil {
		return err
	}
	type keyed struct {
		id   int64
		keys dedupKeys
	}
	var ks []keyed
	for rows.Next() {
		var k keyed
		var u, title, company string
		if err := rows.Scan(&k.id, &u, &title, &company); err != nil {
			rows.Close()
			return err
		}
		k.keys = keysOf(u, title, company)
		ks = append(ks, k)
	}
	if err := rows.Close(); err != nil || len(ks) == 0 {
		return err
	}
	if err := stage(ctx, conn, "stage_keys", "(posting_id BIGINT, url_key UBIGINT, company_key UBIGINT)", func(add func(...driver.Value) error) error {
		for _, k := range ks {
			if err := add(k.id, k.keys.urlValue(), k.keys.company); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, `UPDATE postings SET url_key = s.url_key, company_key = s.company_key
		FROM stage_keys s WHERE postings.posting_id = s.posting_id;
		DROP TABLE stage_keys`)
	return err
}
