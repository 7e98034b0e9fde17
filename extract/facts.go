package extract

import (
	"slices"

	"github.com/skilltrend/skilltrend"
)

// roleOf is the role a marker names, "" for markers that name none.
var roleOf = [markLast]skilltrend.Role{
	markRoleBackend:   skilltrend.RoleBackend,
	markRoleFrontend:  skilltrend.RoleFrontend,
	markRoleFullstack: skilltrend.RoleFullstack,
	markRoleDevOps:    skilltrend.RoleDevOps,
	markRoleData:      skilltrend.RoleData,
	markRoleML:        skilltrend.RoleML,
	markRoleMobile:    skilltrend.RoleMobile,
}

// factCounts is what one pass over the hits learns for role, seniority and
// work mode: how often each marker occurs in the headline and after it, and
// the roles suggested by the skills named there.
type factCounts struct {
	title, body [markLast]int32 // body leaves out markYears: seniority reads those hits itself
	titleSkill  skilltrend.Role // the role of the first skill in the headline that suggests one
	bodySkill   skilltrend.Role // the role suggested by the other skills, back end first
}

func countFacts(hits []hit, skillRole []skilltrend.Role, titleLen int) factCounts {
	var fc factCounts
	for _, h := range hits {
		if h.skill >= 0 {
			r := skillRole[h.skill]
			if r == "" {
				continue
			}
			if int(h.start) < titleLen && fc.titleSkill == "" {
				fc.titleSkill = r
			} else if fc.bodySkill == "" || (fc.bodySkill != skilltrend.RoleBackend && r == skilltrend.RoleBackend) {
				fc.bodySkill = r
			}
			continue
		}
		switch {
		case int(h.start) < titleLen:
			fc.title[h.marker]++
		case h.marker != markYears:
			fc.body[h.marker]++
		}
	}
	return fc
}

// role reads the role from the title when it names one; else from the skills
// the title names (a "Java Developer" is back end, a "Swift Developer" mobile);
// else from the description's most frequent role phrase; else from the skills
// of the posting.
func role(fc *factCounts) skilltrend.Role {
	if fc.title[markRoleBackend] > 0 && fc.title[markRoleFrontend] > 0 {
		return skilltrend.RoleFullstack
	}
	// Most specific first.
	for _, mk := range []marker{markRoleFullstack, markRoleML, markRoleData, markRoleDevOps, markRoleMobile, markRoleFrontend, markRoleBackend} {
		if fc.title[mk] > 0 {
			return roleOf[mk]
		}
	}
	if fc.titleSkill != "" {
		return fc.titleSkill
	}
	best, bestN := skilltrend.RoleOther, int32(0)
	for _, mk := range []marker{markRoleFullstack, markRoleBackend, markRoleFrontend, markRoleDevOps, markRoleData, markRoleML, markRoleMobile} {
		if fc.body[mk] > bestN {
			best, bestN = roleOf[mk], fc.body[mk]
		}
	}
	if bestN > 0 {
		return best
	}
	if fc.bodySkill == skilltrend.RoleBackend {
		return fc.bodySkill
	}
	return skilltrend.RoleOther
}

var (
	mobileSkills   = []string{"swift", "swiftui", "objective-c", "flutter", "react-native", "jetpack-compose", "mobile-dev", "dart"}
	frontendSkills = []string{"react", "angular", "vue", "svelte", "nextjs", "css", "html", "tailwind", "jquery", "backbone", "ember"}
	neutralSkills  = []string{"javascript", "typescript", "kotlin", "git", "github", "gitlab", "sql", "ai"}
)

// roleOfSkill is the role a skill named in a title suggests, "" for none.
func roleOfSkill(s *skillDef) skilltrend.Role {
	switch {
	case slices.Contains(mobileSkills, s.ID):
		return skilltrend.RoleMobile
	case slices.Contains(frontendSkills, s.ID):
		return skilltrend.RoleFrontend
	case slices.Contains(neutralSkills, s.ID):
		return ""
	}
	switch s.Category {
	case skilltrend.CategoryLanguage, skilltrend.CategoryFramework, skilltrend.CategoryDatabase, skilltrend.CategoryAPI, skilltrend.CategoryMessaging:
		return skilltrend.RoleBackend
	case skilltrend.CategoryDevOps, skilltrend.CategoryCloud:
		return skilltrend.RoleDevOps
	}
	return ""
}

// seniority reads the level from the headline (the most specific word:
// "Senior Engineering Manager" is lead), else from the fewest years of
// experience asked for, else from the most frequent level word in the text.
func seniority(text string, hits []hit, fc *factCounts, titleLen int) skilltrend.Seniority {
	levels := []struct {
		mk marker
		s  skilltrend.Seniority
	}{
		{markIntern, skilltrend.SeniorityIntern},
		{markLead, skilltrend.SeniorityLead},
		{markStaff, skilltrend.SeniorityStaff},
		{markSenior, skilltrend.SenioritySenior},
		{markJunior, skilltrend.SeniorityJunior},
		{markMid, skilltrend.SeniorityMid},
	}
	for _, l := range levels {
		if fc.title[l.mk] > 0 {
			return l.s
		}
	}
	minYears := -1
	for _, h := range hits {
		if h.marker == markYears && int(h.start) >= titleLen {
			if n, ok := yearsBefore(text, int(h.start)); ok && (minYears < 0 || n < minYears) {
				minYears = n
			}
		}
	}
	switch {
	case minYears >= 8:
		return skilltrend.SeniorityStaff
	case minYears >= 5:
		return skilltrend.SenioritySenior
	case minYears >= 2:
		return skilltrend.SeniorityMid
	case minYears >= 0:
		return skilltrend.SeniorityJunior
	}
	// Level words in the text: the most frequent, when one is.
	best, bestN, tie := skilltrend.SeniorityUnknown, int32(0), false
	for _, l := range levels {
		switch n := fc.body[l.mk]; {
		case n > bestN:
			best, bestN, tie = l.s, n, false
		case n == bestN && n > 0:
			tie = true
		}
	}
	if tie || best == skilltrend.SeniorityLead || best == skilltrend.SeniorityStaff {
		// "report to the engineering manager", "work with our staff"
		return skilltrend.SeniorityUnknown
	}
	return best
}

// yearsBefore reads the number in "5+ years", "3-5 years", "(7) years".
func yearsBefore(text string, pos int) (int, bool) {
	k := pos
	for k > 0 && (isSpace[text[k-1]] || text[k-1] == '+' || text[k-1] == ')' || text[k-1] == '(') {
		k--
	}
	e := k
	for k > 0 && '0' <= text[k-1] && text[k-1] <= '9' {
		k--
	}
	if k == e || e-k > 2 {
		return 0, false
	}
	n := 0
	for _, c := range text[k:e] {
		n = n*10 + int(c-'0')
	}
	// "3-5 years": the lower bound.
	if k >= 2 && text[k-1] == '-' {
		j := k - 1
		s := j
		for j > 0 && '0' <= text[j-1] && text[j-1] <= '9' {
			j--
		}
		if j < s && s-j <= 2 {
			n = 0
			for _, c := range text[j:s] {
				n = n*10 + int(c-'0')
			}
		}
	}
	if n > 30 {
		return 0, false
	}
	return n, true
}

// workMode says hybrid when the text says so, remote when it offers remote
// work and does not refuse it, onsite when it names an office or refuses
// remote work. (A refusal, "no remote", holds a remote marker of its own;
// but any refusal already makes the posting onsite unless it is hybrid.)
func workMode(fc *factCounts) skilltrend.WorkMode {
	n := func(mk marker) int32 { return fc.title[mk] + fc.body[mk] }
	remote, noRemote := n(markRemote) > 0, n(markNoRemote) > 0
	switch {
	case n(markHybrid) > 0:
		return skilltrend.WorkModeHybrid
	case remote && !noRemote:
		return skilltrend.WorkModeRemote
	case n(markOnsite) > 0 || noRemote:
		return skilltrend.WorkModeOnsite
	}
	return skilltrend.WorkModeUnknown
}
