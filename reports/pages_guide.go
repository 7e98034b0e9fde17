package reports

import (
	"fmt"
	"strings"
)

// guideArea is one of the ten skill areas a typical backend career guide
// lists, with how the market's demand for it is measured: a category (share
// of jobs naming any of its skills) or a skill, plus skills shown as detail.
type guideArea struct {
	Name     string
	Category string   // measured by category_demand_monthly when set
	SkillIDs []string // otherwise by the first of these skills that exists
	Details  []string // skills whose own share is listed beside
}

var guideAreas = []guideArea{
	{Name: "Programming languages", Category: "language", Details: []string{"java", "python", "go", "javascript", "csharp"}},
	{Name: "SQL and NoSQL databases", Category: "database", Details: []string{"postgresql", "mysql", "mongodb", "redis"}},
	{Name: "APIs: REST, GraphQL, SOAP", Category: "api", Details: []string{"rest", "graphql", "soap", "grpc"}},
	{Name: "Frameworks", Category: "framework", Details: []string{"spring", "django", "dotnet", "express", "rails"}},
	{Name: "Cloud and containers", Category: "cloud", Details: []string{"aws", "azure", "gcp", "docker", "kubernetes"}},
	{Name: "Data structures and algorithms", SkillIDs: []string{"algorithms", "data-structures", "dsa", "data-structures-algorithms", "computer-science"}},
	{Name: "Git", SkillIDs: []string{"git"}, Details: []string{"github", "gitlab"}},
	{Name: "Security", Category: "security", Details: []string{"oauth", "jwt", "owasp", "encryption"}},
	{Name: "Problem solving", SkillIDs: []string{"problem-solving"}},
	{Name: "Communication", SkillIDs: []string{"communication"}},
}

// guideMonth is the latest month whose backend total is not a small
// sample, else the latest month with data.
func (b *builder) guideMonth() int {
	sd := b.d.Segments[segment{defaultRole, "all", "all"}]
	if sd == nil {
		return -1
	}
	for i := len(sd.Totals) - 1; i >= 0; i-- {
		if sd.Totals[i] >= lowSampleJobs {
			return i
		}
	}
	return lastKnown(sd.Totals)
}

func (b *builder) guide() page {
	p := page{File: guideFile, Title: "The backend skill guide vs the market"}
	p.Lead = []string{
		"Career guides for backend developers list about ten skill areas. This page sets each against what job postings ask for now, so you can tell a client where the market puts its weight.",
		"A share of 60% means 60 in every 100 backend jobs name at least one skill of the area. Areas a posting rarely spells out (problem solving, algorithms) score low even when interviews test them: low here means \"seldom written in the ad\", not \"unimportant\".",
	}
	i := b.guideMonth()
	if i < 0 {
		p.Lead = append(p.Lead, "There are no backend jobs in the data yet.")
		return p
	}
	month := monthLong(b.d.Months[i])
	blk := block{ID: "guide", Heading: "Demand for each guide area in " + month,
		Help: "Backend jobs and all jobs that month. Areas marked \"not measured\" have no matching skill in the taxonomy."}
	blk.Table.Header = []string{"Guide area", "Measured as", "Backend jobs", "All jobs", "Details (backend jobs)"}
	var labels []string
	var backendVals, allVals []float64
	type scored struct {
		name  string
		share float64
	}
	var measured []scored
	for _, a := range guideAreas {
		what, backend, all, ok := b.areaShares(a, i)
		row := []cell{{Value: a.Name}, {Value: what, Text: true}}
		if !ok {
			row = append(row, cell{Value: "not measured"}, cell{Value: "not measured"}, cell{})
			blk.Table.Rows = append(blk.Table.Rows, row)
			continue
		}
		row = append(row, cell{Value: pct(backend)}, cell{Value: pct(all)}, cell{Value: b.areaDetails(a, i), Text: true})
		blk.Table.Rows = append(blk.Table.Rows, row)
		labels = append(labels, a.Name)
		backendVals = append(backendVals, *percent(backend))
		allVals = append(allVals, *percent(all))
		measured = append(measured, scored{a.Name, backend})
	}
	if len(labels) > 0 {
		blk.Option = rankBar(labels, []barSeries{{Name: "Backend jobs", Values: backendVals}, {Name: "All jobs", Values: allVals}}, "%")
		blk.Height = barHeight(2 * len(labels))
		hi, lo := measured[0], measured[0]
		for _, m := range measured {
			if m.share > hi.share {
				hi = m
			}
			if m.share < lo.share {
				lo = m
			}
		}
		blk.Sentence = fmt.Sprintf("In %s, the guide area backend jobs named most was %s (%s of backend jobs); the one named least was %s (%s).",
			month, strings.ToLower(hi.name), pct(hi.share), strings.ToLower(lo.name), pct(lo.share))
	} else {
		blk.Sentence = "None of the guide areas can be measured with this taxonomy."
	}
	p.Blocks = append(p.Blocks, blk)
	p.Notes = []string{"Shares of different areas overlap: most jobs name skills of several areas, so they do not add up to 100%."}
	if sd := b.d.Segments[segment{defaultRole, "all", "all"}]; sd != nil && sd.Totals[i] < lowSampleJobs {
		p.Notes = append(p.Notes, fmt.Sprintf("Only %s backend jobs in %s: the figures are rough.", count(sd.Totals[i]), month))
	}
	return p
}

// areaShares returns how an area is measured and its share of backend and
// of all jobs in month i, from category_demand_monthly or the segment view.
func (b *builder) areaShares(a guideArea, i int) (what string, backend, all float64, ok bool) {
	if a.Category != "" {
		bp, ap := b.d.CategoryDemand[defaultRole][a.Category], b.d.CategoryDemand["all"][a.Category]
		if bp == nil && ap == nil {
			return "jobs naming any of the " + categoryInfos[a.Category].Plural, 0, 0, false
		}
		return "jobs naming any of the " + categoryInfos[a.Category].Plural, shareAt(bp, i), shareAt(ap, i), true
	}
	for _, id := range a.SkillIDs {
		s := b.d.ByID[id]
		if s == nil {
			continue
		}
		return "jobs naming " + s.Name, b.segmentShare(segment{defaultRole, "all", "all"}, id, i),
			b.segmentShare(segment{"all", "all", "all"}, id, i), true
	}
	return "no matching skill", 0, 0, false
}

func (b *builder) segmentShare(seg segment, id string, i int) float64 {
	sd := b.d.Segments[seg]
	if sd == nil {
		return 0
	}
	return shareAt(sd.Skills[id], i)
}

func (b *builder) areaDetails(a guideArea, i int) string {
	var parts []string
	for _, id := range a.Details {
		if s := b.d.ByID[id]; s != nil {
			parts = append(parts, fmt.Sprintf("%s %s", s.Name, pct(b.segmentShare(segment{defaultRole, "all", "all"}, id, i))))
		}
	}
	return strings.Join(parts, ", ")
}
