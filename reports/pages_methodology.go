package reports

import (
	"fmt"
)

func (b *builder) methodology() page {
	d := b.d
	s := d.Summary
	p := page{File: methodologyFile, Title: "How this is measured"}
	p.Lead = []string{
		"skilltrend collects public job postings, finds the skills each one names and counts, month by month, the share of jobs that name each skill.",
	}
	facts := block{ID: "facts", Heading: "The data in this report",
		Sentence: fmt.Sprintf("%s postings were collected from %s %s and %s of them were read for skills; after folding duplicates, %s distinct jobs remain.",
			count(s.Postings), count(s.Sources), plural(s.Sources, "source", "sources"), count(s.Tagged), count(s.Distinct))}
	facts.Table.Header = []string{"Fact", "Value"}
	facts.Table.Rows = [][]cell{
		{{Value: "Postings collected"}, {Value: count(s.Postings)}},
		{{Value: "Distinct jobs (duplicates folded)"}, {Value: count(s.Distinct)}},
		{{Value: "Postings read for skills"}, {Value: count(s.Tagged)}},
		{{Value: "First month"}, {Value: monthOrDash(s)}},
		{{Value: "Last month"}, {Value: lastOrDash(s)}},
		{{Value: "Skill list (taxonomy) version"}, {Value: s.TaxonomyVersion, Text: true}},
		{{Value: "Skills tracked"}, {Value: count(int64(len(d.Skills)))}},
	}
	if !s.AggregatedAt.IsZero() {
		facts.Table.Rows = append(facts.Table.Rows, []cell{{Value: "Figures computed"}, {Value: s.AggregatedAt.Format("2 January 2006, 15:04 UTC")}})
	}
	p.Blocks = append(p.Blocks, facts)

	src := block{ID: "sources", Heading: "Sources", Help: "Where the postings come from: public job boards, company career pages and the monthly Hacker News \"Who is hiring\" threads."}
	src.Table.Header = []string{"Source", "Postings collected"}
	for _, sc := range d.Sources {
		src.Table.Rows = append(src.Table.Rows, []cell{{Value: sc.Source, Text: true}, {Value: count(sc.Postings)}})
	}
	if len(d.Sources) > 0 {
		src.Sentence = fmt.Sprintf("The largest source is %s with %s postings.", d.Sources[0].Source, count(d.Sources[0].Postings))
	} else {
		src.Sentence = "No postings have been collected yet."
	}
	p.Blocks = append(p.Blocks, src)
	p.Blocks = append(p.Blocks, b.dedupBlock())

	defs := block{ID: "definitions", Heading: "Definitions"}
	defs.Table.Header = []string{"Term", "Meaning"}
	for _, kv := range [][2]string{
		{"Share of jobs", "Of all distinct jobs in a month (and group), the percentage that name the skill. A job counts once however often it names the skill."},
		{"Month", "The month a job was posted, or first seen when the posting gives no date."},
		{"Duplicate", "The same job found again: the same address, or the same company with nearly the same text within 90 days. Duplicates are counted once."},
		{"Likely range", "The 95% Wilson interval of a share: with the same hiring market, a fresh sample of jobs would give a share in this range 95 times in 100."},
		{"Real change", "A change between two three-month windows that a two-proportion test says is too large to be chance (5% level)."},
		{"Together with (lift)", "How many times more often two skills appear in the same job than if they were unrelated."},
		{"Required / nice to have", "A skill is nice to have when a posting only names it under \"nice to have\", \"bonus\", \"a plus\" and similar."},
		{"Salary", "Yearly pay stated in the posting, converted to a year; a range counts as its midpoint. Only jobs that state pay are included."},
		{"Few jobs", fmt.Sprintf("A month with fewer than %d jobs in a group, or a three-month window with fewer than 90. Such figures are shown but marked.", lowSampleJobs)},
	} {
		defs.Table.Rows = append(defs.Table.Rows, []cell{{Value: kv[0]}, {Value: kv[1]}})
	}
	p.Blocks = append(p.Blocks, defs)

	acc := block{ID: "accuracy", Heading: "How accurate the skill tags are"}
	if b.opts.Accuracy.Summary == "" && len(b.opts.Accuracy.Figures) == 0 {
		acc.Sentence = "No accuracy evaluation was supplied with this report."
	} else {
		acc.Sentence = b.opts.Accuracy.Summary
		acc.Table.Header = []string{"Measure", "Value", "Detail"}
		for _, f := range b.opts.Accuracy.Figures {
			acc.Table.Rows = append(acc.Table.Rows, []cell{{Value: f.Measure, Text: true}, {Value: f.Value, Text: true}, {Value: f.Detail, Text: true}})
		}
	}
	p.Blocks = append(p.Blocks, acc)
	p.Notes = b.lowSampleNotes()
	if n := b.lowSampleSkills(); n > 0 {
		p.Notes = append(p.Notes, fmt.Sprintf("%d skills have too few jobs in the latest six months to say whether they are rising or falling.", n))
	}
	return p
}

func monthOrDash(s summary) string {
	if s.FirstMonth.IsZero() {
		return "–"
	}
	return monthLong(s.FirstMonth)
}

func lastOrDash(s summary) string {
	if s.LastMonth.IsZero() {
		return "–"
	}
	return monthLong(s.LastMonth)
}

func (b *builder) lowSampleSkills() int {
	n := 0
	for _, s := range b.d.Skills {
		if s.Trend != nil && s.Trend.LowSample {
			n++
		}
	}
	return n
}

func (b *builder) dedupBlock() block {
	blk := block{ID: "duplicates", Heading: "Duplicates folded",
		Help: "The same job is often posted on several boards or re-posted. Each month: postings read, distinct jobs kept and duplicates folded (by address or by nearly identical text)."}
	rows := b.d.Reposts
	if len(rows) == 0 {
		blk.Sentence = "No postings have been read yet."
		return blk
	}
	blk.Table.Header = []string{"Month", "Postings read", "Distinct jobs", "Duplicates folded", "Same address", "Same text"}
	var x []string
	var seen, folded []*float64
	var totalSeen, totalFolded int64
	for _, r := range rows {
		blk.Table.Rows = append(blk.Table.Rows, []cell{{Value: monthLabel(r.Month)}, {Value: count(r.Seen)}, {Value: count(r.Distinct)},
			{Value: count(r.Folded)}, {Value: count(r.ByURL)}, {Value: count(r.ByText)}})
		x = append(x, monthLabel(r.Month))
		sv, fv := float64(r.Seen), float64(r.Folded)
		seen, folded = append(seen, &sv), append(folded, &fv)
		totalSeen += r.Seen
		totalFolded += r.Folded
	}
	blk.Option = staticLines(x, []lineSeries{{Name: "Postings read", Values: seen}, {Name: "Duplicates folded", Values: folded}}, "")
	blk.Height = 300
	blk.Sentence = fmt.Sprintf("Of %s postings read, %s were duplicates of a job already counted and were folded.", count(totalSeen), count(totalFolded))
	return blk
}
