package reports

import (
	"fmt"
	"math"
	"sort"

	"github.com/skilltrend/skilltrend"
)

func (b *builder) overview() page {
	d := b.d
	p := page{File: indexFile, Title: "Which skills do backend jobs ask for?", Filters: b.filters()}
	s := d.Summary
	if s.LastMonth.IsZero() {
		p.Lead = []string{"The database holds no tagged job postings yet, so there is nothing to show. Run a crawl and come back."}
		return p
	}
	p.Lead = []string{
		fmt.Sprintf("This report covers %s distinct jobs, posted between %s and %s and collected from %s %s.",
			count(s.Distinct), monthLong(s.FirstMonth), monthLong(s.LastMonth), count(s.Sources), plural(s.Sources, "source", "sources")),
		"Every figure is a share: the percentage of jobs that name a skill. A job that appears on several boards, or is posted again, is counted once.",
		"Use the selectors to see the trend charts for one role, level or kind of remote work. Backend jobs are shown first.",
	}
	window := b.recentWindow()
	var top []*skillInfo
	for _, sk := range d.Skills {
		if sk.hasRecent() && sk.Trend.ShareRecent.Float64 > 0 && len(top) < 15 {
			top = append(top, sk)
		}
	}
	p.Blocks = append(p.Blocks, b.topBlock(top, window))
	p.Blocks = append(p.Blocks, b.moversBlock(true, window), b.moversBlock(false, window))
	for _, c := range skilltrend.Categories() {
		cat := string(c)
		skills := firstN(b.named(b.categorySkills(cat), cat), 5)
		if len(skills) == 0 {
			continue
		}
		info := categoryInfos[cat]
		p.Blocks = append(p.Blocks, b.demandBlock("trend-"+fileSlug(cat), info.Title+" over time",
			"Share of jobs naming each of the most asked-for "+info.Plural+", month by month. More on the "+info.Title+" page.",
			skills, false, info.Plural))
	}
	p.Notes = b.lowSampleNotes()
	return p
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func (b *builder) topBlock(top []*skillInfo, window string) block {
	blk := block{ID: "top-skills", Heading: "The most asked-for skills in " + window,
		Help:   "All roles and levels. The change columns compare with the three months before and with the same months a year earlier; a change is called real only when it is too large to be chance.",
		Height: barHeight(len(top))}
	if len(top) == 0 {
		blk.Height = 0
		blk.Sentence = "No skill has enough data for this window yet."
		return blk
	}
	var labels []string
	var vals []float64
	blk.Table.Header = append([]string{"Skill"}, trendHeader...)
	for _, sk := range top {
		labels = append(labels, sk.Name)
		vals = append(vals, *percent(sk.Trend.ShareRecent.Float64))
		blk.Table.Rows = append(blk.Table.Rows, append([]cell{b.skillLink(sk.ID, sk.Name)}, trendCells(sk.Trend)...))
	}
	blk.Option = rankBar(labels, []barSeries{{Name: "Share of jobs", Values: vals}}, "%")
	var items []string
	for _, sk := range firstN(top, 3) {
		items = append(items, fmt.Sprintf("%s (%s)", sk.Name, pct(sk.Trend.ShareRecent.Float64)))
	}
	blk.Sentence = fmt.Sprintf("In %s, the skills named most often in job postings were %s.", window, listAnd(items))
	return blk
}

// moversBlock lists the skills whose share moved significantly between the
// prior and the recent window, rising or falling.
func (b *builder) moversBlock(rising bool, window string) block {
	id, heading, word := "fallers", "Falling fastest", "fell"
	if rising {
		id, heading, word = "risers", "Rising fastest", "rose"
	}
	var movers []*skillInfo
	for _, sk := range b.d.Skills {
		t := sk.Trend
		if t == nil || !t.Significant || t.LowSample || !t.ChangePoints.Valid || (t.ChangePoints.Float64 > 0) != rising || t.ChangePoints.Float64 == 0 {
			continue
		}
		movers = append(movers, sk)
	}
	sort.SliceStable(movers, func(i, j int) bool {
		return math.Abs(movers[i].Trend.ChangePoints.Float64) > math.Abs(movers[j].Trend.ChangePoints.Float64)
	})
	movers = firstN(movers, 10)
	blk := block{ID: id, Heading: heading + " (" + window + " against the three months before)",
		Help: "Only changes too large to be chance (a statistical test at the 5% level) are listed. Bars show the change in percentage points: +2 means 2 more jobs in every 100 name the skill."}
	if len(movers) == 0 {
		blk.Sentence = fmt.Sprintf("No skill %s by more than chance would explain in %s.", word, window)
		return blk
	}
	blk.Height = barHeight(len(movers))
	var labels, items []string
	var vals []float64
	blk.Table.Header = []string{"Skill", "Share before", "Share now", "Change"}
	for _, sk := range movers {
		t := sk.Trend
		labels = append(labels, sk.Name)
		vals = append(vals, math.Round(t.ChangePoints.Float64*10)/10)
		before := ""
		if t.SharePrior.Valid {
			before = pct(t.SharePrior.Float64)
		}
		blk.Table.Rows = append(blk.Table.Rows, []cell{b.skillLink(sk.ID, sk.Name), {Value: before},
			{Value: pct(t.ShareRecent.Float64)}, {Value: points(t.ChangePoints.Float64)}})
	}
	for _, sk := range firstN(movers, 3) {
		t := sk.Trend
		items = append(items, fmt.Sprintf("%s (from %s to %s of jobs)", sk.Name, pct(t.SharePrior.Float64), pct(t.ShareRecent.Float64)))
	}
	blk.Option = rankBar(labels, []barSeries{{Name: "Change in percentage points", Values: vals}}, "")
	blk.Sentence = fmt.Sprintf("In %s, the skills whose demand %s most were %s.", window, word, listAnd(items))
	return blk
}

// lowSampleNotes warns about months and skills with few jobs.
func (b *builder) lowSampleNotes() []string {
	var notes []string
	if sd := b.d.Segments[segment{"all", "all", "all"}]; sd != nil {
		var small []string
		for i, t := range sd.Totals {
			if t > 0 && t < lowSampleJobs {
				small = append(small, monthLong(b.d.Months[i]))
			}
		}
		if len(small) > 0 {
			notes = append(notes, fmt.Sprintf("Few jobs (under %d) were collected in %s: figures for these months are rough.", lowSampleJobs, listAnd(small)))
		}
	}
	notes = append(notes, "When you narrow the selection (a role, a level and remote work together), groups get small. Each sentence says when a month had fewer than 30 jobs; the likely-range lines on skill pages show how uncertain a figure is.")
	return notes
}
