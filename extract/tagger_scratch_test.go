package extract

import (
	"strings"
	"testing"

	"github.com/skilltrend/skilltrend"
)

// TestExtractOwnsItsText checks that a result shares no memory with the
// buffer Extract assembles the text in: after tagging other postings (which
// reuse that buffer), every match still spells its place in Text(p),
// including a match that runs across the newline after the title.
func TestExtractOwnsItsText(t *testing.T) {
	tg := defaultTagger(t)
	p := skilltrend.Posting{Title: "Senior Engineer, SQL", Description: "Server and PostgreSQL, Go, Kafka, Kubernetes on AWS."}
	got := tg.Extract(p)
	for range 50 {
		tg.Extract(skilltrend.Posting{Title: strings.Repeat("x", 20), Description: strings.Repeat("Rust, Java and Python. ", 20)})
	}
	text := Text(p)
	across := false
	for _, tag := range got.Tags {
		for _, m := range tag.Matches {
			if m.Text != text[m.Start:m.End] {
				t.Errorf("%s: match text %q, want %q", tag.SkillID, m.Text, text[m.Start:m.End])
			}
			across = across || (m.Start < len(p.Title) && m.End > len(p.Title))
		}
	}
	if !across {
		t.Errorf("no match across the title's end in %+v; the case is not covered", got.Tags)
	}
}
