package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportSkipsBadRowsAndKeepsTheRest loads a JSON Lines file and a JobSpy
// CSV with bad rows: the good rows land, the bad ones are named by file and
// line, the run exits 3, and a re-import changes nothing.
func TestImportSkipsBadRowsAndKeepsTheRest(t *testing.T) {
	dir := chdir(t)
	jsonl := strings.Join([]string{
		`{"source":"board","source_id":"1","title":"Backend Engineer","company":"Acme","description":"Go and PostgreSQL.","posted_at":"2026-03-02T00:00:00Z"}`,
		`{"source":"board","source_id":"2","title":"SRE",`,              // line 2: truncated JSON
		`{"source":"board","title":"No id","description":"Kubernetes"}`, // line 3: no source_id
		`{"source":"board","source_id":"4","title":"Data Engineer","company":"Globex","description":"Python, Kafka.","posted_at":"2026-04-10T00:00:00Z"}`,
	}, "\n") + "\n"
	csv := "id,site,job_url,title,company,location,date_posted,job_type,interval,min_amount,max_amount,currency,is_remote,description\n" +
		"in-1,indeed,https://jobs.example/1,Platform Engineer,Initech,\"Austin, TX\",2026-05-01,fulltime,yearly,120000,150000,USD,True,Terraform and AWS.\n" +
		"in-2,indeed,https://jobs.example/2,Broken,Initech,Austin,not-a-date,fulltime,yearly,abc,150000,USD,False,Rust\n"
	if err := os.WriteFile(filepath.Join(dir, "a.jsonl"), []byte(jsonl), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "b.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "imp.duckdb")
	te := newTestEnv(t)
	if code := te.run(t.Context(), "import", "--db", db, "a.jsonl", "b.csv"); code != exitPartial {
		t.Fatalf("import exited %d, want %d; stderr:\n%s", code, exitPartial, te.errOut.String())
	}
	for _, want := range []string{"file=a.jsonl line=2", "file=a.jsonl line=3", "file=b.csv line=3", "3 rows skipped"} {
		if !strings.Contains(te.errOut.String(), want) {
			t.Errorf("stderr does not mention %q:\n%s", want, te.errOut.String())
		}
	}
	if strings.Contains(te.errOut.String(), "line=4") {
		t.Errorf("a good row was reported as bad:\n%s", te.errOut.String())
	}
	count := func() (n int) {
		conn := openDB(t, db)
		defer conn.Close()
		queryRow(t, conn, `SELECT count(*) FROM postings`, &n)
		return n
	}
	// Two good JSON rows and one good CSV row.
	got := count()
	if got != 3 {
		t.Fatalf("imported %d postings, want the 3 good rows", got)
	}
	if code := te.run(t.Context(), "import", "--db", db, "a.jsonl"); code != exitPartial {
		t.Fatalf("re-import exited %d; stderr:\n%s", code, te.errOut.String())
	}
	if again := count(); again != got {
		t.Errorf("re-import changed the count from %d to %d", got, again)
	}
}
