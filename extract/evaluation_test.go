package extract

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"
)

// checkEvaluation applies what a test measured to the recorded evaluation:
// with -update it rewrites evaluation.json, otherwise it fails when the
// record differs, so a published figure is never stale.
func checkEvaluation(t *testing.T, measured func(*Evaluation)) {
	t.Helper()
	// Read the file itself, not the copy embedded at build time, so that two
	// tests updating it in one run keep each other's figures.
	data, err := os.ReadFile("evaluation.json")
	if err != nil {
		t.Fatal(err)
	}
	var recorded Evaluation
	if err := json.Unmarshal(data, &recorded); err != nil {
		t.Fatalf("evaluation.json: %v", err)
	}
	tax, err := DefaultTaxonomy()
	if err != nil {
		t.Fatal(err)
	}
	want := recorded
	want.TaxonomyVersion = tax.Version()
	measured(&want)
	if *update {
		data, err := json.MarshalIndent(want, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("evaluation.json", append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !reflect.DeepEqual(recorded, want) {
		t.Errorf("evaluation.json is stale (run go test ./extract -run 'TestGoldSet|TestSkillSpanRecall' -update):\nrecorded %+v\nmeasured %+v", recorded, want)
	}
}
