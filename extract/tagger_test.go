package extract

import (
	"reflect"
	"slices"
	"sync"
	"testing"

	"github.com/skilltrend/skilltrend"
)

func defaultTagger(t testing.TB) *Tagger {
	t.Helper()
	tax, err := DefaultTaxonomy()
	if err != nil {
		t.Fatal(err)
	}
	return NewTagger(tax)
}

// TestAmbiguousSpellings covers every ambiguous case of issue 4 with a text
// that names the skill and one that does not.
func TestAmbiguousSpellings(t *testing.T) {
	tests := []struct {
		text     string
		want     []string // must be tagged
		wantNot  []string // must not be tagged
		wantText string   // the first match of want[0], when set
	}{
		{text: "Our services are written in Go and Rust.", want: []string{"go", "rust"}},
		{text: "Languages: python, go, rust.", want: []string{"go"}},
		{text: "Experience with Golang is required.", want: []string{"go"}, wantText: "Golang"},
		{text: "Go above and beyond for customers.", wantNot: []string{"go"}},
		{text: "She is our go-to person. Go-live is in May.", wantNot: []string{"go"}},
		{text: "Team outings to the go-kart track.", wantNot: []string{"go"}},
		{text: "Go to market with us, then go live.", wantNot: []string{"go"}},
		{text: "We write firmware in C and tools in Python.", want: []string{"c"}},
		{text: "Strong C/C++ skills.", want: []string{"c", "cpp"}},
		{text: "Modern C++ only.", want: []string{"cpp"}, wantNot: []string{"c"}},
		{text: "We closed our Series C and report to the C-level team and the C-suite.", wantNot: []string{"c"}},
		{text: "Our iOS app is mostly Objective-C.", want: []string{"objective-c"}, wantNot: []string{"c"}},
		{text: "Statistical modelling in R and Python.", want: []string{"r"}},
		{text: "Join our R&D team. R & D budget doubled.", wantNot: []string{"r"}},
		{text: "Native iOS apps in Swift.", want: []string{"swift"}},
		{text: "We promise a swift turnaround. Swift turnaround guaranteed.", wantNot: []string{"swift"}},
		{text: "Java 21 with Spring Boot.", want: []string{"spring", "java"}, wantText: "Spring Boot"},
		{text: "Backend in Java and Spring.", want: []string{"spring"}},
		{text: "Spring 2026 internship; start this spring.", wantNot: []string{"spring"}},
		{text: "APIs with Node.js and Express.", want: []string{"express", "nodejs"}},
		{text: "Express interest by email. We offer express shipping.", wantNot: []string{"express"}},
		{text: "A Ruby on Rails monolith.", want: []string{"rails", "ruby"}},
		{text: "Clear guard rails for code quality keep us from going off the rails.", wantNot: []string{"rails"}},
		{text: "Design REST APIs and RESTful services.", want: []string{"rest"}},
		{text: "The rest of the team is remote; rest assured, data at rest is encrypted.", wantNot: []string{"rest"}},
		{text: "Partner integrations use SOAP.", want: []string{"soap"}},
		{text: "You will soap the product moulds.", wantNot: []string{"soap"}},
		{text: "A small Flask API.", want: []string{"flask"}},
		{text: "Prepare solutions in a lab flask or volumetric flask.", wantNot: []string{"flask"}},
		{text: "Pipelines in Scala with Akka.", want: []string{"scala"}},
		{text: "We build scalable systems.", wantNot: []string{"scala"}},
		{text: "Front end in JavaScript.", want: []string{"javascript"}, wantNot: []string{"java"}},
		{text: "Java/JavaScript developers.", want: []string{"java", "javascript"}},
		{text: "Services run on Node.", want: []string{"nodejs"}},
		{text: "Each cluster node and every worker node must be replaceable.", wantNot: []string{"nodejs"}},
		{text: "Experience with Oracle Database and Oracle 19c.", want: []string{"oracle"}},
		{text: "Many of us are ex-Oracle; we integrate with Oracle Cloud and sell to Oracle customers.", wantNot: []string{"oracle"}},
		{text: "Our edge computing platform runs at 200 PoPs.", want: []string{"edge-computing"}},
		{text: "We build cutting-edge computing products and handle edge cases.", wantNot: []string{"edge-computing"}},
		{text: "We build AI tools with LLMs.", want: []string{"ai"}},
		{text: "Maintain the email inbox; all paid leave. OpenAI is a customer.", wantNot: []string{"ai"}},
		{text: "GitHub for code review.", want: []string{"github"}, wantNot: []string{"git"}},
		{text: "Django services.", want: []string{"django"}, wantNot: []string{"python"}},
		{text: "TypeScript everywhere.", want: []string{"typescript"}, wantNot: []string{"javascript"}},
		{text: "k8s, Postgres, MS SQL, ASP.NET Core, Amazon Web Services, OAuth2, machine learning.",
			want: []string{"kubernetes", "postgresql", "sqlserver", "dotnet", "aws", "oauth", "ai"}},
	}
	tg := defaultTagger(t)
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			ex := tg.Extract(skilltrend.Posting{Description: tt.text})
			got := tagIDs(ex)
			for _, id := range tt.want {
				if !slices.Contains(got, id) {
					t.Errorf("missing %s; tags %v", id, got)
				}
			}
			for _, id := range tt.wantNot {
				if slices.Contains(got, id) {
					t.Errorf("unexpected %s; tags %v", id, got)
				}
			}
			if tt.wantText != "" {
				for _, tag := range ex.Tags {
					if tag.SkillID == tt.want[0] && tag.Matches[0].Text != tt.wantText {
						t.Errorf("match %q, want %q", tag.Matches[0].Text, tt.wantText)
					}
				}
			}
		})
	}
}

func TestRequiredAndNiceToHave(t *testing.T) {
	tests := []struct {
		name, text string
		required   []string
		optional   []string
	}{
		{"heading", "Requirements:\n- Go\n- PostgreSQL\n\nNice to have:\n- Kafka\n- Redis\n\nBenefits:\n- Docker stipend", []string{"go", "postgresql", "docker"}, []string{"kafka", "redis"}},
		{"heading without colon", "What you bring\nPython\n\nBonus points\nRust and Terraform", []string{"python"}, []string{"rust", "terraform"}},
		{"markdown heading", "## Stack\nJava\n## Preferred qualifications\n- Scala", []string{"java"}, []string{"scala"}},
		{"a plus sentence", "You know Python well. Go is a plus. We deploy with Docker.", []string{"python", "docker"}, []string{"go"}},
		{"preferred", "Kubernetes experience preferred but not required.", nil, []string{"kubernetes"}},
		{"parenthesis", "PHP (Laravel a bonus), JavaScript.", []string{"php", "javascript"}, []string{"laravel"}},
		{"required anywhere wins", "Go is a plus.\nOur services are written in Go.", []string{"go"}, nil},
		{"inline bonus", "Bonus: GraphQL, gRPC.\nMust know REST.", []string{"rest"}, []string{"graphql", "grpc"}},
	}
	tg := defaultTagger(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := tg.Extract(skilltrend.Posting{Description: tt.text})
			req := map[string]bool{}
			for _, tag := range ex.Tags {
				req[tag.SkillID] = tag.Required
			}
			for _, id := range tt.required {
				if r, ok := req[id]; !ok || !r {
					t.Errorf("%s: tagged=%v required=%v, want required", id, ok, r)
				}
			}
			for _, id := range tt.optional {
				if r, ok := req[id]; !ok || r {
					t.Errorf("%s: tagged=%v required=%v, want nice to have", id, ok, r)
				}
			}
		})
	}
}

func TestTitleSkillsAreRequired(t *testing.T) {
	ex := defaultTagger(t).Extract(skilltrend.Posting{Title: "Rust Engineer", Description: "Nice to have:\n- Rust"})
	if len(ex.Tags) != 1 || !ex.Tags[0].Required {
		t.Errorf("tags %+v, want rust required", ex.Tags)
	}
}

func TestSalary(t *testing.T) {
	tests := []struct {
		text string
		want *skilltrend.Salary
	}{
		{"Salary: $120k-$150k.", &skilltrend.Salary{Min: 120000, Max: 150000, Currency: "USD", Period: "year"}},
		{"€60,000 - 80,000 per year", &skilltrend.Salary{Min: 60000, Max: 80000, Currency: "EUR", Period: "year"}},
		{"Rate: $70/hr on contract.", &skilltrend.Salary{Min: 145600, Currency: "USD", Period: "year"}},
		{"$50 - $65 per hour", &skilltrend.Salary{Min: 104000, Max: 135200, Currency: "USD", Period: "year"}},
		{"£4,500 per month", &skilltrend.Salary{Min: 54000, Currency: "GBP", Period: "year"}},
		{"Pay: USD 120-150k", &skilltrend.Salary{Min: 120000, Max: 150000, Currency: "USD", Period: "year"}},
		{"between 60.000 and 70.000 EUR", &skilltrend.Salary{Min: 60000, Max: 70000, Currency: "EUR", Period: "year"}},
		{"60.000–75.000 EUR brutto", &skilltrend.Salary{Min: 60000, Max: 75000, Currency: "EUR", Period: "year"}},
		{"$180,000 – $220,000", &skilltrend.Salary{Min: 180000, Max: 220000, Currency: "USD", Period: "year"}},
		{"We raised $12M in our Series A.", nil},
		{"A $5 coffee stipend.", nil},
		{"No salary mentioned.", nil},
	}
	tg := defaultTagger(t)
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := tg.Extract(skilltrend.Posting{Description: tt.text}).Salary
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("salary %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestPostingFieldsWin(t *testing.T) {
	tg := defaultTagger(t)
	ex := tg.Extract(skilltrend.Posting{
		Description: "Fully remote. Salary $100k.",
		WorkMode:    skilltrend.WorkModeHybrid,
		Salary:      &skilltrend.Salary{Min: 5000, Max: 6000, Currency: "EUR", Period: "month"},
	})
	if ex.WorkMode != skilltrend.WorkModeHybrid {
		t.Errorf("work mode %s, want hybrid from the posting", ex.WorkMode)
	}
	want := &skilltrend.Salary{Min: 60000, Max: 72000, Currency: "EUR", Period: "year"}
	if !reflect.DeepEqual(ex.Salary, want) {
		t.Errorf("salary %+v, want %+v", ex.Salary, want)
	}
}

func TestFacts(t *testing.T) {
	tests := []struct {
		title, text string
		role        skilltrend.Role
		seniority   skilltrend.Seniority
		mode        skilltrend.WorkMode
	}{
		{"Senior Backend Engineer", "Remote in the EU.", skilltrend.RoleBackend, skilltrend.SenioritySenior, skilltrend.WorkModeRemote},
		{"Staff Site Reliability Engineer", "Hybrid, 2 days in office.", skilltrend.RoleDevOps, skilltrend.SeniorityStaff, skilltrend.WorkModeHybrid},
		{"Engineering Manager, Frontend", "Onsite in Paris.", skilltrend.RoleFrontend, skilltrend.SeniorityLead, skilltrend.WorkModeOnsite},
		{"Full-Stack Developer", "3+ years of experience. No remote.", skilltrend.RoleFullstack, skilltrend.SeniorityMid, skilltrend.WorkModeOnsite},
		{"Software Engineering Intern", "", skilltrend.RoleOther, skilltrend.SeniorityIntern, skilltrend.WorkModeUnknown},
		{"Junior Data Engineer", "", skilltrend.RoleData, skilltrend.SeniorityJunior, skilltrend.WorkModeUnknown},
		{"Machine Learning Engineer", "7+ years", skilltrend.RoleML, skilltrend.SenioritySenior, skilltrend.WorkModeUnknown},
		{"iOS Developer", "", skilltrend.RoleMobile, skilltrend.SeniorityUnknown, skilltrend.WorkModeUnknown},
		{"Java Developer", "", skilltrend.RoleBackend, skilltrend.SeniorityUnknown, skilltrend.WorkModeUnknown},
	}
	tg := defaultTagger(t)
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			ex := tg.Extract(skilltrend.Posting{Title: tt.title, Description: tt.text})
			if ex.Role != tt.role || ex.Seniority != tt.seniority || ex.WorkMode != tt.mode {
				t.Errorf("got %s/%s/%s, want %s/%s/%s", ex.Role, ex.Seniority, ex.WorkMode, tt.role, tt.seniority, tt.mode)
			}
		})
	}
}

func TestExtractionIdentity(t *testing.T) {
	tax, _ := DefaultTaxonomy()
	tg := NewTagger(tax)
	p := skilltrend.Posting{Source: "hn", SourceID: "42", Title: "Go developer", Description: "Go and Postgres."}
	ex := tg.Extract(p)
	if ex.PostingID != p.ID() || ex.TaxonomyVersion != tax.Version() {
		t.Errorf("posting %d version %s, want %d %s", ex.PostingID, ex.TaxonomyVersion, p.ID(), tax.Version())
	}
	text := Text(p)
	for _, tag := range ex.Tags {
		for _, m := range tag.Matches {
			if text[m.Start:m.End] != m.Text {
				t.Errorf("%s: offsets %d-%d give %q, match says %q", tag.SkillID, m.Start, m.End, text[m.Start:m.End], m.Text)
			}
		}
	}
	if len(ex.Tags) != 2 || ex.Tags[0].SkillID != "go" || len(ex.Tags[0].Matches) != 2 {
		t.Errorf("tags %+v, want go (twice) and postgresql", ex.Tags)
	}
}

func TestConcurrentUse(t *testing.T) {
	tg := defaultTagger(t)
	gold := loadGold(t)
	want := make([]skilltrend.Extraction, len(gold))
	for i, g := range gold {
		want[i] = tg.Extract(g.posting)
	}
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Go(func() {
			for i := len(gold) - 1; i >= 0; i-- {
				if got := tg.Extract(gold[i].posting); !reflect.DeepEqual(got, want[i]) {
					t.Errorf("%s: concurrent result differs", gold[i].id)
					return
				}
			}
		})
	}
	wg.Wait()
}
