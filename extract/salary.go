package extract

import (
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/skilltrend/skilltrend"
)

var currencyOf = map[string]string{
	"$": "USD", "us$": "USD", "usd": "USD",
	"€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
	"£": "GBP", "gbp": "GBP",
	"ca$": "CAD", "c$": "CAD", "cad": "CAD",
	"au$": "AUD", "a$": "AUD", "aud": "AUD",
	"nz$": "NZD", "nzd": "NZD", "s$": "SGD", "sgd": "SGD",
	"chf": "CHF", "₹": "INR", "inr": "INR", "¥": "JPY", "jpy": "JPY",
	"sek": "SEK", "nok": "NOK", "dkk": "DKK", "pln": "PLN",
}

// perYear is how many hours, days, weeks or months a working year holds.
func perYear(period string) (float64, bool) {
	switch period {
	case "hour":
		return 2080, true
	case "day":
		return 260, true
	case "week":
		return 52, true
	case "month":
		return 12, true
	case "year", "":
		return 1, true
	}
	return 0, false
}

// Plausible annual pay; outside it a "salary" is a funding round or a price.
const minAnnual, maxAnnual = 5000, 1500000

// annualise converts a stated pay range to a yearly one, nil when it makes
// no sense.
func annualise(s skilltrend.Salary) *skilltrend.Salary {
	a, ok := annualRange(s)
	if !ok {
		return nil
	}
	return &a
}

// annualRange is annualise without allocating: ok is false when the range
// makes no sense.
func annualRange(s skilltrend.Salary) (a skilltrend.Salary, ok bool) {
	f, ok := perYear(s.Period)
	if !ok || (s.Min <= 0 && s.Max <= 0) || s.Min < 0 || s.Max < 0 {
		return skilltrend.Salary{}, false
	}
	a = skilltrend.Salary{Min: s.Min * f, Max: s.Max * f, Currency: s.Currency, Period: "year"}
	if a.Max > 0 && a.Min > a.Max {
		a.Min, a.Max = a.Max, a.Min
	}
	return a, true
}

// findSalary reads the first plausible pay range next to a currency:
// "$120k-$150k", "€60,000 - 80,000 per year", "USD 120-150k", "$70/hr",
// "60.000–80.000 EUR".
func findSalary(text string, hits []hit, ents []entry) *skilltrend.Salary {
	for _, h := range hits {
		if h.marker != markCurrency {
			continue
		}
		cur := currencyOf[strings.ToLower(ents[h.entry].text)]
		start, end := int(h.start), int(h.end)
		k := end
		for k < len(text) && text[k] == ' ' {
			k++
		}
		lo, hi, rEnd, ok := parseRange(text, k)
		if !ok {
			// The amount may come before the currency: "80,000 EUR".
			b := start
			for b > 0 && start-b < 40 {
				if strings.IndexByte("0123456789.,kK -\xe2\x80\x93\x94", text[b-1]) >= 0 {
					b--
					continue
				}
				if w := rangeWordBefore(text[:b]); w > 0 {
					b -= w
					continue
				}
				break
			}
			for b < start && !isDigit(text[b]) {
				b++
			}
			if b == start {
				continue
			}
			lo, hi, rEnd, ok = parseRange(text, b)
			if !ok || rEnd > start+1 {
				continue
			}
			rEnd = end
		}
		period := periodAfter(text[rEnd:min(len(text), rEnd+30)])
		top := max(lo, hi)
		if period == "" {
			switch {
			case top >= 20000:
				period = "year"
			case top >= 10 && top <= 500:
				period = "hour"
			default:
				continue
			}
		}
		s, ok := annualRange(skilltrend.Salary{Min: lo, Max: hi, Currency: cur, Period: period})
		if !ok || s.Min < minAnnual || max(s.Min, s.Max) > maxAnnual {
			continue
		}
		return &s
	}
	return nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// parseRange reads "A", "A-B", "A to B", with an optional currency before B
// and a shared k suffix ("120-150k").
func parseRange(text string, i int) (lo, hi float64, end int, ok bool) {
	a, aMul, j, ok := parseAmount(text, i)
	if !ok {
		return 0, 0, 0, false
	}
	k := j
	for k < len(text) && text[k] == ' ' {
		k++
	}
	sep := 0
	switch {
	case strings.HasPrefix(text[k:], "-") || strings.HasPrefix(text[k:], "~"):
		sep = 1
	case strings.HasPrefix(text[k:], "–") || strings.HasPrefix(text[k:], "—"):
		sep = len("–")
	case len(text)-k > 3 && strings.EqualFold(text[k:k+3], "to "):
		sep = 3
	case len(text)-k > 4 && strings.EqualFold(text[k:k+4], "and "):
		sep = 4
	}
	if sep > 0 {
		k += sep
		for k < len(text) && text[k] == ' ' {
			k++
		}
		for _, sym := range []string{"$", "€", "£", "usd", "eur", "gbp"} {
			if len(text)-k >= len(sym) && strings.EqualFold(text[k:k+len(sym)], sym) {
				k += len(sym)
				break
			}
		}
		for k < len(text) && text[k] == ' ' {
			k++
		}
		if b, bMul, e, ok := parseAmount(text, k); ok {
			if aMul == 1 && bMul > 1 && a < 1000 {
				a *= bMul
			}
			return a * aMul, b * bMul, e, true
		}
	}
	return a * aMul, 0, j, true
}

// parseAmount reads "120", "120,000", "60.000", "70.50", "120k", "1.2M".
func parseAmount(text string, i int) (v, mul float64, end int, ok bool) {
	j := i
	for j < len(text) && isDigit(text[j]) {
		v = v*10 + float64(text[j]-'0')
		j++
	}
	if j == i || j-i > 7 {
		return 0, 0, 0, false
	}
	for j+3 < len(text) && (text[j] == ',' || text[j] == '.') && isDigit(text[j+1]) && isDigit(text[j+2]) && isDigit(text[j+3]) &&
		(j+4 == len(text) || !isDigit(text[j+4])) {
		v = v*1000 + float64(text[j+1]-'0')*100 + float64(text[j+2]-'0')*10 + float64(text[j+3]-'0')
		j += 4
	}
	if j+1 < len(text) && text[j] == '.' && isDigit(text[j+1]) {
		f, d := 0.0, 1.0
		j++
		for j < len(text) && isDigit(text[j]) && d < 1000 {
			d *= 10
			f += float64(text[j]-'0') / d
			j++
		}
		v += f
	}
	mul = 1
	k := j
	if k < len(text) && text[k] == ' ' {
		k++
	}
	rest := lowerASCII(text[k:min(len(text), k+9)], make([]byte, 0, 9))
	for _, s := range []struct {
		word string
		mul  float64
	}{{"thousand", 1e3}, {"million", 1e6}, {"billion", 1e9}, {"mm", 1e6}, {"bn", 1e9}, {"k", 1e3}, {"m", 1e6}, {"b", 1e9}} {
		if strings.HasPrefix(rest, s.word) && (len(rest) == len(s.word) || !isWordByte[rest[len(s.word)]]) {
			if len(s.word) == 1 && k != j {
				continue // "120 k" is rare, "120 Main St" is not
			}
			return v, s.mul, k + len(s.word), true
		}
	}
	return v, mul, j, true
}

// periodAfter reads the pay period that follows an amount.
func periodAfter(s string) string {
	s = lowerASCII(s, make([]byte, 0, 32))
	// A period counts when it starts in the first 12 bytes: only those
	// that begin with one of these bytes are looked for.
	var first [4]uint64
	for _, c := range []byte(s[:min(len(s), 12)]) {
		first[c/64] |= 1 << (c % 64)
	}
	for _, p := range []struct{ text, period string }{
		{"/hr", "hour"}, {"/hour", "hour"}, {"/h ", "hour"}, {"per hour", "hour"}, {"an hour", "hour"}, {"hourly", "hour"}, {"p/h", "hour"},
		{"/day", "day"}, {"per day", "day"}, {"a day", "day"}, {"daily", "day"},
		{"/week", "week"}, {"/wk", "week"}, {"per week", "week"}, {"weekly", "week"},
		{"/month", "month"}, {"/mo", "month"}, {"per month", "month"}, {"a month", "month"}, {"monthly", "month"}, {"pcm", "month"},
		{"/year", "year"}, {"/yr", "year"}, {"per year", "year"}, {"a year", "year"}, {"annually", "year"}, {"annual", "year"},
		{"p.a.", "year"}, {"per annum", "year"}, {"/annum", "year"}, {"yearly", "year"},
	} {
		if c := p.text[0]; first[c/64]&(1<<(c%64)) == 0 {
			continue
		}
		if i := strings.Index(s, p.text); i >= 0 && i < 12 {
			return p.period
		}
	}
	return ""
}

// rangeWordBefore returns the length of " to" or " and" ending s when a
// number comes right before it ("60,000 and"), else 0.
func rangeWordBefore(s string) int {
	for _, w := range []string{" to", " and"} {
		n := len(w)
		if len(s) > n && strings.EqualFold(s[len(s)-n:], w) {
			if c := s[len(s)-n-1]; isDigit(c) || c == 'k' || c == 'K' {
				return n
			}
		}
	}
	return 0
}

// lowerASCII is strings.ToLower(s). When s is ASCII it folds s into buf
// and returns a string over buf's memory, which must not change while the
// string is in use; the callers pass fresh buffers that do not escape, so
// that the common case allocates nothing.
func lowerASCII(s string, buf []byte) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.ToLower(s)
		}
	}
	for i := 0; i < len(s); i++ {
		buf = append(buf, foldByte[s[i]])
	}
	return unsafe.String(unsafe.SliceData(buf), len(buf))
}
