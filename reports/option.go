package reports

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
)

// funcMarker is what go-echarts' renderer turns into raw JavaScript. It must
// never survive in any string that reaches a page.
const funcMarker = "__f__"

// echartsOption is what go-echarts chart types provide: Validate fills in the
// axis data, JSON returns the option tree.
type echartsOption interface {
	Validate()
	JSON() map[string]any
}

// optionJSON turns a go-echarts chart into the JSON that the page parses at
// load time. It never uses go-echarts' own renderer (which writes options
// into executable script unescaped): the tree is marshalled, every string is
// cleaned of the function marker, and the result is HTML-escaped JSON, inert
// inside <script type="application/json">.
func optionJSON(c echartsOption) ([]byte, error) {
	c.Validate()
	raw, err := json.Marshal(c.JSON())
	if err != nil {
		return nil, fmt.Errorf("marshal chart option: %w", err)
	}
	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		return nil, fmt.Errorf("reparse chart option: %w", err)
	}
	tree = scrubTree(tree)
	if m, ok := tree.(map[string]any); ok {
		tip, _ := m["tooltip"].(map[string]any)
		if tip == nil {
			tip = map[string]any{}
		}
		// Tooltips drawn on the canvas cannot interpret markup.
		tip["renderMode"] = "richText"
		m["tooltip"] = tip
		m["aria"] = map[string]any{"enabled": true}
	}
	// encoding/json escapes <, >, &, U+2028 and U+2029, so neither
	// "</script" nor "<!--" can appear in the output.
	out, err := json.Marshal(tree)
	if err != nil {
		return nil, fmt.Errorf("marshal chart option: %w", err)
	}
	return out, nil
}

// scrubTree cleans every string, key included, in a decoded JSON tree.
func scrubTree(v any) any {
	switch t := v.(type) {
	case string:
		return stripMarker(t)
	case []any:
		for i := range t {
			t[i] = scrubTree(t[i])
		}
		return t
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[stripMarker(k)] = scrubTree(x)
		}
		return out
	default:
		return v
	}
}

// stripMarker removes go-echarts' function marker, repeatedly, so that
// removing one occurrence cannot splice a new one together.
func stripMarker(s string) string {
	for strings.Contains(s, funcMarker) {
		s = strings.ReplaceAll(s, funcMarker, "")
	}
	return s
}

// maxTextLen bounds any scraped string shown on a page.
const maxTextLen = 200

// cleanText prepares a scraped string for display: the function marker and
// control characters go, white space is collapsed and the length bounded.
// Escaping is left to html/template and encoding/json.
func cleanText(s string) string {
	s = stripMarker(s)
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == unicode.ReplacementChar {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > maxTextLen {
		s = string(r[:maxTextLen-1]) + "…"
	}
	return stripMarker(s)
}
