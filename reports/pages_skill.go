package reports

import (
	"fmt"
	"math"
	"strings"
)

var categorySingular = map[string]string{
	"language": "programming language", "framework": "framework", "database": "database", "api": "API style",
	"cloud": "cloud platform", "devops": "DevOps tool", "messaging": "messaging tool", "vcs": "version-control tool",
	"security": "security skill", "practice": "practice", "soft": "soft skill",
}

func (b *builder) skillPage(s *skillInfo) page {
	p := page{File: b.skillFile[s.ID], Title: s.Name, Filters: b.filters()}
	kind := categorySingular[s.Category]
	if kind == "" {
		kind = "skill"
	}
	lead := fmt.Sprintf("%s is a %s (see %s).", s.Name, kind, categoryInfos[s.Category].Title)
	if s.hasRecent() {
		rank := 0
		for i, o := range b.d.Skills {
			if o == s {
				rank = i + 1
			}
		}
		lead += fmt.Sprintf(" In %s it was named in %s of all jobs, number %d of the %d skills tracked.",
			b.recentWindow(), pct(s.Trend.ShareRecent.Float64), rank, len(b.d.Skills))
	}
	p.Lead = []string{lead}
	p.Blocks = append(p.Blocks,
		b.demandBlock("trend", s.Name+" over time",
			"The solid line is the share of jobs naming "+s.Name+" each month. The dashed lines show the likely range (95%): with few jobs in a month the range is wide, so compare ranges, not only the line.",
			[]*skillInfo{s}, true, ""),
		b.pairsBlock(s), b.requirementBlock(s), b.salaryBlock(s), b.workModeBlock(s), b.examplesBlock(s))
	if s.Trend != nil && s.Trend.LowSample {
		p.Notes = append(p.Notes, "Few jobs were collected in the latest months, so the recent change of "+s.Name+" is uncertain.")
	}
	for _, sal := range s.Salaries {
		if sal.LowSample {
			p.Notes = append(p.Notes, fmt.Sprintf("Salaries in %s come from only %s jobs: treat them as rough.", sal.Currency, count(sal.Postings)))
		}
	}
	return p
}

func (b *builder) pairsBlock(s *skillInfo) block {
	blk := block{ID: "together", Heading: "Often asked for together with " + s.Name,
		Help: "How much more often a skill appears in the same job as " + s.Name + " than if the two were unrelated: 2× means twice as often. Only pairs seen together in at least 10 jobs. All roles, all time."}
	pairs := s.Pairs
	if len(pairs) > 10 {
		pairs = pairs[:10]
	}
	if len(pairs) == 0 {
		blk.Sentence = "No other skill appears together with " + s.Name + " often enough to say."
		return blk
	}
	var labels []string
	var vals []float64
	blk.Table.Header = []string{"Skill", "Jobs naming both", "Times more often than chance"}
	for _, pr := range pairs {
		labels = append(labels, pr.OtherName)
		vals = append(vals, math.Round(pr.Lift*10)/10)
		blk.Table.Rows = append(blk.Table.Rows, []cell{b.skillLink(pr.Other, pr.OtherName), {Value: count(pr.Together)}, {Value: fmt.Sprintf("%.1f×", pr.Lift)}})
	}
	blk.Option = rankBar(labels, []barSeries{{Name: "Times more often than chance", Values: vals}}, "×")
	blk.Height = barHeight(len(labels))
	var items []string
	for _, pr := range firstPairs(pairs, 3) {
		items = append(items, fmt.Sprintf("%s (%.1f times as often as chance)", pr.OtherName, pr.Lift))
	}
	blk.Sentence = fmt.Sprintf("Jobs that name %s stand out for also asking for %s.", s.Name, listAnd(items))
	return blk
}

func firstPairs(ps []pair, n int) []pair {
	if len(ps) > n {
		return ps[:n]
	}
	return ps
}

func (b *builder) requirementBlock(s *skillInfo) block {
	blk := block{ID: "required", Heading: "Must-have or nice-to-have?",
		Help: "Whether jobs that name " + s.Name + " require it or only list it as a plus (\"nice to have\", \"bonus\"). All time, all roles."}
	r := s.Requirement
	if r == nil || r.Postings == 0 {
		blk.Sentence = "No job names " + s.Name + " yet."
		return blk
	}
	blk.Option = rankBar([]string{"Required", "Nice to have"}, []barSeries{{Name: "Jobs", Values: []float64{float64(r.Required), float64(r.NiceToHave)}}}, "")
	blk.Height = barHeight(2)
	blk.Table.Header = []string{"", "Jobs"}
	blk.Table.Rows = [][]cell{{{Value: "Required"}, {Value: count(r.Required)}}, {{Value: "Nice to have"}, {Value: count(r.NiceToHave)}}, {{Value: "All jobs naming it"}, {Value: count(r.Postings)}}}
	blk.Sentence = fmt.Sprintf("Of the %s jobs that name %s, %s require it and %s list it only as a plus.",
		count(r.Postings), s.Name, pct(r.RequiredShare), pct(float64(r.NiceToHave)/float64(r.Postings)))
	return blk
}

func (b *builder) salaryBlock(s *skillInfo) block {
	blk := block{ID: "salary", Heading: "Salaries where stated",
		Help: "Yearly pay of jobs naming " + s.Name + " that state a salary, per currency: the middle half of jobs pay between the 25th and the 75th percentile. Ranges are turned into one figure (their midpoint). All roles, all time."}
	if len(s.Salaries) == 0 {
		blk.Sentence = "No job naming " + s.Name + " states a salary yet."
		return blk
	}
	blk.Table.Header = []string{"Currency", "Jobs with a salary", "25th percentile", "Median", "75th percentile"}
	for _, sal := range s.Salaries {
		blk.Table.Rows = append(blk.Table.Rows, []cell{{Value: sal.Currency, Text: true}, {Value: count(sal.Postings)},
			{Value: count(int64(math.Round(sal.P25)))}, {Value: count(int64(math.Round(sal.Median)))}, {Value: count(int64(math.Round(sal.P75)))}})
	}
	top := s.Salaries[0] // most jobs first
	blk.Option = rankBar([]string{"25th percentile", "Median", "75th percentile"},
		[]barSeries{{Name: "Yearly salary, " + top.Currency, Values: []float64{math.Round(top.P25), math.Round(top.Median), math.Round(top.P75)}}}, "")
	blk.Height = barHeight(3)
	blk.Sentence = fmt.Sprintf("Jobs naming %s that state a salary in %s pay a median of %s a year; the middle half pay between %s and %s (%s jobs).",
		s.Name, top.Currency, money(top.Currency, top.Median), money(top.Currency, top.P25), money(top.Currency, top.P75), count(top.Postings))
	return blk
}

func (b *builder) workModeBlock(s *skillInfo) block {
	blk := block{ID: "remote", Heading: "Remote, hybrid or on-site?",
		Help: "How the jobs naming " + s.Name + " split by where the work happens. All time, all roles."}
	if len(s.WorkModes) == 0 {
		blk.Sentence = "No job names " + s.Name + " yet."
		return blk
	}
	var labels, parts []string
	var vals []float64
	blk.Table.Header = []string{"Work mode", "Jobs", "Share"}
	for _, w := range s.WorkModes {
		label := workModeLabels[w.Mode]
		if label == "" {
			label = cleanText(w.Mode)
		}
		labels = append(labels, label)
		vals = append(vals, *percent(w.Share))
		blk.Table.Rows = append(blk.Table.Rows, []cell{{Value: label}, {Value: count(w.Postings)}, {Value: pct(w.Share)}})
		if w.Mode != "unknown" {
			parts = append(parts, fmt.Sprintf("%s %s", pct(w.Share), strings.ToLower(label)))
		}
	}
	blk.Option = rankBar(labels, []barSeries{{Name: "Share of jobs", Values: vals}}, "%")
	blk.Height = barHeight(len(labels))
	blk.Sentence = fmt.Sprintf("Of the jobs naming %s, %s.", s.Name, listAnd(parts))
	if len(parts) > 0 && len(parts) < len(s.WorkModes) {
		blk.Sentence = strings.TrimSuffix(blk.Sentence, ".") + "; the rest do not say."
	}
	return blk
}

func (b *builder) examplesBlock(s *skillInfo) block {
	blk := block{ID: "examples", Heading: "Recent jobs that name " + s.Name,
		Help: "A few of the most recent postings, as published by the employer. Links open the original posting (internet needed)."}
	if len(s.Examples) == 0 {
		blk.Sentence = "No example postings yet."
		return blk
	}
	blk.Table.Header = []string{"Job title", "Company", "Month", "Source"}
	for _, e := range s.Examples {
		title := e.Title
		if title == "" {
			title = "(untitled)"
		}
		month := ""
		if !e.Month.IsZero() {
			month = monthLabel(e.Month)
		}
		blk.Table.Rows = append(blk.Table.Rows, []cell{{Value: title, Text: true, Href: webURL(e.URL)}, {Value: e.Company, Text: true},
			{Value: month}, {Value: e.Source, Text: true}})
	}
	blk.Sentence = fmt.Sprintf("The %d most recent jobs naming %s are listed below.", len(s.Examples), s.Name)
	return blk
}

// webURL keeps a scraped URL only when it is a plain http(s) link.
func webURL(u string) string {
	l := strings.ToLower(u)
	if (strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")) && !strings.ContainsAny(u, " \t\r\n\"'<>`\\") {
		return u
	}
	return ""
}
