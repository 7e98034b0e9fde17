package analytics

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/bits"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/skilltrend/skilltrend"
	"github.com/skilltrend/skilltrend/synth"
)

func TestCanonicalURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://Jobs.Example.com/role/42/", "https://jobs.example.com/role/42"},
		{"http://www.jobs.example.com/role/42?utm_source=x&utm_medium=y#apply", "https://jobs.example.com/role/42"},
		{"https://jobs.example.com:443/role/42?b=2&a=1&gh_src=abc", "https://jobs.example.com/role/42?a=1&b=2"},
		{"https://jobs.example.com:8443/role/42", "https://jobs.example.com:8443/role/42"},
		{"https://boards.example.io/acme/jobs/123?gh_jid=123", "https://boards.example.io/acme/jobs/123?gh_jid=123"},
		{"", ""},
		{"not a url", ""},
		{"/relative/path", ""},
		{"http://www.", ""},
		{"https://news.ycombinator.com/item?id=40000001", "https://news.ycombinator.com/item?id=40000001"},
		{"https://jobs.example.com/role/42?ref=feed", "https://jobs.example.com/role/42"},
	}
	for _, tt := range tests {
		if got := canonicalURL(tt.in); got != tt.want {
			t.Errorf("canonicalURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCompanyKey(t *testing.T) {
	for in, want := range map[string]string{
		"Acme, Inc.":         "acme",
		"ACME Inc":           "acme",
		"Globex Corporation": "globex",
		"Initech GmbH":       "initech",
		"Co":                 "co",
		"":                   "",
	} {
		if got := companyKey(in); got != want {
			t.Errorf("companyKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// description builds a long posting text; variant changes a few words.
func description(topic string, variant int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "We are hiring a backend engineer to own the %s platform. ", topic)
	for i := range 12 {
		fmt.Fprintf(&b, "Paragraph %d: you will design services for %s, review code with peers, keep latency low and "+
			"write tests that catch regressions before customers notice them. ", i, topic)
	}
	if variant > 0 {
		b.WriteString(strings.Repeat("Apply today and mention this ad. ", variant))
	}
	return b.String()
}

func TestSimHash(t *testing.T) {
	a := SimHash(description("payments", 0))
	b := SimHash(description("payments", 1))
	c := SimHash(description("search ranking", 0))
	if a == 0 || b == 0 || c == 0 {
		t.Fatal("long texts must get a fingerprint")
	}
	if d := bits.OnesCount64(a ^ b); d > maxHamming {
		t.Errorf("near-identical texts differ in %d bits, want <= %d", d, maxHamming)
	}
	if d := bits.OnesCount64(a ^ c); d <= maxHamming*2 {
		t.Errorf("different texts differ in only %d bits", d)
	}
	if SimHash("Go, Rust, Kafka") != 0 {
		t.Error("short text got a fingerprint")
	}
	if SimHash(description("payments", 0)) != a {
		t.Error("SimHash is not deterministic")
	}
}

func TestFindDuplicates(t *testing.T) {
	day := func(d int) int64 { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d).UnixMicro() }
	key := xxhash.Sum64String
	fpA := SimHash(description("payments", 0))
	fpA2 := SimHash(description("payments", 1))
	fpB := SimHash(description("search ranking", 0))
	ps := []dedupPosting{
		{id: 1, at: day(0), urlKey: key("u1\x00backend"), company: key("acme"), fp: fpA},
		{id: 2, at: day(1), urlKey: key("u1\x00backend"), company: key("other"), fp: fpB},   // same URL and title
		{id: 3, at: day(2), urlKey: key("u1\x00frontend"), company: key("zeta"), fp: 0},     // same URL, other title
		{id: 4, at: day(30), urlKey: key("u4\x00backend"), company: key("acme"), fp: fpA2},  // repost of 1 by text
		{id: 5, at: day(31), urlKey: key("u5\x00backend"), company: key("globex"), fp: fpA}, // same text, other company
		{id: 6, at: day(80), urlKey: key("u6\x00backend"), company: key("acme"), fp: fpA},   // matches 4, original 1 is 80 days old
		{id: 7, at: day(100), urlKey: key("u7\x00backend"), company: key("acme"), fp: fpA},  // matches 6, but 1 is 100 days old
		{id: 8, at: day(120), urlKey: key("u8\x00backend"), company: key("acme"), fp: fpA},  // repost of 7
		{id: 9, at: day(200), urlKey: key("u1\x00backend"), company: key("acme"), fp: 0},    // URL of 1, long after
	}
	findDuplicates(ps)
	want := map[int64]struct {
		dup    int64
		reason string
	}{
		1: {0, ""}, 2: {1, "url"}, 3: {0, ""}, 4: {1, "text"}, 5: {0, ""},
		6: {1, "text"}, 7: {0, ""}, 8: {7, "text"}, 9: {0, ""},
	}
	for _, p := range ps {
		if w := want[p.id]; p.dupOf != w.dup || reasonNames[p.reason] != w.reason {
			t.Errorf("posting %d: duplicate_of %d (%q), want %d (%q)", p.id, p.dupOf, reasonNames[p.reason], w.dup, w.reason)
		}
	}
}

// repostFixture is one job posted on two boards, a repost of it a month
// later with a short text, and another job of the same company.
func repostFixture() []skilltrend.Posting {
	jan := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	return []skilltrend.Posting{
		{Source: "greenhouse", SourceID: "1", URL: "https://boards.example/acme/1", Title: "Backend Engineer", Company: "Acme Inc", PostedAt: jan, Description: description("payments", 0)},
		{Source: "jsonld", SourceID: "x", URL: "https://acme.example/careers/backend", Title: "Backend Engineer", Company: "ACME", PostedAt: jan.AddDate(0, 0, 2), Description: description("payments", 1)},
		{Source: "greenhouse", SourceID: "1-again", URL: "https://boards.example/acme/1?utm_source=feed", Title: "Backend Engineer", Company: "Acme Inc", PostedAt: jan.AddDate(0, 1, 0), Description: "Short text."},
		{Source: "greenhouse", SourceID: "2", URL: "https://boards.example/acme/2", Title: "Search Engineer", Company: "Acme Inc", PostedAt: jan.AddDate(0, 1, 0), Description: description("search ranking", 0)},
	}
}

// TestDedupKeysBackfill checks that postings stored before the
// duplicate-detection keys existed get the same keys, and the same
// duplicates, at the next aggregation.
func TestDedupKeysBackfill(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	if _, err := s.UpsertPostings(ctx, repostFixture()); err != nil {
		t.Fatal(err)
	}
	if err := s.Aggregate(ctx); err != nil {
		t.Fatal(err)
	}
	const state = `SELECT string_agg(concat_ws(' ', posting_id, url_key, company_key, duplicate_of, duplicate_reason), '|' ORDER BY posting_id) FROM postings`
	var want string
	if err := s.DB().QueryRowContext(ctx, state).Scan(&want); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(want, " url") || !strings.Contains(want, " text") {
		t.Fatalf("fixture should hold a url and a text duplicate: %s", want)
	}
	// As a file written before migration 3 would be after it: no keys.
	if _, err := s.DB().ExecContext(ctx, `UPDATE postings SET url_key = NULL, company_key = NULL, duplicate_of = NULL, duplicate_reason = NULL;
		INSERT OR REPLACE INTO analytics_state VALUES ('dirty', 'true'), ('postings_dirty', 'true')`); err != nil {
		t.Fatal(err)
	}
	if err := s.Aggregate(ctx); err != nil {
		t.Fatal(err)
	}
	var got string
	if err := s.DB().QueryRowContext(ctx, state).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("after backfill:\n%s\nwant\n%s", got, want)
	}
}

// TestDedupInViews loads the same job from two boards plus a repost and
// checks that demand counts distinct jobs and reposts_monthly counts the rest.
func TestDedupInViews(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "st.duckdb")
	ps := repostFixture()
	s, err := OpenWork(ctx, dbPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SyncSkills(ctx, "v1", testSkills); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertPostings(ctx, ps); err != nil {
		t.Fatal(err)
	}
	var ex []skilltrend.Extraction
	for _, p := range ps {
		ex = append(ex, skilltrend.Extraction{PostingID: p.ID(), TaxonomyVersion: "v1", Role: skilltrend.RoleBackend,
			Tags: []skilltrend.Tag{{SkillID: "go", Required: true}}})
	}
	if err := s.SaveExtractions(ctx, ex); err != nil {
		t.Fatal(err)
	}
	if err := s.Aggregate(ctx); err != nil {
		t.Fatal(err)
	}
	db := s.DB()
	rows, err := db.QueryContext(ctx, `SELECT month, postings_seen, distinct_jobs, reposts_folded, folded_by_url, folded_by_text
		FROM reposts_monthly ORDER BY month`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var m time.Time
		var seen, distinct, folded, byURL, byText int
		if err := rows.Scan(&m, &seen, &distinct, &folded, &byURL, &byText); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s %d %d %d %d %d", m.Format("2006-01"), seen, distinct, folded, byURL, byText))
	}
	rows.Close()
	want := []string{"2026-01 2 1 1 0 1", "2026-02 2 1 1 1 0"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("reposts_monthly = %q, want %q", got, want)
	}
	var x, n int
	if err := db.QueryRowContext(ctx, `SELECT postings, total_postings FROM skill_demand_monthly
		WHERE role = 'all' AND skill_id = 'go' AND month = DATE '2026-01-01'`).Scan(&x, &n); err != nil {
		t.Fatal(err)
	}
	if x != 1 || n != 1 {
		t.Fatalf("January go demand %d/%d, want 1/1 (two boards, one job)", x, n)
	}
	var dup int64
	if err := db.QueryRowContext(ctx, "SELECT duplicate_of FROM postings WHERE posting_id = ?", ps[2].ID()).Scan(&dup); err != nil {
		t.Fatal(err)
	}
	if dup != ps[0].ID() {
		t.Fatalf("repost duplicate_of = %d, want %d", dup, ps[0].ID())
	}
}

// simHashReference is SimHash written plainly with hash/fnv: the optimised
// version must give the same fingerprints, which are stored in files.
func simHashReference(text string) uint64 {
	ws := words(text)
	if len(ws) < minFingerprintW {
		return 0
	}
	var v [64]int
	h := fnv.New64a()
	for i := 0; i+3 <= len(ws); i++ {
		h.Reset()
		for _, w := range ws[i : i+3] {
			h.Write([]byte(w + " "))
		}
		x := h.Sum64()
		for b := range 64 {
			if x&(1<<b) != 0 {
				v[b]++
			} else {
				v[b]--
			}
		}
	}
	var fp uint64
	for b := range 64 {
		if v[b] > 0 {
			fp |= 1 << b
		}
	}
	if fp == 0 {
		fp = 1
	}
	return fp
}

func TestSimHashMatchesReference(t *testing.T) {
	texts := []string{
		"",
		"too short to fingerprint at all",
		"We are hiring a senior backend engineer to build Go services on Kubernetes and PostgreSQL.",
		"Nous recherchons un développeur backend expérimenté: Go, Kubernetes, PostgreSQL, été 2026.",
	}
	for _, p := range synth.Generate(synth.Options{Seed: 3, Postings: 300}) {
		texts = append(texts, p.Description)
	}
	for _, text := range texts {
		if got, want := SimHash(text), simHashReference(text); got != want {
			t.Fatalf("SimHash(%.40q) = %x, reference %x", text, got, want)
		}
	}
}

func TestSimHashMatchesReferenceEdgeCases(t *testing.T) {
	long := strings.Repeat(description("payments", 3)+" ", 20) // far more than 255 shingles and 128 words
	texts := []string{
		"", "Go, Rust, Kafka", "one two three four five six seven eight",
		description("payments", 0), description("search ranking", 2), long,
		"C++ and C# engineers: Ünïcödé ÉCOLE naïve café 東京 İstanbul straße ΣΊΣΥΦΟΣ ДЖАВА разработчик rust go",
		"invalid \xff\xfe utf-8 \xc3 bytes and\x00control\tcharacters between enough words for a fingerprint here",
		"digits 123 4.5 6,7 v2 k8s i18n a11y x86_64 arm64 python3 node.js vue.js and more words",
	}
	for i, text := range texts {
		if got, want := SimHash(text), simHashReference(text); got != want {
			t.Errorf("text %d: SimHash %016x, reference %016x", i, got, want)
		}
	}
	// Mutations of one text, as near-duplicates look.
	base := []rune(long)
	for i := 0; i < 200; i++ {
		r := append([]rune(nil), base...)
		r[(i*7919)%len(r)] = []rune("xÄ# +é9")[i%7]
		text := string(r[:len(r)-i*13%len(r)])
		if got, want := SimHash(text), simHashReference(text); got != want {
			t.Fatalf("mutation %d: SimHash %016x, reference %016x", i, got, want)
		}
	}
}

// findDuplicatesReference is duplicate detection as first written, with a
// hash map of lists per band: findDuplicates must mark the same postings.
func findDuplicatesReference(ps []dedupPosting) {
	root := make([]int, len(ps)) // index of the original of each posting
	byURL := make(map[uint64]int)
	byBand := make(map[uint64][]int)
	companies := make(map[uint64]uint64)
	window := repostWindow.Microseconds()
	within := func(i, j int) bool { return ps[i].at-ps[root[j]].at <= window }
	for i := range ps {
		p := &ps[i]
		root[i] = i
		if p.urlKey != 0 {
			if j, ok := byURL[p.urlKey]; ok && within(i, j) {
				root[i], p.reason = root[j], reasonURL
			}
		}
		var company uint64
		if p.fp != 0 {
			n, ok := companies[p.company]
			if !ok {
				n = uint64(len(companies))
				companies[p.company] = n
			}
			company = n
		}
		if root[i] == i && p.fp != 0 {
			best := -1
			for b := range 4 {
				for _, j := range byBand[referenceBand(company, p.fp, b)] {
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
		if p.fp != 0 {
			for b := range 4 {
				k := referenceBand(company, p.fp, b)
				list := byBand[k]
				// Entries are in time order; drop those too old to match
				// anything from now on, in place to keep the capacity.
				n := 0
				for n < len(list) && p.at-ps[list[n]].at > window {
					n++
				}
				if n > 0 {
					list = list[:copy(list, list[n:])]
				}
				byBand[k] = append(list, i)
			}
		}
	}
}

func referenceBand(company, fp uint64, b int) uint64 {
	return company<<18 | uint64(b)<<16 | fp>>(16*b)&0xffff
}

// TestFindDuplicatesMatchesReference compares findDuplicates with the
// reference on random postings crowded into few companies, URLs and
// fingerprints, so that every rule and the 90-day window are exercised.
func TestFindDuplicatesMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 30))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	fps := make([]uint64, 40)
	for i := range fps {
		fps[i] = rng.Uint64()
	}
	for round := range 20 {
		ps := make([]dedupPosting, 3000)
		at := base
		for i := range ps {
			at += rng.Int64N(int64(4 * 24 * time.Hour / time.Microsecond))
			p := dedupPosting{id: int64(i + 1), at: at, company: uint64(rng.IntN(5))}
			if rng.IntN(3) > 0 {
				p.urlKey = uint64(1 + rng.IntN(300))
			}
			if rng.IntN(6) > 0 {
				p.fp = fps[rng.IntN(len(fps))] ^ 1<<rng.IntN(64) ^ 1<<rng.IntN(64)
			}
			ps[i] = p
		}
		want := slices.Clone(ps)
		findDuplicatesReference(want)
		findDuplicates(ps)
		dups := 0
		for i := range ps {
			if ps[i] != want[i] {
				t.Fatalf("round %d, posting %d: %+v, reference %+v", round, i, ps[i], want[i])
			}
			if ps[i].dupOf != 0 {
				dups++
			}
		}
		if dups == 0 || dups == len(ps) {
			t.Fatalf("round %d: %d duplicates of %d: the data exercise nothing", round, dups, len(ps))
		}
	}
}

// TestKeysOfMatchesReference checks keysOf, which builds the hashed text
// itself for ASCII fields, against the keys computed from words() as the
// documentation of url_key and company_key states them.
func TestKeysOfMatchesReference(t *testing.T) {
	reference := func(canonical, title, company string) dedupKeys {
		var k dedupKeys
		if canonical != "" {
			k.url = max(xxhash.Sum64String(canonical+"\x00"+strings.Join(words(title), " ")), 1)
		}
		ws := words(company)
		for len(ws) > 1 && companySuffixes[ws[len(ws)-1]] {
			ws = ws[:len(ws)-1]
		}
		k.company = xxhash.Sum64String(strings.Join(ws, " "))
		return k
	}
	fields := []string{"", " ", "Go", "Senior  Go/Rust Engineer (m/f/d)", "C++ & C# dev", "ACME Inc", "Acme, Inc.",
		"Acme GmbH & Co KG", "Inc", "Inc Inc", "Café Zürich AG", "Straße GmbH", "\x00tab\there", "Ünïcödé Ltd",
		"a-b_c.d e", strings.Repeat("Platform ", 60) + "LLC", "x\xffy Ltd"}
	for _, p := range synth.Generate(synth.Options{Seed: 9, Postings: 300}) {
		fields = append(fields, p.Title, p.Company)
	}
	for _, canonical := range []string{"", "https://jobs.example.com/a?id=1", "https://jöbs.example/ä"} {
		for _, title := range fields {
			for _, company := range fields {
				if got, want := keysOf(canonical, title, company), reference(canonical, title, company); got != want {
					t.Fatalf("keysOf(%q, %q, %q) = %+v, reference %+v", canonical, title, company, got, want)
				}
			}
		}
	}
}
