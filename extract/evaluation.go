package extract

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

// Evaluation is the tagger's measured accuracy for one taxonomy version, as
// the evaluation tests recorded it in evaluation.json. Those tests fail when
// the file no longer matches what they measure (a changed taxonomy or
// tagger); `go test ./extract -run 'TestGoldSet|TestSkillSpanRecall' -update`
// measures again and rewrites it.
type Evaluation struct {
	TaxonomyVersion string `json:"taxonomy_version"`
	// Gold: the project's hand-labelled postings (extract/testdata/gold),
	// over the skill ids issue 4 names.
	Gold struct {
		Postings        int     `json:"postings"`
		Mentions        int     `json:"mentions"` // labelled skill mentions
		Precision       float64 `json:"precision"`
		Recall          float64 `json:"recall"`
		RequiredCorrect float64 `json:"required_correct"` // share of found skills whose required/nice-to-have is right
	} `json:"gold"`
	// SkillSpan: hand-labelled Knowledge spans of real tech postings
	// (SkillSpan, NAACL 2022) that name a taxonomy skill.
	SkillSpan struct {
		Spans  int     `json:"spans"`
		Found  int     `json:"found"`
		Recall float64 `json:"recall"`
	} `json:"skillspan"`
}

//go:embed evaluation.json
var evaluationJSON []byte

// PublishedEvaluation returns the recorded accuracy of the built-in taxonomy.
func PublishedEvaluation() (Evaluation, error) {
	var ev Evaluation
	if err := json.Unmarshal(evaluationJSON, &ev); err != nil {
		return Evaluation{}, fmt.Errorf("evaluation.json: %w", err)
	}
	return ev, nil
}
