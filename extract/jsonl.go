package extract

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/skilltrend/skilltrend"
)

// TagInput is one line read by `skilltrend tag --jsonl`.
type TagInput struct {
	ID    json.RawMessage `json:"id"`
	Title string          `json:"title,omitempty"`
	Text  string          `json:"text"`
}

// TagLine is one line written by `skilltrend tag --jsonl`. Match offsets
// refer to the title, a newline, then the text (see Text).
type TagLine struct {
	ID        json.RawMessage      `json:"id"`
	Skills    []TagSkill           `json:"skills"`
	Role      skilltrend.Role      `json:"role"`
	Seniority skilltrend.Seniority `json:"seniority"`
	WorkMode  skilltrend.WorkMode  `json:"work_mode"`
	Salary    *skilltrend.Salary   `json:"salary"`
}

// TagSkill is one skill of a TagLine.
type TagSkill struct {
	ID       string              `json:"id"`
	Name     string              `json:"name"`
	Category skilltrend.Category `json:"category"`
	Required bool                `json:"required"`
	Matches  []skilltrend.Match  `json:"matches"`
}

// Line tags one input and shapes the result as a TagLine.
func (tg *Tagger) Line(in TagInput) TagLine {
	ex := tg.Extract(skilltrend.Posting{Title: in.Title, Description: in.Text})
	out := TagLine{ID: in.ID, Skills: []TagSkill{}, Role: ex.Role, Seniority: ex.Seniority, WorkMode: ex.WorkMode, Salary: ex.Salary}
	for _, t := range ex.Tags {
		s, _ := tg.tax.Skill(t.SkillID)
		out.Skills = append(out.Skills, TagSkill{ID: s.ID, Name: s.Name, Category: s.Category, Required: t.Required, Matches: t.Matches})
	}
	return out
}

// maxLine bounds one input line (a posting with its HTML stripped is far
// smaller).
const maxLine = 16 << 20

// TagJSONL reads one TagInput per line from r and writes one TagLine per line
// to w, in input order. Blank lines are skipped. A line that is not a JSON
// object with an id fails the whole call with an error naming the line.
func TagJSONL(ctx context.Context, r io.Reader, w io.Writer, tg *Tagger) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	line := 0
	for sc.Scan() {
		line++
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("tag jsonl: %w", err)
		}
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		var in TagInput
		dec := json.NewDecoder(bytes.NewReader(raw))
		if err := dec.Decode(&in); err != nil {
			return fmt.Errorf("tag jsonl: line %d: %w", line, err)
		}
		if dec.More() {
			return fmt.Errorf("tag jsonl: line %d: more than one JSON value", line)
		}
		if len(in.ID) == 0 || string(in.ID) == "null" {
			return fmt.Errorf("tag jsonl: line %d: missing id", line)
		}
		if err := enc.Encode(tg.Line(in)); err != nil {
			return fmt.Errorf("tag jsonl: line %d: %w", line, err)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return fmt.Errorf("tag jsonl: line %d: longer than %d bytes: %w", line+1, maxLine, err)
		}
		return fmt.Errorf("tag jsonl: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("tag jsonl: %w", err)
	}
	return nil
}
