package analytics

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/skilltrend/skilltrend"
)

// The publishing tests re-execute the test binary as a second process: a
// reader that holds the published file open, or a run that is SIGKILLed.
const childEnv = "SKILLTREND_ANALYTICS_CHILD"

func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		if err := runChild(mode, os.Getenv(childEnv+"_DB")); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

var (
	marketV1 = market{months: 8, perMonth: 40, goCount: growingGo}
	marketV2 = market{months: 12, perMonth: 40, goCount: growingGo}
)

func runChild(mode, dbPath string) error {
	ctx := context.Background()
	switch mode {
	case "reader":
		// Report the snapshot, wait for a line on stdin, report again.
		db, err := OpenReadOnly(ctx, dbPath)
		if err != nil {
			return err
		}
		defer db.Close()
		for {
			s, err := summary(ctx, db)
			if err != nil {
				return err
			}
			fmt.Println(s)
			if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
				return nil
			}
		}
	case "kill-during-load", "kill-before-rename":
		unlock, err := Lock(dbPath)
		if err != nil {
			return err
		}
		defer unlock()
		s, err := OpenWork(ctx, dbPath, nil)
		if err != nil {
			return err
		}
		if err := s.SyncSkills(ctx, "v1", testSkills); err != nil {
			return err
		}
		ps := marketV2.postings()
		if mode == "kill-before-rename" {
			if err := tagAll(ctx, s, marketV2, ps); err != nil {
				return err
			}
			if err := s.Aggregate(ctx); err != nil {
				return err
			}
			s.beforeRename = func() {
				fmt.Println("renaming")
				time.Sleep(time.Hour)
			}
			return s.Publish(ctx)
		}
		for round := 0; ; round++ {
			for i := 0; i < len(ps); i += 50 {
				batch := ps[i:min(i+50, len(ps))]
				if _, err := s.UpsertPostings(ctx, batch); err != nil {
					return err
				}
				ex := make([]skilltrend.Extraction, len(batch))
				for j, p := range batch {
					ex[j] = marketV2.extraction(p, "v1")
				}
				if err := s.SaveExtractions(ctx, ex); err != nil {
					return err
				}
				if round == 0 && i == 0 {
					fmt.Println("loading")
				}
			}
		}
	}
	return fmt.Errorf("unknown mode %q", mode)
}

func tagAll(ctx context.Context, s *Store, mk market, ps []skilltrend.Posting) error {
	if _, err := s.UpsertPostings(ctx, ps); err != nil {
		return err
	}
	return s.PostingsToTag(ctx, "v1", false, 100, func(b []skilltrend.Posting) error {
		ex := make([]skilltrend.Extraction, len(b))
		for i, p := range b {
			ex[i] = mk.extraction(p, "v1")
		}
		return s.SaveExtractions(ctx, ex)
	})
}

// summary condenses what the views and tables say into one line, so that two
// databases can be compared.
func summary(ctx context.Context, db *sql.DB) (string, error) {
	var s string
	err := db.QueryRowContext(ctx, `SELECT concat_ws(' ',
		(SELECT count(*) FROM postings), (SELECT count(DISTINCT posting_id) FROM postings),
		(SELECT count(*) FROM posting_skills), (SELECT count(*) FROM extractions),
		(SELECT md5(string_agg(concat_ws(',', month, skill_id, role, postings, total_postings), ';' ORDER BY month, skill_id, role))
		 FROM skill_demand_monthly),
		(SELECT md5(string_agg(concat_ws(',', skill_id, postings_recent, total_recent, postings_prior), ';' ORDER BY skill_id))
		 FROM skill_trends))`).Scan(&s)
	return s, err
}

func publishedSummary(t *testing.T, dbPath string) string {
	t.Helper()
	db, err := OpenReadOnly(context.Background(), dbPath)
	if err != nil {
		t.Fatalf("published file does not open: %v", err)
	}
	defer db.Close()
	s, err := summary(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// child starts the test binary in mode against dbPath and returns it with
// its stdout lines.
func child(t *testing.T, mode, dbPath string) (*exec.Cmd, io.WriteCloser, *bufio.Scanner) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+mode, childEnv+"_DB="+dbPath)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	return cmd, stdin, bufio.NewScanner(stdout)
}

func readLine(t *testing.T, sc *bufio.Scanner) string {
	t.Helper()
	if !sc.Scan() {
		t.Fatalf("child exited without output: %v", sc.Err())
	}
	return sc.Text()
}

// referenceSummary is what loading V1 then V2 into a fresh database gives.
func referenceSummary(t *testing.T) string {
	t.Helper()
	ref := filepath.Join(t.TempDir(), "ref.duckdb")
	load(t, context.Background(), ref, marketV1)
	load(t, context.Background(), ref, marketV2)
	return publishedSummary(t, ref)
}

func TestReaderDoesNotBlockRun(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "st.duckdb")
	load(t, ctx, dbPath, marketV1)
	v1 := publishedSummary(t, dbPath)

	_, stdin, out := child(t, "reader", dbPath)
	if got := readLine(t, out); got != v1 {
		t.Fatalf("reader saw %q, want %q", got, v1)
	}
	load(t, ctx, dbPath, marketV2) // must not block on the reader
	v2 := publishedSummary(t, dbPath)
	if v2 == v1 {
		t.Fatal("second run changed nothing")
	}
	fmt.Fprintln(stdin)
	if got := readLine(t, out); got != v1 {
		t.Fatalf("reader's snapshot changed under it: %q, want %q", got, v1)
	}
	if got := publishedSummary(t, dbPath+".prev"); got != v1 {
		t.Fatalf(".prev = %q, want the previous publication %q", got, v1)
	}
	if _, err := os.Stat(dbPath + ".work"); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("working copy left behind: %v", err)
	}
}

func TestKilledRunLeavesPublishedFileAndConverges(t *testing.T) {
	want := referenceSummary(t)
	for _, mode := range []string{"kill-during-load", "kill-before-rename"} {
		t.Run(mode, func(t *testing.T) {
			ctx := context.Background()
			dbPath := filepath.Join(t.TempDir(), "st.duckdb")
			load(t, ctx, dbPath, marketV1)
			v1 := publishedSummary(t, dbPath)

			cmd, _, out := child(t, mode, dbPath)
			signal := map[string]string{"kill-during-load": "loading", "kill-before-rename": "renaming"}[mode]
			if got := readLine(t, out); got != signal {
				t.Fatalf("child said %q, want %q", got, signal)
			}
			if mode == "kill-during-load" {
				time.Sleep(200 * time.Millisecond) // let it get into the middle of a batch
			}
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			_ = cmd.Wait()
			if _, err := os.Stat(dbPath + ".work"); err != nil {
				t.Fatalf("the killed run left no working copy, so it was not killed mid-run: %v", err)
			}
			if _, err := os.Stat(dbPath + ".work.wal"); mode == "kill-during-load" && err != nil {
				t.Fatalf("the run killed during load left no WAL to clear: %v", err)
			}

			if got := publishedSummary(t, dbPath); got != v1 {
				t.Fatalf("after the kill the published file says %q, want %q", got, v1)
			}
			unlock, err := Lock(dbPath)
			if err != nil {
				t.Fatalf("lock after the kill: %v", err)
			}
			load(t, ctx, dbPath, marketV2)
			unlock()
			if got := publishedSummary(t, dbPath); got != want {
				t.Fatalf("the next run converged to %q, want %q (a clean run)", got, want)
			}
		})
	}
}
