package synth

import (
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/skilltrend/skilltrend"
)

func TestGenerateIsDeterministic(t *testing.T) {
	opts := Options{Seed: 7, Postings: 800, Months: 6}
	a, b := Generate(opts), Generate(opts)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs with the same seed differ")
	}
	if len(a) != 800 {
		t.Fatalf("got %d postings, want 800", len(a))
	}
	c := Generate(Options{Seed: 8, Postings: 800, Months: 6})
	if reflect.DeepEqual(a, c) {
		t.Fatal("different seeds gave the same market")
	}
	var streamed []skilltrend.Posting
	for p := range Stream(opts) {
		streamed = append(streamed, p)
		if len(streamed) == 100 {
			break
		}
	}
	if !reflect.DeepEqual(streamed, a[:100]) {
		t.Fatal("Stream does not yield what Generate returns")
	}
}

func TestPostingsAreUniqueAndWellFormed(t *testing.T) {
	opts := Options{Seed: 3, Postings: 5000, Months: 24}
	ls := GenerateLabeled(opts)
	ids := map[int64]bool{}
	first, last := opts.MonthStart(0), opts.MonthStart(24)
	for _, l := range ls {
		p := l.Posting
		if ids[p.ID()] {
			t.Fatalf("duplicate posting id %s/%s", p.Source, p.SourceID)
		}
		ids[p.ID()] = true
		if p.Title == "" || p.Company == "" || p.Location == "" || p.Description == "" {
			t.Fatalf("posting %s/%s misses a field: %+v", p.Source, p.SourceID, p)
		}
		if p.PostedAt.Before(first) || !p.PostedAt.Before(last) {
			t.Fatalf("posting %s/%s dated %v, outside [%v, %v)", p.Source, p.SourceID, p.PostedAt, first, last)
		}
		if got := p.PostedAt.Sub(opts.MonthStart(l.Month)); got < 0 || p.PostedAt.Month() != opts.MonthStart(l.Month).Month() {
			t.Fatalf("posting dated %v is not in its month %d", p.PostedAt, l.Month)
		}
		if p.Source == SourceHN {
			if d := p.PostedAt.Day(); d > 5 {
				t.Fatalf("HN posting dated day %d; HN posts follow the thread of the 1st", d)
			}
			if !strings.HasPrefix(p.Description, p.Company+" | ") {
				t.Fatalf("HN posting does not lead with its header: %q", p.Description[:60])
			}
		}
		if Format(p.Source) == "greenhouse" && !strings.HasPrefix(p.Source, "gh-"+slug(p.Company)) {
			t.Fatalf("greenhouse board %s carries a posting of %s", p.Source, p.Company)
		}
	}
}

// The market must be varied: every role, seniority, work mode, many
// companies, several currencies and pay periods, requirement sections.
func TestMarketIsVaried(t *testing.T) {
	ls := GenerateLabeled(Options{Seed: 1})
	roles, levels, modes := map[skilltrend.Role]int{}, map[skilltrend.Seniority]int{}, map[skilltrend.WorkMode]int{}
	companies, currencies, periods, sources := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	nice, distract := 0, 0
	for _, l := range ls {
		p := l.Posting
		roles[l.Role]++
		levels[l.Level]++
		modes[p.WorkMode]++
		companies[p.Company]++
		sources[Format(p.Source)]++
		if p.Salary != nil {
			currencies[p.Salary.Currency]++
			periods[p.Salary.Period]++
		}
		if strings.Contains(p.Description, "Nice to have:") || strings.Contains(p.Description, "Bonus points:") || strings.Contains(p.Description, "It's a plus if you have:") {
			nice++
		}
		for _, d := range distractors {
			if strings.Contains(p.Description, d) {
				distract++
				break
			}
		}
	}
	check := func(what string, got, want int) {
		t.Helper()
		if got < want {
			t.Errorf("%s: got %d, want at least %d", what, got, want)
		}
	}
	check("roles", len(roles), 7)
	check("seniority levels", len(levels), 6)
	check("work modes", len(modes), 4)
	check("companies", len(companies), 100)
	check("currencies", len(currencies), 8)
	check("pay periods", len(periods), 4)
	check("source formats", len(sources), 3)
	check("postings with a nice-to-have section", nice, len(ls)/3)
	check("postings with a distractor sentence", distract, len(ls)/3)
	if roles[skilltrend.RoleBackend] < len(ls)/2 {
		t.Errorf("backend postings: %d of %d, want the majority", roles[skilltrend.RoleBackend], len(ls))
	}
	t.Logf("roles %v\nsources %v\ncurrencies %v\nperiods %v", roles, sources, currencies, periods)
}

// mentionRE finds the controlled skills in text the way a careful tagger
// would, after the distractor sentences are removed.
var mentionRE = map[string]*regexp.Regexp{
	"go":         regexp.MustCompile(`\b(Go|Golang)\b`),
	"rust":       regexp.MustCompile(`\bRust\b`),
	"php":        regexp.MustCompile(`\bPHP\b`),
	"ai":         regexp.MustCompile(`\b(AI|LLM|[Mm]achine [Ll]earning)\b`),
	"python":     regexp.MustCompile(`\bPython\b`),
	"java":       regexp.MustCompile(`\bJava\b`),
	"kubernetes": regexp.MustCompile(`\b(Kubernetes|[kK]8s)\b`),
	"postgresql": regexp.MustCompile(`\b([Pp]ostgres|PostgreSQL)\b`),
}

func mentioned(p skilltrend.Posting) []string {
	text := p.Title + "\n" + p.Description
	for _, d := range distractors {
		text = strings.ReplaceAll(text, d, "")
	}
	var out []string
	for _, tr := range Trends() {
		if mentionRE[tr.SkillID].MatchString(text) {
			out = append(out, tr.SkillID)
		}
	}
	return out
}

func TestLabelsMatchText(t *testing.T) {
	if len(mentionRE) != len(Trends()) {
		t.Fatalf("the test knows %d controlled skills, Trends declares %d", len(mentionRE), len(Trends()))
	}
	for _, l := range GenerateLabeled(Options{Seed: 11, Postings: 8000}) {
		got := mentioned(l.Posting)
		if !slices.Equal(got, l.Skills) && !(len(got) == 0 && len(l.Skills) == 0) {
			t.Fatalf("posting %s/%s mentions %v, labelled %v:\n%s\n%s", l.Posting.Source, l.Posting.SourceID, got, l.Skills, l.Posting.Title, l.Posting.Description)
		}
		for _, n := range l.Nice {
			if !slices.Contains(l.Skills, n) {
				t.Fatalf("nice-to-have %s not among the skills %v", n, l.Skills)
			}
		}
	}
}

// The distractors must each contain a look-alike of a skill, or they test
// nothing.
func TestDistractorsLookLikeSkills(t *testing.T) {
	lookalike := regexp.MustCompile(`\b(go-live|go-to|go above|Series C|R&D|the rest of|[Rr]est assured|cutting-edge|swift|spring|Oracle|express|guard rails|scalable|node|C-level)\b`)
	for _, d := range distractors {
		if !lookalike.MatchString(d) {
			t.Errorf("distractor without a look-alike: %q", d)
		}
	}
}

func TestTrendsAreRecovered(t *testing.T) {
	opts := Options{Seed: 42, Postings: 48000, Months: 24}
	counts := map[string][]int{}
	totals := make([]int, opts.Months)
	// The labels stand for the text: TestLabelsMatchText checks that they
	// name exactly the controlled skills a careful reader finds.
	for l := range StreamLabeled(opts) {
		totals[l.Month]++
		for _, id := range l.Skills {
			if counts[id] == nil {
				counts[id] = make([]int, opts.Months)
			}
			counts[id][l.Month]++
		}
	}
	// Average the first and last three months: about 5,000 postings each,
	// so the standard error of a share is under 0.007.
	share := func(id string, from, to int) float64 {
		n, d := 0, 0
		for m := from; m < to; m++ {
			n += counts[id][m]
			d += totals[m]
		}
		return float64(n) / float64(d)
	}
	for _, tr := range Trends() {
		wantStart := (tr.ShareAt(0, 24) + tr.ShareAt(1, 24) + tr.ShareAt(2, 24)) / 3
		wantEnd := (tr.ShareAt(21, 24) + tr.ShareAt(22, 24) + tr.ShareAt(23, 24)) / 3
		gotStart, gotEnd := share(tr.SkillID, 0, 3), share(tr.SkillID, 21, 24)
		if diff(gotStart, wantStart) > 0.025 || diff(gotEnd, wantEnd) > 0.025 {
			t.Errorf("%s: share %.3f -> %.3f, declared %.3f -> %.3f", tr.SkillID, gotStart, gotEnd, wantStart, wantEnd)
		}
		t.Logf("%-10s %.3f -> %.3f (declared %.2f -> %.2f)", tr.SkillID, gotStart, gotEnd, tr.Start, tr.End)
	}
	want := map[string]int{"go": 1, "rust": 1, "php": -1, "ai": 1, "python": 0, "java": 0}
	for _, id := range slices.Sorted(maps.Keys(want)) {
		d := share(id, 21, 24) - share(id, 0, 3)
		switch dir := want[id]; {
		case dir > 0 && d < 0.04, dir < 0 && d > -0.1, dir == 0 && diff(d, 0) > 0.03:
			t.Errorf("%s moved by %.3f, want direction %d", id, d, dir)
		}
	}
}

func diff(a, b float64) float64 {
	if a > b {
		return a - b
	}
	return b - a
}

func TestDuplicatesRepostKnownJobs(t *testing.T) {
	ls := GenerateLabeled(Options{Seed: 5, Postings: 20000, DuplicateRate: 0.05})
	byID := map[int64]Labeled{}
	dups := 0
	for _, l := range ls {
		byID[l.Posting.ID()] = l
		if l.DuplicateOf == 0 {
			continue
		}
		dups++
		o, ok := byID[l.DuplicateOf]
		if !ok {
			t.Fatalf("posting %s/%s reposts %d, which was not generated before it", l.Posting.Source, l.Posting.SourceID, l.DuplicateOf)
		}
		if o.DuplicateOf != 0 {
			t.Fatalf("repost points at another repost")
		}
		if o.Posting.Title != l.Posting.Title || o.Posting.Company != l.Posting.Company || o.Posting.Source == l.Posting.Source {
			t.Fatalf("repost differs from its original: %q/%q on %s vs %q/%q on %s",
				l.Posting.Title, l.Posting.Company, l.Posting.Source, o.Posting.Title, o.Posting.Company, o.Posting.Source)
		}
		if !slices.Equal(o.Skills, l.Skills) {
			t.Fatalf("repost has skills %v, original %v", l.Skills, o.Skills)
		}
	}
	if rate := float64(dups) / float64(len(ls)); diff(rate, 0.05) > 0.006 {
		t.Fatalf("repost rate %.4f, want 0.05", rate)
	}
	if n := len(GenerateLabeled(Options{Seed: 5, Postings: 2000, DuplicateRate: -1})); n != 2000 {
		t.Fatalf("got %d postings", n)
	}
	for _, l := range GenerateLabeled(Options{Seed: 5, Postings: 2000, DuplicateRate: -1}) {
		if l.DuplicateOf != 0 {
			t.Fatal("DuplicateRate < 0 still reposts")
		}
	}
}

func TestMonthStart(t *testing.T) {
	o := Options{Months: 3, End: time.Date(2025, 2, 17, 9, 0, 0, 0, time.UTC)}
	want := []time.Time{
		time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC),
	}
	for m, w := range want {
		if got := o.MonthStart(m); !got.Equal(w) {
			t.Errorf("MonthStart(%d) = %v, want %v", m, got, w)
		}
	}
}

func BenchmarkStream(b *testing.B) {
	opts := Options{Seed: 1, Postings: b.N, Months: 24}
	b.ReportAllocs()
	n := 0
	for p := range Stream(opts) {
		n += len(p.Description)
	}
	b.SetBytes(int64(n / max(1, b.N)))
}
