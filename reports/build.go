package reports

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"

	"github.com/skilltrend/skilltrend"
)

// builder turns a dataset into pages. It only picks, orders and words the
// figures of the views.
type builder struct {
	d         *dataset
	opts      Options
	skillFile map[string]string // skill id -> page file
	segments  []segment         // every segment with data, in a stable order
	xLabels   []string
}

const (
	indexFile       = "index.html"
	guideFile       = "guide.html"
	methodologyFile = "methodology.html"
)

func categoryFile(cat string) string { return "category-" + fileSlug(cat) + ".html" }

func newBuilder(d *dataset, o Options) *builder {
	b := &builder{d: d, opts: o, skillFile: map[string]string{}}
	used := map[string]bool{indexFile: true, guideFile: true, methodologyFile: true}
	for _, s := range d.Skills {
		base := "skill-" + fileSlug(s.ID)
		name := base + ".html"
		for i := 2; used[name]; i++ {
			name = fmt.Sprintf("%s-%d.html", base, i)
		}
		used[name] = true
		b.skillFile[s.ID] = name
	}
	for seg := range d.Segments {
		b.segments = append(b.segments, seg)
	}
	sort.Slice(b.segments, func(i, j int) bool { return b.segments[i].key() < b.segments[j].key() })
	for _, m := range d.Months {
		b.xLabels = append(b.xLabels, monthLabel(m))
	}
	return b
}

// pages returns a constructor for every page of the report. The builder is
// read-only once made, so they may run concurrently.
func (b *builder) pages() []func() page {
	ps := []func() page{b.overview, b.guide, b.methodology}
	for _, c := range skilltrend.Categories() {
		ps = append(ps, func() page { return b.categoryPage(string(c)) })
	}
	for _, s := range b.d.Skills {
		ps = append(ps, func() page { return b.skillPage(s) })
	}
	return ps
}

// nav is the menu on top of every page.
func (b *builder) nav() []link {
	n := []link{{Href: indexFile, Text: "Overview"}}
	for _, c := range skilltrend.Categories() {
		n = append(n, link{Href: categoryFile(string(c)), Text: categoryInfos[string(c)].Title})
	}
	return append(n, link{Href: guideFile, Text: "Skill guide vs market"}, link{Href: methodologyFile, Text: "How this is measured"})
}

func (b *builder) filters() []filter {
	mk := func(name, label, def string, values []string, labels map[string]string) filter {
		f := filter{Name: name, Label: label, Default: def}
		for _, v := range values {
			f.Options = append(f.Options, option{Value: v, Label: labels[v]})
		}
		return f
	}
	return []filter{
		mk("role", "Role", defaultRole, roleValues, roleLabels),
		mk("seniority", "Level", "all", seniorityValues, seniorityLabels),
		mk("work_mode", "Remote", "all", workModeValues, workModeLabels),
	}
}

// groupWords describes a segment's jobs: "senior remote backend jobs".
func groupWords(s segment) string {
	var w []string
	if s.Seniority != "all" {
		w = append(w, seniorityWords[s.Seniority])
	}
	if s.WorkMode != "all" {
		w = append(w, workModeWords[s.WorkMode])
	}
	if s.Role != "all" {
		w = append(w, roleWords[s.Role])
	}
	if len(w) == 0 {
		return "all jobs"
	}
	return strings.Join(w, " ") + " jobs"
}

// skillLink is a table cell naming a skill and linking to its page.
func (b *builder) skillLink(id, name string) cell {
	return cell{Value: name, Text: true, Href: b.skillFile[id]}
}

// demandBlock is a filtered chart of monthly shares. With one skill and band
// set it shows the 95% interval around the share; otherwise one line per
// skill. plural names the skills in the sentence ("languages").
func (b *builder) demandBlock(id, heading, help string, skills []*skillInfo, band bool, plural string) block {
	blk := block{ID: id, Heading: heading, Help: help, Height: 340}
	f := &filtered{X: b.xLabels, Variants: map[string]variantData{}}
	var styles []lineStyle
	if band && len(skills) == 1 {
		styles = []lineStyle{{Name: "Share of jobs"}, {Name: "Likely range, low", Dashed: true}, {Name: "Likely range, high", Dashed: true}}
		f.Header = []string{"Month", "Share of jobs", "Likely range, low", "Likely range, high", "Jobs naming it", "Jobs in the group"}
	} else {
		band = false
		f.Header = []string{"Month"}
		for _, s := range skills {
			styles = append(styles, lineStyle{Name: s.Name})
			f.Header = append(f.Header, s.Name)
		}
		f.Header = append(f.Header, "Jobs in the group")
	}
	blk.Option = lineFrame(styles)
	for _, seg := range b.segments {
		sd := b.d.Segments[seg]
		last := lastKnown(sd.Totals)
		if last < 0 || sd.Jobs < minSegmentJobs {
			continue
		}
		var v variantData
		totals := make([]int64, len(sd.Totals))
		for i, t := range sd.Totals {
			totals[i] = t
			if t == 0 {
				totals[i] = -1
			}
		}
		if band {
			s := skills[0]
			pts := sd.Skills[s.ID]
			n := len(totals)
			share, low, high, named := make([]float64, n), make([]float64, n), make([]float64, n), make([]int64, n)
			for i := range totals {
				share[i], low[i], high[i], named[i] = math.NaN(), math.NaN(), math.NaN(), -1
				if totals[i] < 0 {
					continue
				}
				share[i], named[i] = 0, 0
				if pts != nil && pts[i].Present {
					p := pts[i]
					share[i], low[i], high[i], named[i] = round1(p.Share*100), round1(p.Low*100), round1(p.High*100), p.Postings
				}
			}
			v.Series = [][]float64{share, low, high}
			v.Extra = [][]int64{named, totals}
			v.Sentence = b.skillSentence(s, seg, sd, last)
		} else {
			for _, s := range skills {
				v.Series = append(v.Series, sharesOf(sd.Skills[s.ID], totals))
			}
			v.Extra = [][]int64{totals}
			v.Sentence = b.rankSentence(skills, seg, sd, last, plural)
		}
		f.Variants[seg.key()] = v
	}
	blk.Filtered = f
	return blk
}

// minSegmentJobs is the fewest jobs (over the whole chart window) a filter
// selection needs to be drawn; smaller groups say nothing a coach could use
// and would only bloat every page.
const minSegmentJobs = lowSampleJobs

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// sharesOf is a skill's share per month in percent: 0 where the group had
// jobs but the sparse view has no row, nil where the group had none.
func sharesOf(pts []point, totals []int64) []float64 {
	out := make([]float64, len(totals))
	for i := range totals {
		switch {
		case totals[i] < 0:
			out[i] = math.NaN()
		case pts != nil && pts[i].Present:
			out[i] = round1(pts[i].Share * 100)
		}
	}
	return out
}

func lastKnown(totals []int64) int {
	for i := len(totals) - 1; i >= 0; i-- {
		if totals[i] > 0 {
			return i
		}
	}
	return -1
}

func shareAt(pts []point, i int) float64 {
	if pts != nil && pts[i].Present {
		return pts[i].Share
	}
	return 0
}

// skillSentence: "Go appeared in 9.1% of backend jobs in May 2026, up from
// 7.2% a year earlier."
func (b *builder) skillSentence(s *skillInfo, seg segment, sd *segmentData, last int) string {
	pts := sd.Skills[s.ID]
	share := shareAt(pts, last)
	var w strings.Builder
	fmt.Fprintf(&w, "%s appeared in %s of %s in %s", s.Name, pct(share), groupWords(seg), monthLong(b.d.Months[last]))
	if y := last - 12; y >= 0 && sd.Totals[y] > 0 {
		w.WriteString(", " + compare(share, shareAt(pts, y), "a year earlier"))
	} else if first := firstKnown(sd.Totals); first >= 0 && first < last {
		w.WriteString(", " + compare(share, shareAt(pts, first), "in "+monthLong(b.d.Months[first])))
	}
	w.WriteString(".")
	if pts != nil && pts[last].Present {
		fmt.Fprintf(&w, " The likely range is %s to %s.", pct(pts[last].Low), pct(pts[last].High))
	}
	if sd.Totals[last] < lowSampleJobs {
		fmt.Fprintf(&w, " Only %s such jobs that month, so treat the figure as rough.", count(sd.Totals[last]))
	}
	return w.String()
}

// lowSampleJobs is the documented low_sample threshold of the monthly views.
const lowSampleJobs = 30

func firstKnown(totals []int64) int {
	for i, t := range totals {
		if t > 0 {
			return i
		}
	}
	return -1
}

// rankSentence: "In May 2026, the most asked-for languages in backend jobs
// were Python (31.2%), Java (20.1%) and Go (9.1%)."
func (b *builder) rankSentence(skills []*skillInfo, seg segment, sd *segmentData, last int, plural string) string {
	type ranked struct {
		name  string
		share float64
	}
	var rs []ranked
	for _, s := range skills {
		if sh := shareAt(sd.Skills[s.ID], last); sh > 0 {
			rs = append(rs, ranked{s.Name, sh})
		}
	}
	month := monthLong(b.d.Months[last])
	if len(rs) == 0 {
		return fmt.Sprintf("In %s, none of these %s was named in %s.", month, plural, groupWords(seg))
	}
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].share > rs[j].share })
	if len(rs) > 3 {
		rs = rs[:3]
	}
	var items []string
	for _, r := range rs {
		items = append(items, fmt.Sprintf("%s (%s)", r.name, pct(r.share)))
	}
	verb := "were"
	if len(items) == 1 {
		verb = "was"
	}
	out := fmt.Sprintf("In %s, the most asked-for %s in %s %s %s.", month, plural, groupWords(seg), verb, listAnd(items))
	if sd.Totals[last] < lowSampleJobs {
		out += fmt.Sprintf(" Only %s such jobs that month, so treat the figures as rough.", count(sd.Totals[last]))
	}
	return out
}

// categorySkills lists a category's skills, pinned ones first, then by
// recent demand.
func (b *builder) categorySkills(cat string) []*skillInfo {
	var out []*skillInfo
	seen := map[string]bool{}
	for _, id := range pinned[cat] {
		if s := b.d.ByID[id]; s != nil && s.Category == cat {
			out = append(out, s)
			seen[id] = true
		}
	}
	for _, s := range b.d.Skills {
		if s.Category == cat && !seen[s.ID] {
			out = append(out, s)
		}
	}
	return out
}

// named keeps the skills that some job names: a recent share above zero,
// or, without a trend row, any month in the chart window. Pinned skills
// stay so that a page can say they are not asked for.
func (b *builder) named(ss []*skillInfo, cat string) []*skillInfo {
	pin := map[string]bool{}
	for _, id := range pinned[cat] {
		pin[id] = true
	}
	all := b.d.Segments[segment{"all", "all", "all"}]
	var out []*skillInfo
	for _, s := range ss {
		switch {
		case pin[s.ID], s.hasRecent() && s.Trend.ShareRecent.Float64 > 0:
			out = append(out, s)
		case s.Trend == nil && all != nil && all.Skills[s.ID] != nil:
			out = append(out, s)
		}
	}
	return out
}

func firstN(ss []*skillInfo, n int) []*skillInfo {
	if len(ss) > n {
		return ss[:n]
	}
	return ss
}

// lineSeries is one line of a static chart; nil values are gaps.
type lineSeries struct {
	Name   string
	Values []*float64
}

// staticLines is a line chart with its data, values in unit.
func staticLines(x []string, series []lineSeries, unit string) *charts.Line {
	l := charts.NewLine()
	l.SetGlobalOptions(
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "10", Right: "24", Bottom: "10", Top: "40", ContainLabel: opts.Bool(true)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Min: 0, AxisLabel: &opts.AxisLabel{Formatter: types.FuncStr("{value}" + unit)}}),
	)
	l.SetXAxis(x)
	for _, s := range series {
		data := make([]opts.LineData, len(s.Values))
		for i, v := range s.Values {
			data[i] = opts.LineData{Value: "-"} // ECharts' mark for "no value"
			if v != nil {
				data[i] = opts.LineData{Value: *v}
			}
		}
		l.AddSeries(s.Name, data)
	}
	return l
}

// trendCells are the table cells of a skill's recent share and its changes.
func trendCells(t *trend) []cell {
	if t == nil || !t.ShareRecent.Valid {
		return []cell{{}, {}, {}, {}}
	}
	prior, year, note := "", "", "could be chance"
	if t.ChangePoints.Valid {
		prior = points(t.ChangePoints.Float64)
	}
	if t.ChangePointsYear.Valid {
		year = points(t.ChangePointsYear.Float64)
	}
	switch {
	case t.LowSample:
		note = "too few jobs to tell"
	case t.Significant && t.ChangePoints.Float64 > 0:
		note = "rising (not chance)"
	case t.Significant:
		note = "falling (not chance)"
	}
	return []cell{{Value: pct(t.ShareRecent.Float64)}, {Value: prior}, {Value: year}, {Value: note}}
}

var trendHeader = []string{"Share of jobs", "Change vs the 3 months before", "Change vs a year earlier", "Is the change real?"}

// recentWindow is the label of skill_trends' recent window.
func (b *builder) recentWindow() string {
	for _, s := range b.d.Skills {
		if s.Trend != nil {
			return windowLabel(s.Trend.RecentFrom, s.Trend.RecentTo)
		}
	}
	return "the latest three months"
}

func (b *builder) generated() time.Time {
	if b.opts.Now != nil {
		return b.opts.Now().UTC()
	}
	return time.Now().UTC()
}
