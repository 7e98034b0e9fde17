package extract

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"

	"github.com/skilltrend/skilltrend"
)

//go:embed taxonomy.yaml
var defaultTaxonomyYAML []byte

// Taxonomy is a parsed, validated skill taxonomy. It is immutable.
type Taxonomy struct {
	version string
	skills  []skillDef
	byID    map[string]int
}

// skillDef is one skill with its compiled spellings.
type skillDef struct {
	skilltrend.Skill
	aliases []aliasDef
}

// aliasDef is one spelling of a skill and the context it must appear in.
type aliasDef struct {
	Text          string   `yaml:"alias"`
	CaseSensitive bool     `yaml:"case_sensitive"`
	NotAfter      []string `yaml:"not_after"`         // excluded when the text right before ends with one of these
	NotBefore     []string `yaml:"not_before"`        // excluded when the text right after starts with one of these
	OnlyAfter     []string `yaml:"only_after"`        // counted only when the text right before ends with one of these
	NotBeforeNum  bool     `yaml:"not_before_number"` // excluded when a number follows ("Spring 2026")
	ContextAny    []string `yaml:"context_any"`       // at least one of these words within Window bytes
	ContextNone   []string `yaml:"context_none"`      // none of these words within Window bytes
	Window        int      `yaml:"window"`            // default 150
	ListItem      bool     `yaml:"list_item"`         // only in a list: a separator such as , / ( right before or after
	Shared        bool     `yaml:"shared"`            // the spelling also names another skill ("Ruby on Rails")
	Note          string   `yaml:"note"`              // why the rule exists; shown by Explain

	// Indexes of long phrase lists by the byte that meets the match.
	notAfterIdx, notBeforeIdx, onlyAfterIdx *phraseIndex
}

func (a aliasDef) hasRule() bool {
	return a.CaseSensitive || len(a.NotAfter) > 0 || len(a.NotBefore) > 0 || len(a.OnlyAfter) > 0 || a.NotBeforeNum ||
		len(a.ContextAny) > 0 || len(a.ContextNone) > 0 || a.ListItem
}

type yamlTaxonomy struct {
	Skills []yamlSkill `yaml:"skills"`
}

type yamlSkill struct {
	ID       string     `yaml:"id"`
	Name     string     `yaml:"name"`
	Category string     `yaml:"category"`
	Aliases  []string   `yaml:"aliases"`
	Rules    []aliasDef `yaml:"rules"`
}

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.+#-]*$`)

// DefaultTaxonomy returns the taxonomy embedded in the binary.
func DefaultTaxonomy() (*Taxonomy, error) {
	return ParseTaxonomy(defaultTaxonomyYAML)
}

// ParseTaxonomy parses and validates a taxonomy YAML document. Errors name
// the skill and field at fault.
func ParseTaxonomy(data []byte) (*Taxonomy, error) {
	var doc yamlTaxonomy
	if err := yaml.UnmarshalWithOptions(data, &doc, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("parse taxonomy: %w", err)
	}
	if len(doc.Skills) == 0 {
		return nil, errors.New("parse taxonomy: no skills")
	}
	categories := map[string]bool{}
	for _, c := range skilltrend.Categories() {
		categories[string(c)] = true
	}
	t := &Taxonomy{byID: make(map[string]int, len(doc.Skills))}
	owner := map[string]string{} // case-insensitive unconditional alias -> skill id
	var errs []error
	for i, ys := range doc.Skills {
		where := fmt.Sprintf("skill %d", i+1)
		if ys.ID != "" {
			where = fmt.Sprintf("skill %q", ys.ID)
		}
		switch {
		case ys.ID == "":
			errs = append(errs, fmt.Errorf("%s: id is empty", where))
		case !idPattern.MatchString(ys.ID):
			errs = append(errs, fmt.Errorf("%s: id must be lower-case letters, digits and . + # -", where))
		default:
			if _, dup := t.byID[ys.ID]; dup {
				errs = append(errs, fmt.Errorf("%s: duplicate id", where))
			}
		}
		if strings.TrimSpace(ys.Name) == "" {
			errs = append(errs, fmt.Errorf("%s: name is empty", where))
		}
		if !categories[ys.Category] {
			errs = append(errs, fmt.Errorf("%s: category %q is not one of %v", where, ys.Category, skilltrend.Categories()))
		}
		if len(ys.Aliases) == 0 && len(ys.Rules) == 0 {
			errs = append(errs, fmt.Errorf("%s: needs at least one alias or rule", where))
		}
		sd := skillDef{Skill: skilltrend.Skill{ID: ys.ID, Name: ys.Name, Category: skilltrend.Category(ys.Category)}}
		for _, a := range ys.Aliases {
			sd.aliases = append(sd.aliases, aliasDef{Text: a})
		}
		for j, r := range ys.Rules {
			if r.Text == "" {
				errs = append(errs, fmt.Errorf("%s: rules[%d]: alias is empty", where, j))
			}
			if r.Window < 0 {
				errs = append(errs, fmt.Errorf("%s: rules[%d]: window must not be negative", where, j))
			}
			sd.aliases = append(sd.aliases, r)
		}
		for i := range sd.aliases {
			// Context phrases match case-insensitively: fold them once.
			a := &sd.aliases[i]
			for _, list := range [][]string{a.NotAfter, a.NotBefore, a.OnlyAfter, a.ContextAny, a.ContextNone} {
				for k, p := range list {
					list[k] = foldString(p)
				}
			}
			a.notAfterIdx = newPhraseIndex(a.NotAfter, lastByte)
			a.notBeforeIdx = newPhraseIndex(a.NotBefore, firstByte)
			a.onlyAfterIdx = newPhraseIndex(a.OnlyAfter, lastByte)
		}
		for _, a := range sd.aliases {
			if err := checkAlias(a.Text); err != nil {
				errs = append(errs, fmt.Errorf("%s: alias %q: %w", where, a.Text, err))
				continue
			}
			if a.hasRule() || a.Shared {
				continue
			}
			key := foldString(a.Text)
			if prev, ok := owner[key]; ok && prev != ys.ID {
				errs = append(errs, fmt.Errorf("%s: alias %q is already an alias of %q", where, a.Text, prev))
			}
			owner[key] = ys.ID
		}
		t.byID[ys.ID] = len(t.skills)
		t.skills = append(t.skills, sd)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("parse taxonomy: %w", err)
	}
	sum := sha256.Sum256(data)
	t.version = hex.EncodeToString(sum[:])[:12]
	return t, nil
}

func checkAlias(s string) error {
	switch {
	case s == "":
		return errors.New("empty")
	case !utf8.ValidString(s):
		return errors.New("not valid UTF-8")
	case strings.TrimSpace(s) != s:
		return errors.New("leading or trailing space")
	case strings.Contains(s, "  "):
		return errors.New("double space")
	}
	return nil
}

// Version is a content hash of the taxonomy YAML, stored with every tag so
// that postings tagged with an older taxonomy can be found and re-tagged.
func (t *Taxonomy) Version() string { return t.version }

// Skills lists the skills in the order the YAML gives them.
func (t *Taxonomy) Skills() []skilltrend.Skill {
	out := make([]skilltrend.Skill, len(t.skills))
	for i, s := range t.skills {
		out[i] = s.Skill
	}
	return out
}

// Skill returns the skill with the given id.
func (t *Taxonomy) Skill(id string) (skilltrend.Skill, bool) {
	i, ok := t.byID[id]
	if !ok {
		return skilltrend.Skill{}, false
	}
	return t.skills[i].Skill, true
}
