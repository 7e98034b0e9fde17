package main

import (
	"bufio"
	"encoding/json"
	"strings"
	"testing"
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
