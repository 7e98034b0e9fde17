package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
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

// TestNothingNewLeavesThePublishedFileAlone re-imports a file that loaded
// cleanly and re-runs extract with nothing to tag: both skip the copy and
// the publish (the published file stays the same file), and a new file is
// loaded and tagged as usual.
func TestNothingNewLeavesThePublishedFileAlone(t *testing.T) {
	dir := chdir(t)
	write := func(name string, ids ...int) {
		var b strings.Builder
		for _, id := range ids {
			b.WriteString(`{"source":"board","source_id":"` + strconv.Itoa(id) + `","title":"Backend Engineer","description":"Go and PostgreSQL on Kubernetes."}` + "\n")
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("one.jsonl", 1, 2, 3)
	te := newTestEnv(t)
	db := filepath.Join(dir, "n.duckdb")
	step := func(args ...string) os.FileInfo {
		t.Helper()
		if code := te.run(t.Context(), args...); code != exitOK {
			t.Fatalf("%q exited %d: %s", args, code, te.errOut.String())
		}
		fi, err := os.Stat(db)
		if err != nil {
			t.Fatal(err)
		}
		return fi
	}
	step("import", "--db", db, "one.jsonl")
	tagged := step("extract", "--db", db)
	if again := step("import", "--verbose", "--db", db, "one.jsonl"); !os.SameFile(tagged, again) {
		t.Error("re-importing an unchanged file republished the database")
	}
	const byStat = "same path, size and modification time"
	if !strings.Contains(te.errOut.String(), byStat) {
		t.Errorf("an untouched file was not recognised by its stat: %s", te.errOut.String())
	}
	// Touched but with the same content: hashed, and still nothing to do.
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(filepath.Join(dir, "one.jsonl"), later, later); err != nil {
		t.Fatal(err)
	}
	if again := step("import", "--verbose", "--db", db, "one.jsonl"); !os.SameFile(tagged, again) {
		t.Error("re-importing a touched but unchanged file republished the database")
	}
	if strings.Contains(te.errOut.String(), byStat) {
		t.Error("a touched file was taken as unchanged by its stat")
	}
	if again := step("extract", "--db", db); !os.SameFile(tagged, again) {
		t.Error("extract with nothing to tag republished the database")
	}
	write("two.jsonl", 4, 5)
	if grown := step("import", "--db", db, "two.jsonl"); os.SameFile(tagged, grown) {
		t.Error("importing new postings did not publish")
	}
	step("extract", "--db", db)
	conn := openDB(t, db)
	defer conn.Close()
	var postings, tagged2 int
	queryRow(t, conn, `SELECT (SELECT count(*) FROM postings), (SELECT count(*) FROM extractions)`, &postings, &tagged2)
	if postings != 5 || tagged2 != 5 {
		t.Errorf("%d postings, %d tagged; want 5 and 5", postings, tagged2)
	}
}

// TestImportTagsAsExtractWould imports a synthetic corpus, which tags every
// new posting as it loads: extract then has nothing left to tag, and
// re-tagging everything with extract --all stores the same tags and facts.
func TestImportTagsAsExtractWould(t *testing.T) {
	dir := chdir(t)
	te := newTestEnv(t)
	if code := te.run(t.Context(), "synth", "--postings", "600", "--out", "c.jsonl"); code != exitOK {
		t.Fatalf("synth exit %d: %s", code, te.errOut.String())
	}
	db := filepath.Join(dir, "t.duckdb")
	if code := te.run(t.Context(), "import", "--verbose", "--db", db, "c.jsonl"); code != exitOK {
		t.Fatalf("import exit %d: %s", code, te.errOut.String())
	}
	if !strings.Contains(te.errOut.String(), "tagged=600") {
		t.Errorf("import does not report 600 postings tagged:\n%s", te.errOut.String())
	}
	// Every tag and fact extract stores, in one string.
	stored := func() (tags, facts string, postings, extracted int) {
		conn := openDB(t, db)
		defer conn.Close()
		queryRow(t, conn, `SELECT string_agg(posting_id || ' ' || skill_id || ' ' || required || ' ' || matches || ' ' || taxonomy_version,
			',' ORDER BY posting_id, skill_id) FROM posting_skills`, &tags)
		queryRow(t, conn, `SELECT string_agg(concat_ws(' ', posting_id, taxonomy_version, role, seniority, work_mode,
			salary_min, salary_max, salary_currency), ',' ORDER BY posting_id) FROM extractions`, &facts)
		queryRow(t, conn, `SELECT (SELECT count(*) FROM postings), (SELECT count(*) FROM extractions)`, &postings, &extracted)
		return tags, facts, postings, extracted
	}
	tags, facts, postings, extracted := stored()
	if postings != 600 || extracted != 600 || tags == "" {
		t.Fatalf("after import: %d postings, %d extractions, tags %.60q; want 600 of each", postings, extracted, tags)
	}
	if code := te.run(t.Context(), "extract", "--verbose", "--db", db); code != exitOK {
		t.Fatalf("extract exit %d: %s", code, te.errOut.String())
	}
	if !strings.Contains(te.errOut.String(), "postings=0") {
		t.Errorf("extract after import tagged postings again:\n%s", te.errOut.String())
	}
	if code := te.run(t.Context(), "extract", "--all", "--db", db); code != exitOK {
		t.Fatalf("extract --all exit %d: %s", code, te.errOut.String())
	}
	retags, refacts, _, _ := stored()
	if retags != tags {
		t.Errorf("extract --all changed the tags import stored")
	}
	if refacts != facts {
		t.Errorf("extract --all changed the facts import stored")
	}
}
