package extract

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/skilltrend/skilltrend"
)

// Explain tags one text (its first line is read as the title) and writes a
// readable account of what matched and why: for every skill the spellings
// found, the rule that allowed each, and whether the skill is required or
// only nice to have; then the candidates that rules turned down, and the
// role, seniority, work mode and salary with what they were read from.
func Explain(w io.Writer, tg *Tagger, text string) error {
	title, desc, _ := strings.Cut(text, "\n")
	full := Text(skilltrend.Posting{Title: title, Description: desc})
	type rejection struct {
		start, end int
		e          *entry
	}
	sc := tg.scratch()
	defer tg.scratchPool.Put(sc)
	var pad string
	pad, sc.text = padded(full, sc.text)
	var rejected []rejection
	hits := tg.m.scanPadded(pad, len(full), nil, func(start, end int, e *entry) {
		rejected = append(rejected, rejection{start, end, e})
	})
	a := tg.analyze(pad, len(full), len(title), sc, nil)
	// A spelling in the wrong case is simply another word; and a candidate
	// that one rule turned down may have been accepted by another.
	rejected = slices.DeleteFunc(rejected, func(r rejection) bool {
		if f, _ := r.e.alias.check(tg.m, full, r.start, r.end); f == failCase {
			return true
		}
		return slices.ContainsFunc(hits, func(h hit) bool {
			return int(h.start) == r.start && tg.m.ents[h.entry].skill == r.e.skill
		})
	})

	var b strings.Builder
	fmt.Fprintf(&b, "taxonomy %s: %d skills found\n", tg.tax.Version(), len(a.tags))
	for _, t := range a.tags {
		s, _ := tg.tax.Skill(t.SkillID)
		need := "nice to have"
		if t.Required {
			need = "required"
		}
		fmt.Fprintf(&b, "\n%s: %s (%s), %s\n", s.ID, s.Name, s.Category, need)
		for _, m := range t.Matches {
			fmt.Fprintf(&b, "  %q at %d-%d: %s%s\n", m.Text, m.Start, m.End, describeHit(hits, tg.m.ents, m.Start, s.ID, tg.tax), sectionNote(a.optional, m.Start, len(title)))
		}
	}
	if len(rejected) > 0 {
		fmt.Fprintf(&b, "\nturned down by a rule:\n")
		for _, r := range rejected {
			f, phrase := r.e.alias.check(tg.m, full, r.start, r.end)
			s := tg.tax.skills[r.e.skill]
			fmt.Fprintf(&b, "  %q at %d-%d is not %s: %s\n", full[r.start:r.end], r.start, r.end, s.ID, failureText(r.e.alias, f, phrase))
		}
	}
	tw := tabwriter.NewWriter(&b, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "\nrole\t%s\n", a.role)
	fmt.Fprintf(tw, "seniority\t%s\n", a.seniority)
	fmt.Fprintf(tw, "work mode\t%s\n", a.workMode)
	if a.salary != nil {
		fmt.Fprintf(tw, "salary\t%.0f-%.0f %s a year\n", a.salary.Min, a.salary.Max, a.salary.Currency)
	} else {
		fmt.Fprintf(tw, "salary\tnone found\n")
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("explain: %w", err)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("explain: %w", err)
	}
	return nil
}

func describeHit(hits []hit, ents []entry, start int, id string, tax *Taxonomy) string {
	for _, h := range hits {
		e := &ents[h.entry]
		if int(h.start) != start || e.skill < 0 || tax.skills[e.skill].ID != id {
			continue
		}
		if !e.ruled {
			return fmt.Sprintf("alias %q", e.text)
		}
		var rules []string
		a := e.alias
		if a.CaseSensitive {
			rules = append(rules, "spelt exactly so")
		}
		if len(a.NotAfter) > 0 {
			rules = append(rules, fmt.Sprintf("not after %d phrases", len(a.NotAfter)))
		}
		if len(a.NotBefore) > 0 || a.NotBeforeNum {
			rules = append(rules, fmt.Sprintf("not before %d phrases", len(a.NotBefore)))
		}
		if a.ListItem {
			rules = append(rules, "in a list")
		}
		if len(a.ContextAny) > 0 {
			rules = append(rules, "near a related word")
		}
		s := fmt.Sprintf("rule %q (%s)", e.text, strings.Join(rules, ", "))
		if a.Note != "" {
			s += ": " + a.Note
		}
		return s
	}
	return ""
}

func sectionNote(optional []span, pos, titleLen int) string {
	switch {
	case pos < titleLen:
		return " [title]"
	case inSpans(optional, pos):
		return " [nice-to-have section or sentence]"
	}
	return ""
}

func failureText(a *aliasDef, f ruleFailure, phrase string) string {
	switch f {
	case failCase:
		return fmt.Sprintf("rule %q is case-sensitive", a.Text)
	case failNotAfter:
		return fmt.Sprintf("comes after %q", phrase)
	case failNotBefore:
		return fmt.Sprintf("comes before %q", phrase)
	case failOnlyAfter:
		return fmt.Sprintf("does not come after %s", strings.Join(a.OnlyAfter, ", "))
	case failNumber:
		return "a number follows"
	case failList:
		return "not in a list"
	case failContextAny:
		return fmt.Sprintf("no related word (%s...) nearby", strings.Join(a.ContextAny[:min(3, len(a.ContextAny))], ", "))
	case failContextNone:
		return fmt.Sprintf("%q nearby", phrase)
	}
	return "rejected"
}
