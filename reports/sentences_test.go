package reports

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
)

// sentenceBuilder is a builder over 14 months with one segment, enough for
// "a year earlier" comparisons.
func sentenceBuilder(totals []int64, goPts []point) (*builder, segment) {
	d := &dataset{ByID: map[string]*skillInfo{}, Segments: map[segment]*segmentData{}}
	for i := range totals {
		d.Months = append(d.Months, time.Date(2025, time.April, 1, 0, 0, 0, 0, time.UTC).AddDate(0, i, 0))
	}
	seg := segment{"backend", "all", "all"}
	d.Segments[seg] = &segmentData{Totals: totals, Skills: map[string][]point{"go": goPts}}
	return newBuilder(d, Options{}), seg
}

func TestSkillSentence(t *testing.T) {
	n := 14
	totals := make([]int64, n)
	pts := make([]point, n)
	for i := range totals {
		totals[i] = 500
	}
	pts[1] = point{Present: true, Share: 0.072, Low: 0.05, High: 0.1}
	pts[13] = point{Present: true, Share: 0.091, Low: 0.068, High: 0.12}
	b, seg := sentenceBuilder(totals, pts)
	goSkill := &skillInfo{ID: "go", Name: "Go"}
	got := b.skillSentence(goSkill, seg, b.d.Segments[seg], 13)
	want := "Go appeared in 9.1% of backend jobs in May 2026, up from 7.2% a year earlier. The likely range is 6.8% to 12.0%."
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}

	// A small, sparse month: no row means 0%, and the sentence warns.
	totals[13] = 12
	pts[13] = point{}
	got = b.skillSentence(goSkill, seg, b.d.Segments[seg], 13)
	want = "Go appeared in 0% of backend jobs in May 2026, down from 7.2% a year earlier. Only 12 such jobs that month, so treat the figure as rough."
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestRankSentence(t *testing.T) {
	totals := []int64{100, 100}
	b, seg := sentenceBuilder(totals, []point{{}, {Present: true, Share: 0.2}})
	b.d.Segments[seg].Skills["python"] = []point{{}, {Present: true, Share: 0.31}}
	b.d.Segments[seg].Skills["java"] = []point{{}, {Present: true, Share: 0.25}}
	skills := []*skillInfo{{ID: "go", Name: "Go"}, {ID: "rust", Name: "Rust"}, {ID: "python", Name: "Python"}, {ID: "java", Name: "Java"}}
	got := b.rankSentence(skills, segment{"all", "senior", "remote"}, b.d.Segments[seg], 1, "languages")
	want := "In May 2025, the most asked-for languages in senior remote jobs were Python (31.0%), Java (25.0%) and Go (20.0%)."
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	got = b.rankSentence(skills[1:2], seg, b.d.Segments[seg], 1, "languages")
	if want := "In May 2025, none of these languages was named in backend jobs."; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestWords(t *testing.T) {
	tests := []struct{ got, want string }{
		{groupWords(segment{"all", "all", "all"}), "all jobs"},
		{groupWords(segment{"ml", "staff+", "onsite"}), "staff or principal on-site machine-learning jobs"},
		{pct(0.0005), "under 0.1%"},
		{pct(0.1234), "12.3%"},
		{points(1.25), "+1.2 points"},
		{points(-0.04), "no change"},
		{points(-3), "−3.0 points"},
		{count(1234567), "1,234,567"},
		{count(-1000), "-1,000"},
		{listAnd([]string{"a", "b", "c"}), "a, b and c"},
		{windowLabel(time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)), "Nov 2025–Jan 2026"},
		{fileSlug("C++"), "cplusplus"},
		{fileSlug("</script>"), "script"},
		{fileSlug("../../x"), "x"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestVariantsJSON(t *testing.T) {
	f := &filtered{X: []string{"May 2026", "</script>"}, Header: []string{"Month", "__f__x__f__"}, Variants: map[string]variantData{
		"b": {Series: [][]float64{{1.5, math.NaN()}}, Extra: [][]int64{{3, -1}}, Sentence: "<!--<script>"},
		"a": {Series: [][]float64{{0, 2}}, Sentence: "ok"},
	}}
	js, err := variantsJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(string(js), "<>") || strings.Contains(string(js), funcMarker) {
		t.Errorf("variants JSON not inert: %s", js)
	}
	var got struct {
		X        []string
		Header   []string
		Variants map[string]struct {
			Series   [][]*float64
			Extra    [][]*int64
			Sentence string
		}
	}
	if err := json.Unmarshal(js, &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, js)
	}
	b := got.Variants["b"]
	if got.X[1] != "</script>" || got.Header[1] != "x" || b.Sentence != "<!--<script>" ||
		*b.Series[0][0] != 1.5 || b.Series[0][1] != nil || *b.Extra[0][0] != 3 || b.Extra[0][1] != nil {
		t.Errorf("decoded %+v", got)
	}
}

// FuzzOptionJSON checks that no label makes a chart option executable.
func FuzzOptionJSON(f *testing.F) {
	for _, p := range xssPayloads {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, s string) {
		js, err := optionJSON(rankBar([]string{s}, []barSeries{{Name: s, Values: []float64{1}}}, ""))
		if err != nil {
			t.Fatal(err)
		}
		if strings.ContainsAny(string(js), "<>") || strings.Contains(string(js), funcMarker) || !json.Valid(js) {
			t.Errorf("option for %q not inert JSON: %s", s, js)
		}
	})
}
