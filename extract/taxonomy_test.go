package extract

import (
	"strings"
	"testing"

	"github.com/skilltrend/skilltrend"
)

func TestDefaultTaxonomy(t *testing.T) {
	tax, err := DefaultTaxonomy()
	if err != nil {
		t.Fatal(err)
	}
	skills := tax.Skills()
	if len(skills) < 250 {
		t.Errorf("%d skills, want at least 250", len(skills))
	}
	perCat := map[skilltrend.Category]int{}
	for _, s := range skills {
		perCat[s.Category]++
	}
	for _, c := range skilltrend.Categories() {
		if perCat[c] == 0 {
			t.Errorf("no skill in category %s", c)
		}
	}
	if v := tax.Version(); len(v) != 12 {
		t.Errorf("version %q, want 12 hex digits", v)
	}
	again, _ := DefaultTaxonomy()
	if again.Version() != tax.Version() {
		t.Error("version is not stable")
	}
}

func TestParseTaxonomyVersionFollowsContent(t *testing.T) {
	a, err := ParseTaxonomy([]byte("skills:\n- {id: go, name: Go, category: language, aliases: [golang]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseTaxonomy([]byte("skills:\n- {id: go, name: Go, category: language, aliases: [golang, go-lang]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Version() == b.Version() {
		t.Error("different taxonomies share a version")
	}
}

func TestParseTaxonomyErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string // all must appear in the error
	}{
		{"empty", "skills: []\n", []string{"no skills"}},
		{"not yaml", "skills: [\n", []string{"parse taxonomy"}},
		{"unknown field", "skills:\n- {id: go, name: Go, category: language, aliases: [golang], colour: blue}\n", []string{"colour"}},
		{"bad category", "skills:\n- {id: go, name: Go, category: languages, aliases: [golang]}\n", []string{`skill "go"`, "category", "languages"}},
		{"missing id", "skills:\n- {name: Go, category: language, aliases: [golang]}\n", []string{"skill 1", "id is empty"}},
		{"bad id", "skills:\n- {id: Go Lang, name: Go, category: language, aliases: [golang]}\n", []string{`skill "Go Lang"`, "id must be"}},
		{"duplicate id", "skills:\n- {id: go, name: Go, category: language, aliases: [golang]}\n- {id: go, name: Go2, category: language, aliases: [go2]}\n", []string{`skill "go"`, "duplicate id"}},
		{"no name", "skills:\n- {id: go, category: language, aliases: [golang]}\n", []string{`skill "go"`, "name is empty"}},
		{"no alias", "skills:\n- {id: go, name: Go, category: language}\n", []string{`skill "go"`, "alias or rule"}},
		{"empty alias", "skills:\n- {id: go, name: Go, category: language, aliases: [\"\"]}\n", []string{`skill "go"`, "empty"}},
		{"padded alias", "skills:\n- {id: go, name: Go, category: language, aliases: [\" golang\"]}\n", []string{`alias " golang"`, "space"}},
		{"alias of two skills", "skills:\n- {id: go, name: Go, category: language, aliases: [golang]}\n- {id: gin, name: Gin, category: framework, aliases: [GoLang]}\n", []string{`skill "gin"`, `"GoLang"`, `already an alias of "go"`}},
		{"rule without alias", "skills:\n- id: go\n  name: Go\n  category: language\n  rules:\n  - {case_sensitive: true}\n", []string{`skill "go"`, "rules[0]", "alias is empty"}},
		{"negative window", "skills:\n- id: go\n  name: Go\n  category: language\n  rules:\n  - {alias: Go, window: -3}\n", []string{`skill "go"`, "rules[0]", "window"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseTaxonomy([]byte(tt.yaml))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestSharedAliasNamesBothSkills(t *testing.T) {
	tax, err := ParseTaxonomy([]byte(`skills:
- {id: ruby, name: Ruby, category: language, aliases: [ruby], rules: [{alias: ruby on rails, shared: true}]}
- {id: rails, name: Rails, category: framework, aliases: [ruby on rails]}
`))
	if err != nil {
		t.Fatal(err)
	}
	ex := NewTagger(tax).Extract(skilltrend.Posting{Description: "We use Ruby on Rails."})
	if got := tagIDs(ex); strings.Join(got, " ") != "rails ruby" {
		t.Errorf("tags %v, want [rails ruby]", got)
	}
}

func tagIDs(ex skilltrend.Extraction) []string {
	var ids []string
	for _, t := range ex.Tags {
		ids = append(ids, t.SkillID)
	}
	return ids
}
