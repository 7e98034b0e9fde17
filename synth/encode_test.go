package synth

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/skilltrend/skilltrend"
)

func encodingJSON(p skilltrend.Posting) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(p)
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), err
}

func checkAppend(t *testing.T, p skilltrend.Posting) {
	t.Helper()
	want, wantErr := encodingJSON(p)
	got, gotErr := appendPosting(nil, &p)
	if (gotErr == nil) != (wantErr == nil) {
		t.Fatalf("appendPosting error %v, encoding/json error %v", gotErr, wantErr)
	}
	if wantErr == nil && !bytes.Equal(got, want) {
		t.Fatalf("appendPosting\n%s\nencoding/json\n%s", got, want)
	}
}

func TestAppendPostingMatchesEncodingJSON(t *testing.T) {
	for p := range Stream(Options{Seed: 21, Postings: 2000}) {
		checkAppend(t, p)
	}
	ny := time.FixedZone("", -4*3600)
	edge := []skilltrend.Posting{
		{},
		{Source: "a\"b\\c", SourceID: "\x00\x01\b\f\n\r\t\x1f", Title: "<b>&amp;</b> \u2028 \u2029 é 😀", Description: "bad \xff\xfe utf8 \xe2\x82"},
		{Source: "s", Salary: &skilltrend.Salary{}, PostedAt: time.Date(2024, 2, 29, 23, 59, 59, 123456789, ny)},
		{Source: "s", Salary: &skilltrend.Salary{Min: 1e-7, Max: 1e21, Currency: "EUR"}, FirstSeen: time.Unix(0, 0), LastSeen: time.Unix(1, 5)},
		{Source: "s", Salary: &skilltrend.Salary{Min: 0.5, Max: 123456789.125, Period: "hour"}},
		{Source: "s", Salary: &skilltrend.Salary{Min: -3, Max: 1e-320}},
		{Source: "s", Salary: &skilltrend.Salary{Min: math.NaN()}},
		{Source: "s", Salary: &skilltrend.Salary{Max: math.Inf(1)}},
		{Source: "s", PostedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{Source: "s", PostedAt: time.Date(2020, 1, 1, 0, 0, 0, 0, time.FixedZone("", 3600+30))},
		{Source: "s", RawHTML: "<p>x</p>", WorkMode: skilltrend.WorkModeHybrid, EmploymentType: "FULL_TIME"},
	}
	for _, p := range edge {
		checkAppend(t, p)
	}
}

func FuzzAppendPosting(f *testing.F) {
	f.Add("hn", "1", "Go \u2028 dev", "line\nline\t\"q\" \xff", 1.5, 1e21, int64(1700000000), int64(0), 3600)
	f.Add("", "", "", "", 0.0, -1e-9, int64(-62135596800), int64(999999999), -5*3600)
	f.Fuzz(func(t *testing.T, src, id, title, desc string, lo, hi float64, sec, nsec int64, off int) {
		p := skilltrend.Posting{Source: src, SourceID: id, Title: title, Description: desc,
			Salary:   &skilltrend.Salary{Min: lo, Max: hi, Currency: "USD"},
			PostedAt: time.Unix(sec, nsec).In(time.FixedZone("", off%(30*3600)))}
		checkAppend(t, p)
	})
}
