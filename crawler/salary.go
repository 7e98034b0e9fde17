package crawler

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/skilltrend/skilltrend"
)

// reSalary finds a stated pay amount or range with a currency: "$120k - $180k",
// "€60-80k", "120,000-150,000 USD", "CA$110k – CA$145k", "1 050 000 SEK –
// 1 300 000 SEK per year", "$75/hr". A number without a currency is not
// taken as pay (it is as likely a year or a team size).
var reSalary = func() *regexp.Regexp {
	const (
		sym  = `(?:CA\$|C\$|AU\$|A\$|US\$|NZ\$|S\$|HK\$|[$€£₹¥])`
		code = `\b(?:USD|EUR|GBP|CAD|AUD|NZD|SGD|HKD|CHF|SEK|NOK|DKK|PLN|CZK|INR|JPY|BRL|MXN|ZAR|ILS)\b`
		num  = `(?:\d{1,3}(?:[,.\x{a0} ]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)`
		per  = `(?:\s?(?:/|per |an |a )\s?(?:hr|hour|h|yr|year|annum|y|month|mo|week|wk|day)\b)`
	)
	return regexp.MustCompile(`(?i)(?:(?P<c1>` + sym + `|` + code + `)\s?)?(?P<a>` + num + `)\s?(?P<ka>[kK])?(?:\s?(?P<c1b>` + sym + `|` + code + `))?` +
		`(?:\s?(?:-|–|—|to)\s?(?:(?:` + sym + `|` + code + `)\s?)?(?P<b>` + num + `)\s?(?P<kb>[kK])?)?` +
		`(?:\s?(?P<c2>` + sym + `|` + code + `))?(?P<per>` + per + `)?`)
}()

var currencySymbols = map[string]string{"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "₹": "INR", "¥": "JPY",
	"CA$": "CAD", "C$": "CAD", "A$": "AUD", "AU$": "AUD", "NZ$": "NZD", "S$": "SGD", "HK$": "HKD"}

// parseSalary returns the first pay statement in s, or nil.
func parseSalary(s string) *skilltrend.Salary {
	for _, m := range reSalary.FindAllStringSubmatch(s, -1) {
		g := map[string]string{}
		for i, name := range reSalary.SubexpNames() {
			if name != "" {
				g[name] = m[i]
			}
		}
		cur := strings.ToUpper(g["c1"])
		if c, ok := currencySymbols[cur]; ok {
			cur = c
		}
		for _, k := range []string{"c1b", "c2"} {
			if cur == "" {
				cur = strings.ToUpper(g[k])
				if c, ok := currencySymbols[cur]; ok {
					cur = c
				}
			}
		}
		if cur == "" {
			continue
		}
		kA := g["ka"] != ""
		kB := g["kb"] != ""
		a, okA := salaryNumber(g["a"], kA || (kB && !kA && g["b"] != ""))
		if !okA {
			continue
		}
		sal := &skilltrend.Salary{Min: a, Currency: cur, Period: salaryPeriod(g["per"])}
		if g["b"] != "" {
			b, okB := salaryNumber(g["b"], kB || kA)
			if okB && b >= a {
				sal.Max = b
			}
		}
		if sal.Period == "year" && sal.Min < 1000 {
			continue // "$5" is no annual pay: a price, a funding round, noise
		}
		return sal
	}
	return nil
}

func salaryNumber(s string, thousands bool) (float64, bool) {
	// "120,000", "120.000" and "1 050 000" have thousands separators; "37.5"
	// is a decimal.
	s = dropSpaces.Replace(s)
	if i := strings.LastIndexAny(s, ",."); i >= 0 && len(s)-i-1 == 3 {
		s = dropThousands.Replace(s)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v <= 0 {
		return 0, false
	}
	if thousands {
		v *= 1000
	}
	return v, true
}

func salaryPeriod(per string) string {
	per = strings.ToLower(per)
	switch {
	case per == "":
		return "year"
	case strings.Contains(per, "mo"):
		return "month"
	case strings.Contains(per, "h"):
		return "hour"
	case strings.Contains(per, "w"):
		return "week"
	case strings.Contains(per, "day"):
		return "day"
	}
	return "year"
}
