package extract

// marker is what a non-skill phrase says about the posting.
type marker uint8

const (
	markNone marker = iota
	markOptional
	markRoleBackend
	markRoleFrontend
	markRoleFullstack
	markRoleDevOps
	markRoleData
	markRoleML
	markRoleMobile
	markIntern
	markJunior
	markMid
	markSenior
	markStaff
	markLead
	markYears
	markRemote
	markNoRemote
	markHybrid
	markOnsite
	markCurrency
	markLast // not a marker: one past the last
)

// markerPhrases are matched like aliases: case-insensitively at word starts.
var markerPhrases = map[marker][]string{
	markOptional: {
		"nice to have", "nice-to-have", "nice to haves", "nice-to-haves", "bonus", "bonus points",
		"preferred", "preferably", "ideally", "desirable", "desired", "good to have", "optional",
		"extra credit", "advantageous", "brownie points",
	},
	markRoleBackend:   {"backend", "back-end", "back end", "server-side", "server side", "api engineer", "api developer"},
	markRoleFrontend:  {"frontend", "front-end", "front end", "ui engineer", "ui developer", "web developer"},
	markRoleFullstack: {"full stack", "full-stack", "fullstack"},
	markRoleDevOps: {
		"devops", "dev ops", "sre", "site reliability", "infrastructure engineer", "platform engineer",
		"cloud engineer", "devsecops", "reliability engineer", "infrastructure",
	},
	markRoleData: {
		"data engineer", "data engineering", "analytics engineer", "data scientist", "data analyst",
		"data platform", "data infrastructure", "database reliability", "etl developer", "bi engineer", "bi developer", "database engineer", "dba",
	},
	markRoleML: {
		"machine learning engineer", "ml engineer", "ai engineer", "mlops", "research scientist",
		"applied scientist", "ml scientist", "ai/ml engineer", "llm engineer", "deep learning engineer",
		"ml platform", "ml infrastructure", "ai researcher", "ml researcher", "computer vision", "research engineer",
	},
	markRoleMobile: {
		"ios", "android", "mobile", "mobile engineer", "mobile developer", "ios engineer",
		"android engineer", "ios developer", "android developer",
	},
	markIntern: {"intern", "interns", "internship", "co-op", "working student", "werkstudent"},
	markJunior: {"junior", "jr", "jr.", "entry level", "entry-level", "graduate", "new grad", "associate", "apprentice"},
	markMid:    {"mid-level", "mid level", "midlevel", "intermediate", "ii"},
	markSenior: {"senior", "sr", "sr.", "iii", "senior-level"},
	markStaff:  {"staff", "principal", "distinguished", "architect", "fellow"},
	markLead: {
		"lead", "tech lead", "team lead", "technical lead", "manager", "head of",
		"director", "vp", "vice president", "cto", "chief technology officer", "founding engineer",
	},
	markYears:    {"years", "yrs", "year", "years'", "yoe", "+ years", "+ yrs"},
	markRemote:   {"remote", "remotely", "fully remote", "100% remote", "remote-first", "remote first", "work from home", "wfh", "distributed team", "work from anywhere", "anywhere in"},
	markNoRemote: {"remote not", "remote is not", "remote work is not", "remote work isn't", "non-remote"},
	markHybrid:   {"hybrid", "days in office", "days in the office", "days a week in", "days per week in", "partially remote", "partly remote", "remote-friendly hybrid"},
	markOnsite:   {"onsite", "office-based", "office based"},
	markCurrency: {
		"$", "us$", "usd", "€", "eur", "euro", "euros", "£", "gbp", "ca$", "c$", "cad", "au$", "a$", "aud",
		"chf", "₹", "inr", "¥", "jpy", "sek", "nok", "dkk", "pln", "nz$", "nzd", "s$", "sgd",
	},
}

// anchoredMarkers are marker phrases that begin with a word too common to
// enter the trie with ("a plus", "in office", "no remote"): the trie holds
// the distinctive last word, and the words before it are checked only when
// that word is found.
var anchoredMarkers = []struct {
	mk    marker
	word  string
	after []string
}{
	{markOptional, "plus", []string{"a", "big", "huge", "definite", "strong", "major", "real", "massive", "nice"}},
	{markOptional, "helpful", []string{"is", "are", "be"}},
	{markOptional, "great", []string{"would be", "'d be"}},
	{markOptional, "nice", []string{"would be", "'d be"}},
	{markOptional, "love", []string{"would"}},
	{markOptional, "required", []string{"not"}},
	{markOptional, "requirement", []string{"not a"}},
	{markOptional, "necessary", []string{"not"}},
	{markOptional, "advantage", []string{"an", "added", "big", "an added"}},
	{markOptional, "better", []string{"even"}},
	{markOnsite, "office", []string{"in", "in-", "in our", "in the", "from our", "from the"}},
	{markOnsite, "person", []string{"in", "in-"}},
	{markOnsite, "site", []string{"on", "on-"}},
	{markNoRemote, "remote", []string{"no", "not", "not a", "not offer", "can't offer", "cannot offer", "don't offer", "unable to offer", "not fully"}},
}
