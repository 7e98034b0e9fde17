package reports

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// pct formats a share (0..1) as a percentage for sentences and tables.
func pct(share float64) string {
	p := share * 100
	switch {
	case p == 0:
		return "0%"
	case p < 0.1:
		return "under 0.1%"
	}
	return strconv.FormatFloat(p, 'f', 1, 64) + "%"
}

// percent returns a share as a percentage rounded for charts.
func percent(share float64) *float64 {
	v := math.Round(share*1000) / 10
	return &v
}

// points formats a change in percentage points: "+1.2 points".
func points(pp float64) string {
	s := strconv.FormatFloat(math.Abs(pp), 'f', 1, 64)
	switch {
	case s == "0.0":
		return "no change"
	case pp > 0:
		return "+" + s + " points"
	}
	return "−" + s + " points"
}

func monthLabel(t time.Time) string { return t.Format("Jan 2006") }

func monthLong(t time.Time) string { return t.Format("January 2006") }

// windowLabel is "Mar–May 2026" for a window of months.
func windowLabel(from, to time.Time) string {
	if from.IsZero() || to.IsZero() {
		return "the latest three months"
	}
	if from.Year() == to.Year() {
		return from.Format("Jan") + "–" + to.Format("Jan 2006")
	}
	return from.Format("Jan 2006") + "–" + to.Format("Jan 2006")
}

// count formats an integer with thousands separators: 1,234,567.
func count(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// money formats an annual amount: "USD 150,000".
func money(currency string, v float64) string {
	return currency + " " + count(int64(math.Round(v)))
}

// listAnd joins "a", "b and c".
func listAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// compare says how a share moved against an earlier one, in words.
func compare(now, before float64, when string) string {
	d := (now - before) * 100
	switch {
	case math.Abs(d) < 0.05:
		return fmt.Sprintf("about the same as %s (%s)", when, pct(before))
	case d > 0:
		return fmt.Sprintf("up from %s %s", pct(before), when)
	}
	return fmt.Sprintf("down from %s %s", pct(before), when)
}
