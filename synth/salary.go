package synth

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/skilltrend/skilltrend"
)

var levelPay = map[skilltrend.Seniority]float64{
	skilltrend.SeniorityIntern: 0.35, skilltrend.SeniorityJunior: 0.7, skilltrend.SeniorityMid: 1,
	skilltrend.SenioritySenior: 1.3, skilltrend.SeniorityStaff: 1.65, skilltrend.SeniorityLead: 1.5,
}

// salary draws a pay range for the currency and level, in the period that
// currency's postings usually quote, and the way a posting would write it.
func salary(rng *rand.Rand, cur string, lv skilltrend.Seniority, emp string) (*skilltrend.Salary, string) {
	band := midBand[cur]
	f := levelPay[lv] * (0.9 + 0.2*rng.Float64())
	lo, hi := band[0]*1000*f, band[1]*1000*f
	period := "year"
	switch {
	case emp == "CONTRACTOR" && (cur == "GBP" || cur == "EUR"):
		period, lo, hi = "day", lo/220, hi/220
	case emp == "CONTRACTOR" || emp == "INTERN" && cur == "USD":
		period, lo, hi = "hour", lo/1800, hi/1800
	case emp == "INTERN" || cur == "PLN" && rng.Float64() < 0.7:
		period, lo, hi = "month", lo/12, hi/12
	}
	step := roundingSteps[period]
	if cur == "INR" || cur == "SEK" {
		step *= 10
	}
	lo = math.Round(lo/step) * step
	hi = math.Max(lo+step, math.Round(hi/step)*step)
	s := &skilltrend.Salary{Min: lo, Max: hi, Currency: cur, Period: period}
	if rng.Float64() < 0.05 {
		s.Max = 0
		return s, "from " + money(rng, cur, lo, period == "year") + " " + per(period)
	}
	short := period == "year" && rng.Float64() < 0.4
	return s, money(rng, cur, lo, short) + " – " + money(rng, cur, hi, short) + " " + per(period)
}

var roundingSteps = map[string]float64{"year": 5000, "month": 500, "day": 25, "hour": 5}

func per(period string) string { return "per " + period }

// money writes an amount as postings do: "$150,000", "$150k", "85.000 €",
// "18 000 PLN".
func money(rng *rand.Rand, cur string, v float64, short bool) string {
	sym, hasSym := currencySymbol[cur]
	if short && v >= 1000 && hasSym && cur != "INR" {
		return sym + strconv.FormatFloat(v/1000, 'f', -1, 64) + "k"
	}
	n := strconv.FormatFloat(v, 'f', -1, 64)
	switch {
	case cur == "EUR" && rng.Float64() < 0.4:
		return group(n, ".") + " €"
	case !hasSym:
		return group(n, " ") + " " + cur
	}
	return sym + group(n, ",")
}

func group(n, sep string) string {
	if len(n) <= 4 || strings.ContainsRune(n, '.') {
		return n
	}
	var sb strings.Builder
	for i, r := range n {
		if i > 0 && (len(n)-i)%3 == 0 {
			sb.WriteString(sep)
		}
		sb.WriteRune(r)
	}
	return sb.String()
}
