package extract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skilltrend/skilltrend"
)

func TestZZDump(t *testing.T) {
	out := os.Getenv("ZZDUMP")
	if out == "" {
		t.Skip()
	}
	tg := defaultTagger(t)
	var ps []skilltrend.Posting
	for _, g := range loadGold(t) {
		ps = append(ps, g.posting)
	}
	data, err := os.ReadFile(filepath.Join(sharedData(t, "hn-2026"), "runs_2026-02-01_raw.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Jobs []struct {
			Text string `json:"text"`
		} `json:"jobs"`
	}
	json.Unmarshal(data, &doc)
	for _, j := range doc.Jobs {
		ps = append(ps, skilltrend.Posting{Description: hnText(j.Text)})
	}
	// random texts from gold vocabulary
	var vocab []string
	for _, g := range loadGold(t) {
		vocab = append(vocab, strings.FieldsFunc(g.posting.Description, func(r rune) bool { return r == ' ' })...)
	}
	seps := []string{" ", "  ", "\n", ", ", "/", "-", ".", "(", ")", "\t", "", "$", "€", "—", "+", "#", ": ", " - ", "\xc2\xa0", "\x80"}
	r := rand.New(rand.NewPCG(1, 2))
	for k := 0; k < 20000; k++ {
		var b strings.Builder
		n := 1 + r.IntN(60)
		for w := 0; w < n; w++ {
			word := vocab[r.IntN(len(vocab))]
			switch r.IntN(6) {
			case 0:
				word = strings.ToUpper(word)
			case 1:
				word = strings.ToLower(word)
			}
			if r.IntN(10) == 0 {
				word = fmt.Sprint(r.IntN(200000))
			}
			b.WriteString(word)
			b.WriteString(seps[r.IntN(len(seps))])
		}
		title := ""
		if r.IntN(2) == 0 {
			title = vocab[r.IntN(len(vocab))]
		}
		ps = append(ps, skilltrend.Posting{Title: title, Description: b.String()})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, p := range ps {
		enc.Encode(tg.Extract(p))
		text := Text(p)
		var rej []string
		hits := tg.m.scan(text, nil, func(s, e int, en *entry) { rej = append(rej, fmt.Sprint(s, e, en.text)) })
		enc.Encode(hits)
		enc.Encode(rej)
	}
	for _, p := range ps[:200] {
		Explain(&buf, tg, Text(p))
	}
	os.WriteFile(out, buf.Bytes(), 0o644)
}
