package shareddata

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDirFindsDataBesideTheModule(t *testing.T) {
	root := t.TempDir()
	repo := filepath.Join(root, "repo")
	pkg := filepath.Join(repo, "a", "b")
	data := filepath.Join(root, "shared", "data", "hn-algolia")
	for _, d := range []string{pkg, data} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(repo, "go.mod"), []byte("module x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(pkg)
	if got := Dir(t, "hn-algolia"); got != data {
		t.Errorf("Dir = %q, want %q", got, data)
	}
	t.Run("absent", func(t *testing.T) {
		Dir(t, "no-such-folder")
		t.Error("Dir did not skip for a missing folder")
	})
}
