package reports

import (
	"fmt"
)

func (b *builder) categoryPage(cat string) page {
	info := categoryInfos[cat]
	p := page{File: categoryFile(cat), Title: info.Title, Filters: b.filters()}
	skills := b.categorySkills(cat)
	p.Lead = []string{info.Intro, fmt.Sprintf("skilltrend tracks %d %s. Click a name in a table to see its own page.", len(skills), info.Plural)}
	if len(skills) == 0 {
		p.Filters = nil
		return p
	}
	id := "trend-" + fileSlug(cat)
	charted := b.named(skills, cat)
	if len(charted) == 0 {
		p.Filters = nil
	} else if cat == "database" {
		var sqlDB, noSQL []*skillInfo
		for _, s := range charted {
			if nosqlIDs[s.ID] {
				noSQL = append(noSQL, s)
			} else {
				sqlDB = append(sqlDB, s)
			}
		}
		if len(sqlDB) > 0 {
			p.Blocks = append(p.Blocks, b.demandBlock(id+"-sql", "SQL (relational) databases over time",
				"Share of jobs naming each of the most asked-for relational databases.", firstN(sqlDB, 8), false, "SQL databases"))
		}
		if len(noSQL) > 0 {
			p.Blocks = append(p.Blocks, b.demandBlock(id+"-nosql", "NoSQL databases over time",
				"Share of jobs naming each of the most asked-for NoSQL stores (document, key-value, wide-column and search).", firstN(noSQL, 8), false, "NoSQL databases"))
		}
		p.Blocks = append(p.Blocks, b.sqlNoSQLBlock(sqlDB, noSQL))
	} else {
		p.Blocks = append(p.Blocks, b.demandBlock(id, info.Title+" over time",
			"Share of jobs naming each of the most asked-for "+info.Plural+", month by month.", firstN(charted, 8), false, info.Plural))
	}
	if blk, ok := b.categoryShareBlock(cat, info); ok {
		p.Blocks = append(p.Blocks, blk)
	}
	p.Blocks = append(p.Blocks, b.rankingBlock("all-"+fileSlug(cat), "All "+info.Plural+" in "+b.recentWindow(), skills, info.Plural))
	return p
}

// rankingBlock is a bar chart and table of skills by recent share.
func (b *builder) rankingBlock(id, heading string, skills []*skillInfo, plural string) block {
	blk := block{ID: id, Heading: heading, Help: "All roles and levels. Click a name for its page."}
	blk.Table.Header = append([]string{"Skill"}, trendHeader...)
	var labels []string
	var vals []float64
	for _, s := range skills {
		blk.Table.Rows = append(blk.Table.Rows, append([]cell{b.skillLink(s.ID, s.Name)}, trendCells(s.Trend)...))
		if s.hasRecent() && s.Trend.ShareRecent.Float64 > 0 {
			labels = append(labels, s.Name)
			vals = append(vals, *percent(s.Trend.ShareRecent.Float64))
		}
	}
	if len(labels) > 0 {
		blk.Option = rankBar(labels, []barSeries{{Name: "Share of jobs", Values: vals}}, "%")
		blk.Height = barHeight(len(labels))
		var top *skillInfo
		for _, s := range skills {
			if s.hasRecent() && (top == nil || s.Trend.ShareRecent.Float64 > top.Trend.ShareRecent.Float64) {
				top = s
			}
		}
		blk.Sentence = fmt.Sprintf("Of the %s, %s is named most often: in %s of all jobs in %s.", plural, top.Name,
			pct(top.Trend.ShareRecent.Float64), b.recentWindow())
	} else {
		blk.Sentence = "No job in " + b.recentWindow() + " names any of these " + plural + "."
	}
	return blk
}

func (s *skillInfo) hasRecent() bool { return s.Trend != nil && s.Trend.ShareRecent.Valid }

// sqlNoSQLBlock compares the recent share of each SQL and NoSQL database
// side by side.
func (b *builder) sqlNoSQLBlock(sqlDB, noSQL []*skillInfo) block {
	blk := block{ID: "sql-vs-nosql", Heading: "SQL vs NoSQL in " + b.recentWindow(),
		Help: "Each bar is one database; many jobs name several. All roles and levels."}
	blk.Table.Header = []string{"Database", "Kind", "Share of jobs"}
	var labels []string
	var sqlVals, noVals []float64
	best := map[string]*skillInfo{}
	add := func(ss []*skillInfo, kind string, mine, other *[]float64) {
		for _, s := range firstN(ss, 6) {
			if !s.hasRecent() || s.Trend.ShareRecent.Float64 == 0 {
				continue
			}
			labels = append(labels, s.Name)
			*mine = append(*mine, *percent(s.Trend.ShareRecent.Float64))
			*other = append(*other, 0)
			blk.Table.Rows = append(blk.Table.Rows, []cell{b.skillLink(s.ID, s.Name), {Value: kind}, {Value: pct(s.Trend.ShareRecent.Float64)}})
			if best[kind] == nil || s.Trend.ShareRecent.Float64 > best[kind].Trend.ShareRecent.Float64 {
				best[kind] = s
			}
		}
	}
	add(sqlDB, "SQL", &sqlVals, &noVals)
	add(noSQL, "NoSQL", &noVals, &sqlVals)
	if len(labels) == 0 {
		blk.Sentence = "There is not enough recent data to compare databases."
		return blk
	}
	blk.Option = rankBar(labels, []barSeries{{Name: "SQL", Values: sqlVals}, {Name: "NoSQL", Values: noVals}}, "%")
	blk.Height = barHeight(len(labels))
	var parts []string
	for _, kind := range []string{"SQL", "NoSQL"} {
		if s := best[kind]; s != nil {
			parts = append(parts, fmt.Sprintf("the most asked-for %s database is %s (%s of jobs)", kind, s.Name, pct(s.Trend.ShareRecent.Float64)))
		}
	}
	blk.Sentence = "In " + b.recentWindow() + ", " + listAnd(parts) + "."
	return blk
}

// categoryShareBlock charts category_demand_monthly: the share of backend
// jobs and of all jobs that name at least one skill of the category.
func (b *builder) categoryShareBlock(cat string, info categoryInfo) (block, bool) {
	backend := b.d.CategoryDemand[defaultRole][cat]
	all := b.d.CategoryDemand["all"][cat]
	if backend == nil && all == nil {
		return block{}, false
	}
	blk := block{ID: "any-" + fileSlug(cat), Heading: "Jobs naming any of the " + info.Plural,
		Help: "Share of jobs that name at least one of the " + info.Plural + ", for backend jobs and for all jobs. These lines do not follow the selectors.", Height: 300}
	blk.Table.Header = []string{"Month", "Backend jobs", "All jobs"}
	var bv, av []*float64
	last := -1
	for i := range b.d.Months {
		var row []cell
		row = append(row, cell{Value: b.xLabels[i]})
		for _, series := range []struct {
			pts []point
			out *[]*float64
		}{{backend, &bv}, {all, &av}} {
			if series.pts != nil && series.pts[i].Present {
				*series.out = append(*series.out, percent(series.pts[i].Share))
				row = append(row, cell{Value: pct(series.pts[i].Share)})
				last = i
			} else {
				*series.out = append(*series.out, nil)
				row = append(row, cell{})
			}
		}
		blk.Table.Rows = append(blk.Table.Rows, row)
	}
	blk.Option = staticLines(b.xLabels, []lineSeries{{Name: "Backend jobs", Values: bv}, {Name: "All jobs", Values: av}}, "%")
	if last >= 0 {
		blk.Sentence = fmt.Sprintf("In %s, %s of backend jobs and %s of all jobs named at least one of the %s.",
			monthLong(b.d.Months[last]), pct(shareAt(backend, last)), pct(shareAt(all, last)), info.Plural)
	}
	return blk, true
}
