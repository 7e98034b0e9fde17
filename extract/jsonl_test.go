package extract

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestTagJSONL(t *testing.T) {
	in := `{"id":"a1","title":"Senior Go Engineer","text":"Go, Postgres and k8s. Nice to have: Kafka. $150k-$180k, remote."}

{"id":7,"text":"Flask and a lab flask."}
`
	var out bytes.Buffer
	if err := TagJSONL(context.Background(), strings.NewReader(in), &out, defaultTagger(t)); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d output lines, want 2:\n%s", len(lines), out.String())
	}
	var first TagLine
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if string(first.ID) != `"a1"` || first.Role != "backend" || first.Seniority != "senior" || first.WorkMode != "remote" {
		t.Errorf("first line %s", lines[0])
	}
	if first.Salary == nil || first.Salary.Min != 150000 || first.Salary.Max != 180000 || first.Salary.Currency != "USD" {
		t.Errorf("salary %+v", first.Salary)
	}
	var ids []string
	for _, s := range first.Skills {
		ids = append(ids, s.ID)
		if s.ID == "kafka" && s.Required {
			t.Error("kafka should be nice to have")
		}
		if s.ID == "go" && (s.Name != "Go" || s.Category != "language" || !s.Required || len(s.Matches) != 2) {
			t.Errorf("go skill %+v", s)
		}
	}
	if got := strings.Join(ids, " "); got != "go kafka kubernetes postgresql" {
		t.Errorf("skills %q", got)
	}
	// The contract's field names, in one line.
	for _, key := range []string{`"id":`, `"skills":`, `"name":`, `"category":`, `"required":`, `"matches":`, `"start":`, `"end":`, `"text":`, `"role":`, `"seniority":`, `"work_mode":`, `"salary":`} {
		if !strings.Contains(lines[0], key) {
			t.Errorf("output lacks %s: %s", key, lines[0])
		}
	}
	if !strings.HasPrefix(lines[1], `{"id":7,"skills":[{"id":"flask"`) || strings.Count(lines[1], `"start"`) != 1 {
		t.Errorf("second line %s", lines[1])
	}
}

func TestTagJSONLErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"not json", "{\"id\":1,\"text\":\"Go\"}\nnot json\n", "line 2"},
		{"no id", "{\"text\":\"Go\"}\n", "line 1: missing id"},
		{"two values", "{\"id\":1,\"text\":\"a\"} {\"id\":2}\n", "line 1: more than one"},
		{"wrong type", "\n\n{\"id\":1,\"text\":5}\n", "line 3"},
	}
	tg := defaultTagger(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := TagJSONL(context.Background(), strings.NewReader(tt.in), &bytes.Buffer{}, tg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

func TestTagJSONLCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := TagJSONL(ctx, strings.NewReader(`{"id":1,"text":"Go"}`+"\n"), &bytes.Buffer{}, defaultTagger(t))
	if err == nil || !strings.Contains(err.Error(), "canceled") {
		t.Errorf("error %v, want context canceled", err)
	}
}
