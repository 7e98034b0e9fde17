package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/skilltrend/skilltrend/analytics"
)

// testEnv runs the CLI in-process with captured output and a fixed clock.
type testEnv struct {
	env
	out, errOut bytes.Buffer
	vars        map[string]string
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	te := &testEnv{vars: map[string]string{}}
	te.env = env{
		stdin:  strings.NewReader(""),
		stdout: &te.out,
		stderr: &te.errOut,
		getenv: func(k string) string { return te.vars[k] },
		now:    func() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) },
	}
	return te
}

func (te *testEnv) run(ctx context.Context, args ...string) int {
	te.out.Reset()
	te.errOut.Reset()
	e := te.env
	return runEnv(ctx, &e, args)
}

// chdir moves the test into a fresh directory, so default paths
// (skilltrend.yaml, skilltrend.duckdb) land there.
func chdir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Chdir(dir)
	return dir
}

func TestUsageErrorsExit2(t *testing.T) {
	chdir(t)
	tests := [][]string{
		{},
		{"frobnicate"},
		{"run", "--no-such-flag"},
		{"run", "extra-arg"},
		{"run", "--config", "missing.yaml"},
		{"run", "--log-format", "xml"},
		{"export", "--format", "xlsx", "--out", "x"},
		{"crawl", "--source", "nope"},
	}
	for _, args := range tests {
		te := newTestEnv(t)
		if code := te.run(t.Context(), args...); code != exitUsage {
			t.Errorf("skilltrend %q exited %d, want %d; stderr:\n%s", args, code, exitUsage, te.errOut.String())
		}
	}
}

func TestHelpListsExitCodesAndEnv(t *testing.T) {
	te := newTestEnv(t)
	if code := te.run(t.Context(), "help"); code != exitOK {
		t.Fatalf("help exited %d", code)
	}
	help := te.out.String()
	for _, want := range []string{"SKILLTREND_", "75", "130", "partial", "run", "demo", "taxonomy"} {
		if !strings.Contains(help, want) {
			t.Errorf("help does not mention %q", want)
		}
	}
}

func TestConfigErrorNamesLine(t *testing.T) {
	dir := chdir(t)
	if err := os.WriteFile(filepath.Join(dir, "skilltrend.yaml"), []byte("sources:\n  - {name: a, type: hn}\n  - {name: b, type: lever}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	te := newTestEnv(t)
	if code := te.run(t.Context(), "run"); code != exitUsage {
		t.Fatalf("exit %d, want %d", code, exitUsage)
	}
	if msg := te.errOut.String(); !strings.Contains(msg, "line 3") || !strings.Contains(msg, "sources[1].site") {
		t.Errorf("error does not name line and field:\n%s", msg)
	}
}

func TestEnvVarSetsFlag(t *testing.T) {
	chdir(t)
	te := newTestEnv(t)
	te.vars["SKILLTREND_LOG_FORMAT"] = "xml"
	if code := te.run(t.Context(), "version"); code != exitUsage {
		t.Fatalf("SKILLTREND_LOG_FORMAT=xml: exit %d, want %d", code, exitUsage)
	}
	if !strings.Contains(te.errOut.String(), "SKILLTREND_LOG_FORMAT") {
		t.Errorf("error does not name the variable: %s", te.errOut.String())
	}
	// The command line wins over the environment.
	if code := te.run(t.Context(), "version", "--log-format", "json"); code != exitOK {
		t.Fatalf("flag did not override env: exit %d: %s", code, te.errOut.String())
	}
}

func TestInitWritesParsableConfigOnce(t *testing.T) {
	dir := chdir(t)
	te := newTestEnv(t)
	if code := te.run(t.Context(), "init"); code != exitOK {
		t.Fatalf("init exit %d: %s", code, te.errOut.String())
	}
	data, err := os.ReadFile(filepath.Join(dir, "skilltrend.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "since: 2024-11") {
		t.Errorf("starter config does not backfill 24 months:\n%s", data)
	}
	if code := te.run(t.Context(), "init"); code != exitUsage {
		t.Errorf("second init exit %d, want %d (must not overwrite)", code, exitUsage)
	}
}

func TestSecondRunExits75(t *testing.T) {
	dir := chdir(t)
	db := filepath.Join(dir, "x.duckdb")
	unlock, err := analytics.Lock(db)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	te := newTestEnv(t)
	if code := te.run(t.Context(), "run", "--db", db); code != exitLocked {
		t.Fatalf("run while locked exited %d, want %d; stderr:\n%s", code, exitLocked, te.errOut.String())
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("a locked-out run created the database")
	}
}
