package reports

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"testing"
)

// xssPayloads are scraped strings that must end up as inert text.
var xssPayloads = []string{
	`</script><script>alert(1)</script>`,
	`<img src=x onerror=alert(1)>`,
	`__f__function(){alert(1)}__f__`,
	`<!--<script>`,
}

func TestEmbeddedEChartsMatchesManifest(t *testing.T) {
	m, err := verifyECharts()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(m.Version, "5.") {
		t.Errorf("ECharts version %s, want 5.x (the major version go-echarts targets)", m.Version)
	}
	// Recompute independently of verifyECharts from the file on disk.
	js, err := os.ReadFile("assets/echarts.min.js")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(js)
	if got := hex.EncodeToString(sum[:]); got != m.SHA256 {
		t.Errorf("assets/echarts.min.js sha256 %s, ECHARTS_VERSION records %s", got, m.SHA256)
	}
	for _, name := range []string{"LICENSE", "NOTICE", "LICENSE-d3"} {
		b, err := os.ReadFile("assets/" + name)
		if err != nil || len(b) == 0 {
			t.Errorf("licence file %s missing or empty: %v", name, err)
		}
	}
	out, err := assetOutputs()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out["assets/echarts.min.js"], js) {
		t.Error("the asset written beside the pages differs from assets/echarts.min.js")
	}
}

func TestStripMarker(t *testing.T) {
	for _, in := range []string{"__f__x__f__", "_____f__f__", "__f__f__f__", "a__f__b", "__f___f____f__"} {
		if got := stripMarker(in); strings.Contains(got, funcMarker) {
			t.Errorf("stripMarker(%q) = %q, still holds the marker", in, got)
		}
	}
	if got := stripMarker("Go"); got != "Go" {
		t.Errorf("stripMarker changed a clean string: %q", got)
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  Senior\tGo\n engineer ", "Senior Go engineer"},
		{"__f__function(){alert(1)}__f__", "function(){alert(1)}"},
		{"a\u2028b", "a b"},
		{strings.Repeat("x", 300), strings.Repeat("x", maxTextLen-1) + "…"},
	}
	for _, tt := range tests {
		if got := cleanText(tt.in); got != tt.want {
			t.Errorf("cleanText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestOptionJSONIsInert renders charts whose labels and series names carry
// the payloads and checks that the JSON can neither close the script
// element nor smuggle a function, and still decodes to the same text.
func TestOptionJSONIsInert(t *testing.T) {
	for _, p := range xssPayloads {
		t.Run(p, func(t *testing.T) {
			charts := []echartsOption{
				rankBar([]string{p, "Go"}, []barSeries{{Name: p, Values: []float64{1, 2}}}, "%"),
				lineFrame([]lineStyle{{Name: p}}),
				staticLines([]string{p}, []lineSeries{{Name: p, Values: []*float64{percent(0.5)}}}, ""),
			}
			for _, c := range charts {
				js, err := optionJSON(c)
				if err != nil {
					t.Fatal(err)
				}
				s := string(js)
				for _, bad := range []string{"<", ">", "__f__", "\u2028"} {
					if strings.Contains(s, bad) {
						t.Errorf("option JSON contains %q: %s", bad, s)
					}
				}
				var tree map[string]any
				if err := json.Unmarshal(js, &tree); err != nil {
					t.Fatalf("option is not JSON: %v", err)
				}
				if tip, _ := tree["tooltip"].(map[string]any); tip["renderMode"] != "richText" {
					t.Errorf("tooltip not drawn as rich text: %v", tree["tooltip"])
				}
				want := stripMarker(p)
				if !strings.Contains(string(mustJSON(t, tree)), string(mustJSON(t, want))[1:len(mustJSON(t, want))-1]) {
					t.Errorf("payload text %q lost from option", want)
				}
			}
		})
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCSV(t *testing.T) {
	tb := table{Header: []string{"Title", "Share"}, Rows: [][]cell{
		{{Value: "=HYPERLINK(\"http://x\")", Text: true}, {Value: "-1.5"}},
		{{Value: xssPayloads[0], Text: true}, {Value: "2%"}},
	}}
	got := string(tableCSV(tb))
	want := "Title,Share\n\"'=HYPERLINK(\"\"http://x\"\")\",-1.5\n</script><script>alert(1)</script>,2%\n"
	if got != want {
		t.Errorf("tableCSV =\n%q\nwant\n%q", got, want)
	}
	uri := string(csvDataURI(tb))
	const prefix = "data:text/csv;charset=utf-8,"
	if !strings.HasPrefix(uri, prefix) || strings.ContainsAny(uri[len(prefix):], "<>\"' ,;:/") {
		t.Errorf("data URI not fully encoded: %s", uri)
	}
	dec, err := url.PathUnescape(uri[len(prefix):])
	if err != nil || dec != want {
		t.Errorf("data URI decodes to %q (%v), want the CSV", dec, err)
	}
}

func TestSafeHref(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://jobs.example.com/1", "https://jobs.example.com/1"},
		{"javascript:alert(1)", ""},
		{"JaVaScRiPt:alert(1)", ""},
		{"data:text/html,<script>alert(1)</script>", ""},
		{"skill-go.html", "skill-go.html"},
		{"../etc/passwd.html", ""},
		{"file:///etc/passwd", ""},
		{"https://x.example/\"onmouseover=alert(1)", ""},
	}
	for _, tt := range tests {
		if got := safeHref(tt.in); got != tt.want {
			t.Errorf("safeHref(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestRenderPageEscapes puts every payload in every text field of a page
// model and checks the HTML: no payload survives as markup, the only
// scripts are the two assets and the JSON data blocks.
func TestRenderPageEscapes(t *testing.T) {
	for _, p := range xssPayloads {
		pg := page{File: "skill-x.html", Title: p, Lead: []string{p}, Notes: []string{p}, Filters: (&builder{}).filters(),
			Blocks: []block{
				{ID: "a", Heading: p, Help: p, Height: 200, Option: rankBar([]string{p}, []barSeries{{Name: p, Values: []float64{1}}}, ""),
					Sentence: p, Links: []link{{Href: "javascript:alert(1)", Text: p, Note: p}},
					Table: table{Caption: p, Header: []string{p}, Rows: [][]cell{{{Value: p, Text: true, Href: "https://e.example/?q=" + url.QueryEscape(p)}}}}},
				{ID: "b", Heading: p, Height: 200, Option: lineFrame([]lineStyle{{Name: p}}), Filtered: &filtered{
					X: []string{p}, Header: []string{p}, Variants: map[string]variantData{
						variantKey("role", "backend", "seniority", "all", "work_mode", "all"): {Series: [][]float64{{0.1}}, Sentence: p},
					}}},
			}}
		html, err := renderPage(pg, []link{{Href: "index.html", Text: p}}, p)
		if err != nil {
			t.Fatal(err)
		}
		s := string(html)
		for _, bad := range []string{"<script>alert", "<img", "__f__", "<!--<script>", "javascript:"} {
			if strings.Contains(s, bad) {
				t.Errorf("payload %q: page contains %q", p, bad)
			}
		}
		if n := strings.Count(s, "<script"); n != 2+3 { // echarts, report.js, 2 options, 1 variants
			t.Errorf("payload %q: %d script elements, want 5", p, n)
		}
		if n := strings.Count(s, `<script type="application/json"`); n != 3 {
			t.Errorf("payload %q: %d JSON data blocks, want 3", p, n)
		}
	}
}
