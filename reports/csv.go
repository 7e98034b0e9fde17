package reports

import (
	"bytes"
	"encoding/csv"
	"html/template"
	"strings"
)

// tableCSV writes a table as CSV. Text cells that a spreadsheet would read as
// a formula get a leading apostrophe.
func tableCSV(t table) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(t.Header)
	for _, r := range t.Rows {
		rec := make([]string, len(r))
		for i, c := range r {
			rec[i] = c.Value
			if c.Text && c.Value != "" && strings.ContainsRune("=+-@\t\r", rune(c.Value[0])) {
				rec[i] = "'" + c.Value
			}
		}
		_ = w.Write(rec)
	}
	w.Flush()
	return buf.Bytes()
}

// csvDataURI returns the table as a data: URI for a download link. Every byte
// outside the unreserved set is percent-encoded, so the URI carries no markup.
func csvDataURI(t table) template.URL {
	const hex = "0123456789ABCDEF"
	data := tableCSV(t)
	var b strings.Builder
	b.WriteString("data:text/csv;charset=utf-8,")
	for _, c := range data {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == '~':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return template.URL(b.String())
}

// fileSlug makes a file name from text: lower-case ASCII letters, digits and
// dashes only.
func fileSlug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			b.WriteRune(r)
			dash = false
		case r == '+':
			b.WriteString("plus")
			dash = false
		case r == '#':
			b.WriteString("sharp")
			dash = false
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	out := strings.Trim(b.String(), "-")
	if len(out) > 80 {
		out = strings.Trim(out[:80], "-")
	}
	if out == "" {
		out = "x"
	}
	return out
}
