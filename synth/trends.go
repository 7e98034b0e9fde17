package synth

// Trend is a skill whose share of postings the generator controls: in month
// m of n (0-based) a posting mentions the skill with probability
// Start + (End-Start)*m/(n-1), independently of every other choice, so the
// share of postings that mention it (what the skill_demand_monthly view
// measures) follows that line up to sampling noise. Start == End is a flat
// control skill.
type Trend struct {
	SkillID string  `json:"skill_id"`
	Start   float64 `json:"start"` // share of all postings in the first month
	End     float64 `json:"end"`   // share of all postings in the last month
}

// ShareAt is the declared share in month m of n.
func (t Trend) ShareAt(m, n int) float64 {
	if n <= 1 {
		return t.End
	}
	return t.Start + (t.End-t.Start)*float64(m)/float64(n-1)
}

// controlled says how a controlled skill is worded: every alias names the
// skill (for the taxonomy: Golang -> go, k8s -> kubernetes, LLM -> ai...).
type controlled struct {
	Trend
	Aliases  []string // surface forms, first is the canonical name
	Required []string // requirement bullets; %s is an alias
	Nice     []string // nice-to-have bullets; %s is an alias
	Stack    []string // "our stack" sentences for roles that do not use it daily
}

var langRequired = []string{
	"Professional experience building services in %s",
	"Several years of writing production code in %s",
	"You know %s well, including its concurrency model and tooling",
	"Hands-on experience with %s and its testing ecosystem",
}

var langNice = []string{
	"Some exposure to %s",
	"Experience with %s is a plus",
	"You have played with %s in side projects",
}

var langStack = []string{
	"Our backend services are written in %s.",
	"You will work closely with the platform team, who write most of their code in %s.",
	"The APIs you consume are built in %s.",
}

// controlledSkills are the skills Trends declares, in a fixed order.
var controlledSkills = []controlled{
	{
		Trend:    Trend{SkillID: "go", Start: 0.06, End: 0.16},
		Aliases:  []string{"Go", "Golang", "Go (Golang)"},
		Required: langRequired, Nice: langNice, Stack: langStack,
	},
	{
		Trend:    Trend{SkillID: "rust", Start: 0.02, End: 0.08},
		Aliases:  []string{"Rust"},
		Required: langRequired, Nice: langNice, Stack: langStack,
	},
	{
		Trend:    Trend{SkillID: "php", Start: 0.25, End: 0.10},
		Aliases:  []string{"PHP", "PHP 8", "modern PHP"},
		Required: langRequired, Nice: langNice, Stack: langStack,
	},
	{
		Trend:   Trend{SkillID: "ai", Start: 0.05, End: 0.35},
		Aliases: []string{"LLM", "machine learning", "AI"},
		Required: []string{
			"Experience shipping features built on %s models",
			"You have put %s systems into production and know how to evaluate them",
			"Practical knowledge of %s, from prompt design to evaluation",
		},
		Nice: []string{
			"Familiarity with %s tooling",
			"Interest in %s and how to use it responsibly",
		},
		Stack: []string{
			"We are adding %s features across the product this year.",
			"Our product team is building %s-assisted workflows for customers.",
		},
	},
	{
		Trend:    Trend{SkillID: "python", Start: 0.30, End: 0.30},
		Aliases:  []string{"Python", "Python 3"},
		Required: langRequired, Nice: langNice, Stack: langStack,
	},
	{
		Trend:    Trend{SkillID: "java", Start: 0.22, End: 0.22},
		Aliases:  []string{"Java", "Java 17"},
		Required: langRequired, Nice: langNice, Stack: langStack,
	},
	{
		Trend:   Trend{SkillID: "kubernetes", Start: 0.20, End: 0.20},
		Aliases: []string{"Kubernetes", "k8s", "K8s"},
		Required: []string{
			"Experience running services on %s",
			"You are comfortable debugging workloads on %s",
		},
		Nice:  []string{"Familiarity with %s", "Some experience operating %s clusters"},
		Stack: []string{"Everything we run is deployed on %s.", "We deploy to %s with a small internal tool."},
	},
	{
		Trend:   Trend{SkillID: "postgresql", Start: 0.28, End: 0.28},
		Aliases: []string{"PostgreSQL", "Postgres", "postgres"},
		Required: []string{
			"Solid knowledge of %s: schema design, indexes and query plans",
			"Experience with relational databases, ideally %s",
		},
		Nice:  []string{"You have tuned %s under load", "Experience with %s replication"},
		Stack: []string{"Our main datastore is %s.", "Data lives in %s and a few caches."},
	},
}

// Trends returns the skills whose share the generator controls, with their
// declared shares in the first and last month. Callers own the slice.
func Trends() []Trend {
	out := make([]Trend, len(controlledSkills))
	for i, c := range controlledSkills {
		out[i] = c.Trend
	}
	return out
}

// Aliases returns the surface forms the generator uses for a controlled
// skill, or nil for any other id. Evaluations use it to check that a tagger
// maps every alias to the skill.
func Aliases(skillID string) []string {
	for _, c := range controlledSkills {
		if c.SkillID == skillID {
			return append([]string(nil), c.Aliases...)
		}
	}
	return nil
}
