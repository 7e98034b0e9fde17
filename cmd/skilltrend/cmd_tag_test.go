package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skilltrend/skilltrend/extract"
)

func TestTagJSONLContract(t *testing.T) {
	chdir(t)
	te := newTestEnv(t)
	te.stdin = strings.NewReader(`{"id":"a","title":"Senior Backend Engineer","text":"We build Golang services on k8s. Nice to have: Rust."}` + "\n" +
		`{"id":"b","text":"Go above and beyond at our Series C company."}` + "\n")
	if code := te.run(t.Context(), "tag", "--jsonl", "-"); code != exitOK {
		t.Fatalf("exit %d: %s", code, te.errOut.String())
	}
	type line struct {
		ID     string `json:"id"`
		Skills []struct {
			ID       string `json:"id"`
			Name     string `json:"name"`
			Category string `json:"category"`
			Required bool   `json:"required"`
			Matches  []struct {
				Start, End int
				Text       string
			} `json:"matches"`
		} `json:"skills"`
		Role      string          `json:"role"`
		Seniority string          `json:"seniority"`
		WorkMode  string          `json:"work_mode"`
		Salary    json.RawMessage `json:"salary"`
	}
	var lines []line
	sc := bufio.NewScanner(&te.out)
	for sc.Scan() {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("output line %q: %v", sc.Text(), err)
		}
		lines = append(lines, l)
	}
	if len(lines) != 2 {
		t.Fatalf("got %d output lines, want 2", len(lines))
	}
	got := map[string]bool{}
	for _, s := range lines[0].Skills {
		got[s.ID] = s.Required
		if len(s.Matches) == 0 || s.Name == "" || s.Category == "" {
			t.Errorf("skill %+v lacks matches, name or category", s)
		}
	}
	if req, ok := got["go"]; !ok || !req {
		t.Errorf("posting a: go missing or not required: %v", got)
	}
	if req, ok := got["kubernetes"]; !ok || !req {
		t.Errorf("posting a: kubernetes missing or not required: %v", got)
	}
	if req, ok := got["rust"]; !ok || req {
		t.Errorf("posting a: rust should be nice-to-have: %v", got)
	}
	if lines[0].Seniority != "senior" || lines[0].Role != "backend" {
		t.Errorf("posting a: role %q seniority %q", lines[0].Role, lines[0].Seniority)
	}
	for _, s := range lines[1].Skills {
		if s.ID == "go" || s.ID == "c" {
			t.Errorf("posting b: %q tagged in %q", s.ID, "Go above and beyond ... Series C")
		}
	}
}

func TestTagBadJSONLNamesTheLine(t *testing.T) {
	chdir(t)
	te := newTestEnv(t)
	te.stdin = strings.NewReader(`{"id":"a","text":"Go"}` + "\n" + `{"id":` + "\n")
	if code := te.run(t.Context(), "tag", "--jsonl"); code == exitOK {
		t.Fatal("bad input accepted")
	}
	if !strings.Contains(te.errOut.String(), "line 2") {
		t.Errorf("error does not name line 2: %s", te.errOut.String())
	}
}

func TestTaxonomyListsRequiredIDs(t *testing.T) {
	chdir(t)
	te := newTestEnv(t)
	if code := te.run(t.Context(), "taxonomy", "--json"); code != exitOK {
		t.Fatalf("exit %d: %s", code, te.errOut.String())
	}
	var out struct {
		Version string
		Skills  []struct{ ID, Name, Category string }
	}
	if err := json.Unmarshal(te.out.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Skills) < 250 || out.Version == "" {
		t.Fatalf("%d skills, version %q", len(out.Skills), out.Version)
	}
	ids := map[string]string{}
	for _, s := range out.Skills {
		ids[s.ID] = s.Category
	}
	for id, cat := range map[string]string{"go": "language", "dotnet": "framework", "sqlserver": "database", "grpc": "api",
		"gcp": "cloud", "cicd": "devops", "rabbitmq": "messaging", "gitlab": "vcs", "owasp": "security", "edge-computing": "practice"} {
		if ids[id] != cat {
			t.Errorf("skill %s: category %q, want %q", id, ids[id], cat)
		}
	}
}

// TestConfigTaxonomyReplacesBuiltIn names a taxonomy file in the config:
// tag and extract use it instead of the built-in one, every stored tag
// carries its version, and extracting again without it re-tags the stored
// postings with the built-in taxonomy. A missing or invalid file is a
// usage error that names it.
func TestConfigTaxonomyReplacesBuiltIn(t *testing.T) {
	dir := chdir(t)
	custom := "skills:\n" +
		"- {id: zig, name: Zig, category: language, aliases: [zig, ziglang]}\n" +
		"- {id: htmx, name: htmx, category: framework, aliases: [htmx]}\n"
	write := func(name, content string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("custom.yaml", custom)
	cfg := write("cfg.yaml", "taxonomy: custom.yaml\nsources:\n  - {name: hn, type: hn}\n")
	tax, err := extract.ParseTaxonomy([]byte(custom))
	if err != nil {
		t.Fatal(err)
	}
	builtin, err := extract.DefaultTaxonomy()
	if err != nil {
		t.Fatal(err)
	}

	te := newTestEnv(t)
	te.stdin = strings.NewReader(`{"id":"a","text":"Zig and Go services, htmx on the front, Python scripts."}` + "\n")
	if code := te.run(t.Context(), "tag", "--config", cfg, "--jsonl", "-"); code != exitOK {
		t.Fatalf("tag exited %d: %s", code, te.errOut.String())
	}
	var tagged struct {
		Skills []struct {
			ID string `json:"id"`
		} `json:"skills"`
	}
	if err := json.Unmarshal(te.out.Bytes(), &tagged); err != nil {
		t.Fatalf("tag output %q: %v", te.out.String(), err)
	}
	var ids []string
	for _, s := range tagged.Skills {
		ids = append(ids, s.ID)
	}
	if strings.Join(ids, ",") != "htmx,zig" {
		t.Errorf("tag with the custom taxonomy found %v, want [htmx zig]", ids)
	}

	write("posts.jsonl", `{"source":"board","source_id":"1","title":"Backend Engineer","description":"Zig, Go and htmx.","posted_at":"2026-03-02T00:00:00Z"}`+"\n"+
		`{"source":"board","source_id":"2","title":"Platform Engineer","description":"Go and Kubernetes.","posted_at":"2026-03-05T00:00:00Z"}`+"\n")
	db := filepath.Join(dir, "st.duckdb")
	if code := te.run(t.Context(), "import", "--db", db, "posts.jsonl"); code != exitOK {
		t.Fatalf("import exited %d: %s", code, te.errOut.String())
	}
	stored := func() (skills, versions string) {
		t.Helper()
		conn := openDB(t, db)
		defer conn.Close()
		queryRow(t, conn, `SELECT coalesce(string_agg(DISTINCT skill_id, ',' ORDER BY skill_id), '') FROM posting_skills`, &skills)
		queryRow(t, conn, `SELECT string_agg(DISTINCT taxonomy_version, ',') FROM extractions`, &versions)
		return skills, versions
	}
	if code := te.run(t.Context(), "extract", "--config", cfg, "--db", db); code != exitOK {
		t.Fatalf("extract with the custom taxonomy exited %d: %s", code, te.errOut.String())
	}
	if skills, versions := stored(); skills != "htmx,zig" || versions != tax.Version() {
		t.Errorf("custom taxonomy: stored skills %q and versions %q, want htmx,zig and %s", skills, versions, tax.Version())
	}
	if code := te.run(t.Context(), "extract", "--db", db); code != exitOK {
		t.Fatalf("extract with the built-in taxonomy exited %d: %s", code, te.errOut.String())
	}
	if skills, versions := stored(); !strings.Contains(skills, "go") || !strings.Contains(skills, "kubernetes") || versions != builtin.Version() {
		t.Errorf("built-in taxonomy: stored skills %q and versions %q, want go and kubernetes re-tagged under %s", skills, versions, builtin.Version())
	}

	write("bad.yaml", "skills:\n- {id: zig, name: Zig, category: systems, aliases: [zig]}\n")
	for name, want := range map[string][]string{
		"missing.yaml": {"taxonomy", "missing.yaml"},
		"bad.yaml":     {"taxonomy bad.yaml", "category", "systems"},
	} {
		cfg := write("cfg-"+name, "taxonomy: "+name+"\nsources:\n  - {name: hn, type: hn}\n")
		te.stdin = strings.NewReader("Zig\n")
		if code := te.run(t.Context(), "tag", "--config", cfg); code != exitUsage {
			t.Errorf("taxonomy %s: tag exited %d, want %d", name, code, exitUsage)
		}
		for _, w := range want {
			if !strings.Contains(te.errOut.String(), w) {
				t.Errorf("taxonomy %s: stderr does not mention %q:\n%s", name, w, te.errOut.String())
			}
		}
	}
}
