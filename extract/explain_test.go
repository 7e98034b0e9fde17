package extract

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// TestExplainGolden compares Explain's output for a posting full of
// ambiguous words with testdata/explain.golden (go test -update rewrites it).
func TestExplainGolden(t *testing.T) {
	input, err := os.ReadFile(filepath.Join("testdata", "explain.input"))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	tg := defaultTagger(t)
	if err := Explain(&out, tg, string(input)); err != nil {
		t.Fatal(err)
	}
	// The golden file does not change with every taxonomy edit.
	got := bytes.Replace(out.Bytes(), []byte(tg.Taxonomy().Version()), []byte("VERSION"), 1)
	out.Reset()
	out.Write(got)
	golden := filepath.Join("testdata", "explain.golden")
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Errorf("Explain output differs from %s (run go test -update to accept):\n%s", golden, out.String())
	}
}
