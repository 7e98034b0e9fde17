// Package shareddata finds the real public data kept beside the repository
// (../shared/data: HN threads, schema.org examples, hand-labelled skill
// spans) for the evaluation and conformance tests. A user's clone does not
// have it, so a test that needs it is skipped with a message saying so.
package shareddata

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns ../shared/data/sub beside the module root, or skips t when it
// is absent.
func Dir(t testing.TB, sub string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("real data not looked for: no go.mod above the test's directory")
		}
		dir = parent
	}
	p := filepath.Join(filepath.Dir(dir), "shared", "data", sub)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("real data %s is not present (it sits beside the repository, as in CI): skipping this evaluation", p)
	}
	return p
}
