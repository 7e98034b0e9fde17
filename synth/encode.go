package synth

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/skilltrend/skilltrend"
)

// appendPosting appends p as encoding/json with SetEscapeHTML(false) would
// write it, about five times faster; TestAppendPostingMatchesEncodingJSON
// and FuzzAppendPosting hold it to that. Postings encoding/json would
// reject (NaN amounts, years outside 0-9999) go through encoding/json so
// that the error is its own.
func appendPosting(b []byte, p *skilltrend.Posting) ([]byte, error) {
	if !plainEncodable(p) {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		err := enc.Encode(p)
		return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...), err
	}
	b = append(b, `{"source":`...)
	b = appendString(b, p.Source)
	b = append(b, `,"source_id":`...)
	b = appendString(b, p.SourceID)
	b = appendField(b, "url", p.URL)
	b = appendField(b, "title", p.Title)
	b = appendField(b, "company", p.Company)
	b = appendField(b, "location", p.Location)
	b = appendField(b, "work_mode", string(p.WorkMode))
	b = appendField(b, "employment_type", p.EmploymentType)
	if s := p.Salary; s != nil {
		b = append(b, `,"salary":{`...)
		first := true
		sep := func() {
			if !first {
				b = append(b, ',')
			}
			first = false
		}
		if s.Min != 0 {
			sep()
			b = append(b, `"min":`...)
			b = appendFloat(b, s.Min)
		}
		if s.Max != 0 {
			sep()
			b = append(b, `"max":`...)
			b = appendFloat(b, s.Max)
		}
		if s.Currency != "" {
			sep()
			b = append(b, `"currency":`...)
			b = appendString(b, s.Currency)
		}
		if s.Period != "" {
			sep()
			b = append(b, `"period":`...)
			b = appendString(b, s.Period)
		}
		b = append(b, '}')
	}
	b = appendTime(b, "posted_at", p.PostedAt)
	b = appendTime(b, "first_seen", p.FirstSeen)
	b = appendTime(b, "last_seen", p.LastSeen)
	b = append(b, `,"description":`...)
	b = appendString(b, p.Description)
	b = appendField(b, "raw_html", p.RawHTML)
	return append(b, '}'), nil
}

func plainEncodable(p *skilltrend.Posting) bool {
	if s := p.Salary; s != nil {
		for _, v := range []float64{s.Min, s.Max} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return false
			}
		}
	}
	for _, t := range []time.Time{p.PostedAt, p.FirstSeen, p.LastSeen} {
		if y := t.Year(); !t.IsZero() && (y < 0 || y > 9999) {
			return false
		}
		if _, off := t.Zone(); off%60 != 0 || off >= 24*3600 || off <= -24*3600 {
			return false // RFC 3339 cannot write second offsets; let encoding/json decide
		}
	}
	return true
}

func appendField(b []byte, name, v string) []byte {
	if v == "" {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendString(b, v)
}

func appendTime(b []byte, name string, t time.Time) []byte {
	if t.IsZero() {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':', '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// appendFloat writes a float64 as encoding/json does.
func appendFloat(b []byte, f float64) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string the way encoding/json does
// without HTML escaping: invalid UTF-8 becomes U+FFFD, U+2028 and U+2029
// are escaped for JavaScript.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
