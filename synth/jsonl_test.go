package synth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"github.com/skilltrend/skilltrend"
)

func TestJSONLRoundTrip(t *testing.T) {
	ps := Generate(Options{Seed: 12, Postings: 500, Months: 4})
	var buf bytes.Buffer
	if err := WriteJSONL(&buf, slices.Values(ps)); err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(buf.Bytes(), []byte("\n")); n != len(ps) {
		t.Fatalf("%d lines for %d postings", n, len(ps))
	}
	var got []skilltrend.Posting
	bad, err := ReadJSONL(t.Context(), &buf, func(p skilltrend.Posting) error {
		got = append(got, p)
		return nil
	})
	if err != nil || len(bad) != 0 {
		t.Fatalf("err %v, bad rows %v", err, bad)
	}
	if !reflect.DeepEqual(got, ps) {
		t.Fatal("postings changed in the round trip")
	}
}

func TestReadJSONLBadRows(t *testing.T) {
	f, err := os.Open("testdata/postings.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ids []string
	bad, err := ReadJSONL(t.Context(), f, func(p skilltrend.Posting) error {
		ids = append(ids, p.SourceID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"1001", "1002", "1002", "1003", "1004"}; !slices.Equal(ids, want) {
		t.Errorf("emitted %v, want %v", ids, want)
	}
	want := []struct {
		line int
		msg  string
	}{
		{4, "decode posting"},
		{5, "missing source_id"},
		{7, "not a JSON object"},
		{8, "unknown work_mode"},
		{9, "salary min"},
		{10, "decode posting"},
		{11, "neither title nor description"},
		{13, "bad currency"},
	}
	if len(bad) != len(want) {
		t.Fatalf("bad rows %v, want %d", bad, len(want))
	}
	for i, w := range want {
		if bad[i].Line != w.line || !strings.Contains(bad[i].Err.Error(), w.msg) {
			t.Errorf("bad row %d: %v, want line %d with %q", i, bad[i], w.line, w.msg)
		}
	}
	if err := bad.Err(); err == nil || !strings.Contains(err.Error(), "line 4:") {
		t.Errorf("RowErrors.Err() = %v", err)
	}
	if RowErrors(nil).Err() != nil {
		t.Error("no bad rows, yet an error")
	}
}

func TestReadJSONLLongLineAndEdges(t *testing.T) {
	long := `{"source":"x","source_id":"1","description":"` + strings.Repeat("a", MaxLineBytes) + `"}`
	in := "\xef\xbb\xbf" + `{"source":"x","source_id":"0","title":"first"}` + "\r\n" + long + "\n\n" +
		`{"source":"x","source_id":"2","title":"after"}` // no final newline
	var ids []string
	bad, err := ReadJSONL(t.Context(), strings.NewReader(in), func(p skilltrend.Posting) error {
		ids = append(ids, p.SourceID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids, []string{"0", "2"}) || len(bad) != 1 || bad[0].Line != 2 {
		t.Fatalf("ids %v, bad %v", ids, bad)
	}
}

func TestReadJSONLStopsOnEmitErrorAndCancel(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSONL(&buf, Stream(Options{Postings: 3000})); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	boom := errors.New("disk full")
	n := 0
	_, err := ReadJSONL(t.Context(), bytes.NewReader(data), func(skilltrend.Posting) error {
		n++
		if n == 3 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || n != 3 || !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("err %v after %d postings", err, n)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	n = 0
	_, err = ReadJSONL(ctx, bytes.NewReader(data), func(skilltrend.Posting) error { n++; return nil })
	if !errors.Is(err, context.Canceled) || n >= 3000 {
		t.Fatalf("cancelled read: err %v, %d postings", err, n)
	}
}

func FuzzReadJSONL(f *testing.F) {
	seed, err := os.ReadFile("testdata/postings.jsonl")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{"source":"a","source_id":"b","title":"t","salary":{"min":1,"max":2,"currency":"EUR","period":"year"}}`))
	f.Add([]byte("\n\n{\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		last := 0
		bad, err := ReadJSONL(t.Context(), bytes.NewReader(data), func(p skilltrend.Posting) error {
			if verr := validate(&p); verr != nil {
				t.Fatalf("emitted an invalid posting: %v", verr)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("in-memory read failed: %v", err)
		}
		for _, b := range bad {
			if b.Line <= last || b.Line > lines {
				t.Fatalf("row error line %d after %d, input has %d lines", b.Line, last, lines)
			}
			last = b.Line
		}
	})
}

func BenchmarkReadJSONL(b *testing.B) {
	var buf bytes.Buffer
	if err := WriteJSONL(&buf, Stream(Options{Seed: 1, Postings: 20000})); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		if _, err := ReadJSONL(b.Context(), bytes.NewReader(data), func(skilltrend.Posting) error { n++; return nil }); err != nil || n != 20000 {
			b.Fatal(err, n)
		}
	}
	b.ReportMetric(float64(20000*b.N)/b.Elapsed().Seconds(), "postings/s")
}

func BenchmarkWriteJSONL(b *testing.B) {
	ps := Generate(Options{Seed: 1, Postings: 20000})
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteJSONL(discard{}, slices.Values(ps)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(20000*b.N)/b.Elapsed().Seconds(), "postings/s")
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// The fast decoder must agree with encoding/json on every row: the same
// posting, or both rejecting it.
func FuzzDecodeMatchesEncodingJSON(f *testing.F) {
	seed, err := os.ReadFile("testdata/postings.jsonl")
	if err != nil {
		f.Fatal(err)
	}
	for l := range bytes.SplitSeq(seed, []byte("\n")) {
		f.Add(l)
	}
	f.Add([]byte(`{"Source":"a","SOURCE_ID":"b","title":"\ud800x","posted_at":"2024-01-01T00:00:00+02:00"}`))
	f.Add([]byte(`{"source":"a","source_id":"b","title":"t","salary":null,"title":"dup"}`))
	f.Add([]byte("{\"source\":\"a\xff\",\"source_id\":\"b\",\"title\":\"t\"}"))
	f.Fuzz(func(t *testing.T, row []byte) {
		row = bytes.TrimSpace(row)
		if len(row) == 0 {
			return
		}
		got, gotErr := decodePosting(row)
		var want skilltrend.Posting
		wantErr := json.Unmarshal(row, &want)
		if wantErr == nil && row[0] != '{' {
			wantErr = errors.New("not an object")
		}
		if wantErr == nil {
			wantErr = validate(&want)
		}
		if (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("decodePosting error %v, encoding/json error %v", gotErr, wantErr)
		}
		if gotErr == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("decodePosting gave\n%+v\nencoding/json gave\n%+v", got, want)
		}
	})
}

// BenchmarkSynthJSONL is `skilltrend synth`: generate and write JSON Lines.
func BenchmarkSynthJSONL(b *testing.B) {
	const n = 50000
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteJSONL(discard{}, Stream(Options{Seed: 1, Postings: n})); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "postings/s")
}

// TestPlainRow compares plainRow with a byte-by-byte check on rows with a
// control byte, a non-ASCII rune or an invalid byte at every offset.
func TestPlainRow(t *testing.T) {
	reference := func(row []byte) bool {
		for _, c := range row {
			if c < 0x20 {
				return false
			}
		}
		return utf8.Valid(row)
	}
	base := []byte(`{"source":"hn","title":"Backend engineer, Go and Postgres"}`)
	for _, odd := range []string{"\n", "\x00", "\x1f", "é", "€", "\xff", "\xe2\x82", " "} {
		for at := 0; at <= len(base); at++ {
			row := append(append(append([]byte{}, base[:at]...), odd...), base[at:]...)
			if got, want := plainRow(row), reference(row); got != want {
				t.Fatalf("plainRow(%q) = %v, want %v", row, got, want)
			}
		}
	}
}

// TestReadJSONLAcrossChunks reads more lines than several chunks hold, with
// bad, blank and over-long rows spread over them: postings come in input
// order and every bad row with its own line number, as a line-by-line read
// would give them; a read error stops after the rows before it.
func TestReadJSONLAcrossChunks(t *testing.T) {
	const lines = 3*chunkLines + 123
	var in bytes.Buffer
	var wantIDs []string
	var wantBad []int
	validBefore := 0 // valid rows before line 3*chunkLines+1
	for line := 1; line <= lines; line++ {
		switch {
		case line%997 == 0:
			in.WriteString("{not json\n")
			wantBad = append(wantBad, line)
		case line%1500 == 0:
			in.WriteString("   \n")
		case line == 5000:
			in.WriteString(`{"source":"s","source_id":"long","title":"` + strings.Repeat("x", MaxLineBytes) + "\"}\n")
			wantBad = append(wantBad, line)
		default:
			id := strconv.Itoa(line)
			in.WriteString(`{"source":"s","source_id":"` + id + `","title":"Go developer"}` + "\n")
			wantIDs = append(wantIDs, id)
			if line <= 3*chunkLines {
				validBefore++
			}
		}
	}
	var gotIDs []string
	bad, err := ReadJSONL(t.Context(), bytes.NewReader(in.Bytes()), func(p skilltrend.Posting) error {
		gotIDs = append(gotIDs, p.SourceID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(gotIDs, wantIDs) {
		t.Fatalf("%d postings emitted, want %d in input order", len(gotIDs), len(wantIDs))
	}
	var gotBad []int
	for _, b := range bad {
		gotBad = append(gotBad, b.Line)
	}
	if !slices.Equal(gotBad, wantBad) {
		t.Fatalf("bad lines %v, want %v", gotBad, wantBad)
	}

	// The same input cut short by a read error on line 3*chunkLines+1.
	cut := bytes.Index(in.Bytes(), []byte(`"source_id":"`+strconv.Itoa(3*chunkLines+1)+`"`))
	broken := io.MultiReader(bytes.NewReader(in.Bytes()[:cut-1]), iotest.ErrReader(errors.New("disk gone")))
	n := 0
	_, err = ReadJSONL(t.Context(), broken, func(skilltrend.Posting) error { n++; return nil })
	if err == nil || !strings.Contains(err.Error(), "disk gone") {
		t.Fatalf("read error not reported: %v", err)
	}
	if n != validBefore {
		t.Fatalf("%d postings emitted before the read error, want %d", n, validBefore)
	}
}

// TestReadJSONLReusedChunksKeepPostings reads enough lines for chunk buffers
// to be reused many times over: every posting must still hold its own text
// at the end, so none may point into a buffer that later lines overwrote.
func TestReadJSONLReusedChunksKeepPostings(t *testing.T) {
	const lines = 10 * chunkLines
	var in bytes.Buffer
	for line := 1; line <= lines; line++ {
		n := strconv.Itoa(line)
		in.WriteString(`{"source":"s","source_id":"` + n + `","title":"Engineer ` + n + `","description":"Posting ` + n + ` wants Go."}` + "\n")
	}
	var got []skilltrend.Posting
	bad, err := ReadJSONL(t.Context(), &in, func(p skilltrend.Posting) error {
		got = append(got, p)
		return nil
	})
	if err != nil || len(bad) != 0 {
		t.Fatalf("err %v, bad rows %v", err, bad)
	}
	if len(got) != lines {
		t.Fatalf("%d postings, want %d", len(got), lines)
	}
	for i, p := range got {
		n := strconv.Itoa(i + 1)
		if p.SourceID != n || p.Title != "Engineer "+n || p.Description != "Posting "+n+" wants Go." {
			t.Fatalf("line %s read back as %q / %q / %q", n, p.SourceID, p.Title, p.Description)
		}
	}
}
