package reports

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"sort"
	"strconv"
	"strings"
)

//go:embed templates/page.html.tmpl
var templateFS embed.FS

// A page is one HTML file of the report, built completely in memory.
type page struct {
	File    string // file name in the report directory, e.g. "skill-go.html"
	Title   string
	Lead    []string // plain-language paragraphs under the title
	Filters []filter // selectors shown at the top when a block is filtered
	Blocks  []block
	Notes   []string // read-with-care warnings, e.g. small samples
}

// A filter is one selector (role, seniority, work mode). A filtered block
// holds one variant per combination of values that has data.
type filter struct {
	Name    string // "role"
	Label   string // "Role"
	Default string
	Options []option
}

type option struct {
	Value, Label string
}

// A block is one chart or table with its explanation. A static block shows
// one Option, Sentence and Table. A filtered block (Filtered != nil) takes
// its chart frame from Option and the data, sentence and table of each filter
// selection from Filtered; the page script switches between them.
type block struct {
	ID       string
	Heading  string
	Help     string        // what the chart shows, for readers new to it
	Height   int           // chart height in pixels; 0 for blocks without a chart
	Option   echartsOption // chart frame (static: the whole chart)
	Sentence string
	Table    table
	Links    []link
	Filtered *filtered
}

// filtered holds the variants of a filtered block, keyed by variantKey. The
// table of a variant is laid out by the page script: X, then each series as
// a percentage, then each extra column; Header names those columns.
type filtered struct {
	X        []string
	Header   []string
	Variants map[string]variantData
}

// variantData is what the page script needs for one selection: one data
// array per series of the frame (same order, aligned with X, values in
// percent), table-only columns and the sentence. It is marshalled to escaped
// JSON; the script inserts every string with textContent.
type variantData struct {
	Series   [][]float64 // NaN: no value
	Extra    [][]int64   // negative: no value
	Sentence string
}

type table struct {
	Caption string
	Header  []string
	Rows    [][]cell
}

// A cell is one table value. Text cells come from scraped or taxonomy data
// and are guarded against spreadsheet formulas in the CSV.
type cell struct {
	Value string
	Text  bool
	Href  string // optional link; see safeHref
}

type link struct {
	Href, Text, Note string
}

// variantKey is the key the page script builds from the selectors:
// "role=backend;seniority=all;work_mode=all".
func variantKey(pairs ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(pairs); i += 2 {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(pairs[i] + "=" + pairs[i+1])
	}
	return b.String()
}

// pageView is what the template sees: chart options already turned into
// escaped JSON and CSVs into data URIs.
type pageView struct {
	page
	Nav        []link
	AssetDir   string
	Generated  string
	DefaultKey string
	Views      []blockView
}

type blockView struct {
	block
	Options  template.JS // escaped JSON, see optionJSON; "" when no chart
	Variants template.JS // escaped JSON of filtered variants; "" when static
	CSV      template.URL
	CSVName  string
}

var pageTemplate = template.Must(template.New("page.html.tmpl").Funcs(template.FuncMap{
	"safeHref": safeHref,
}).ParseFS(templateFS, "templates/page.html.tmpl"))

// renderPage executes the page template.
func renderPage(p page, nav []link, generated string) ([]byte, error) {
	v := pageView{page: p, Nav: nav, AssetDir: assetDir, Generated: generated}
	if len(p.Filters) > 0 {
		var pairs []string
		for _, f := range p.Filters {
			pairs = append(pairs, f.Name, f.Default)
		}
		v.DefaultKey = variantKey(pairs...)
	}
	for _, b := range p.Blocks {
		bv := blockView{block: b}
		if b.Option != nil && b.Height > 0 {
			js, err := optionJSON(b.Option)
			if err != nil {
				return nil, fmt.Errorf("page %s, block %s: %w", p.File, b.ID, err)
			}
			bv.Options = template.JS(js)
		}
		if b.Filtered != nil {
			js, err := variantsJSON(b.Filtered)
			if err != nil {
				return nil, fmt.Errorf("page %s, block %s: %w", p.File, b.ID, err)
			}
			bv.Variants = template.JS(js)
		} else if len(b.Table.Rows) > 0 {
			bv.CSV = csvDataURI(b.Table)
			bv.CSVName = fileSlug(strings.TrimSuffix(p.File, ".html")+"-"+b.ID) + ".csv"
		}
		v.Views = append(v.Views, bv)
	}
	size := 32 << 10
	for _, bv := range v.Views {
		size += len(bv.Options) + len(bv.Variants) + len(bv.CSV) + 1024*len(bv.Table.Rows)/8
	}
	var buf bytes.Buffer
	buf.Grow(size)
	if err := pageTemplate.Execute(&buf, v); err != nil {
		return nil, fmt.Errorf("render page %s: %w", p.File, err)
	}
	// Last guard: no string, escaped or not, keeps the function marker.
	// Removing underscores and an "f" cannot form markup, since "<" is
	// escaped everywhere.
	out := buf.Bytes()
	for bytes.Contains(out, []byte(funcMarker)) {
		out = bytes.ReplaceAll(out, []byte(funcMarker), nil)
	}
	return out, nil
}

// variantsJSON encodes a filtered block's data as
// {"x":[...],"header":[...],"variants":{key:{"series":[[...]],"extra":[[...]],"sentence":"..."}}}.
// It is written by hand because skill pages carry hundreds of variants;
// every string still goes through encoding/json (HTML-escaped) after the
// function marker is stripped.
func variantsJSON(f *filtered) ([]byte, error) {
	var buf bytes.Buffer
	if len(f.Variants) > 0 {
		per := 200 // sentence and punctuation
		for _, v := range f.Variants {
			per += 6 * len(f.X) * (len(v.Series) + len(v.Extra))
			break
		}
		buf.Grow(per * len(f.Variants))
	}
	str := func(s string) error {
		b, err := json.Marshal(stripMarker(s))
		if err != nil {
			return fmt.Errorf("marshal variants: %w", err)
		}
		buf.Write(b)
		return nil
	}
	strs := func(ss []string) error {
		buf.WriteByte('[')
		for i, s := range ss {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := str(s); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
		return nil
	}
	buf.WriteString(`{"x":`)
	if err := strs(f.X); err != nil {
		return nil, err
	}
	buf.WriteString(`,"header":`)
	if err := strs(f.Header); err != nil {
		return nil, err
	}
	buf.WriteString(`,"variants":{`)
	keys := make([]string, 0, len(f.Variants))
	for k := range f.Variants {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var num []byte
	for i, k := range keys {
		v := f.Variants[k]
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := str(k); err != nil {
			return nil, err
		}
		buf.WriteString(`:{"series":[`)
		for j, series := range v.Series {
			if j > 0 {
				buf.WriteByte(',')
			}
			buf.WriteByte('[')
			for n, x := range series {
				if n > 0 {
					buf.WriteByte(',')
				}
				if math.IsNaN(x) || math.IsInf(x, 0) {
					buf.WriteString("null")
					continue
				}
				num = strconv.AppendFloat(num[:0], x, 'f', -1, 64)
				buf.Write(num)
			}
			buf.WriteByte(']')
		}
		buf.WriteString(`],"extra":[`)
		for j, col := range v.Extra {
			if j > 0 {
				buf.WriteByte(',')
			}
			buf.WriteByte('[')
			for n, x := range col {
				if n > 0 {
					buf.WriteByte(',')
				}
				if x < 0 {
					buf.WriteString("null")
					continue
				}
				num = strconv.AppendInt(num[:0], x, 10)
				buf.Write(num)
			}
			buf.WriteByte(']')
		}
		buf.WriteString(`],"sentence":`)
		if err := str(v.Sentence); err != nil {
			return nil, err
		}
		buf.WriteByte('}')
	}
	buf.WriteString("}}")
	return buf.Bytes(), nil
}

// safeHref lets through only links to web pages and to pages of the report;
// anything else (javascript:, data:, file:, other folders) becomes "".
func safeHref(s string) string {
	l := strings.ToLower(strings.TrimSpace(s))
	switch {
	case strings.HasPrefix(l, "https://"), strings.HasPrefix(l, "http://"):
		if strings.ContainsAny(s, " \t\r\n\"'<>`") {
			return ""
		}
		return s
	case strings.HasSuffix(l, ".html") && !strings.ContainsAny(l, ":/\\?#%"):
		return s
	}
	return ""
}
