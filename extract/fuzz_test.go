package extract

import (
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/skilltrend/skilltrend"
)

// FuzzExtract checks that tagging never panics, that every match lies on
// UTF-8 boundaries of valid input and spells what the offsets cover, and
// that a posting's result does not depend on what was tagged before it.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"Go, C/C++, R&D, Series C, Objective-C", "—Go— «Rust» Node.js/Express", "$120k-$150k €60,000 - 80,000 per year $70/hr",
		"Nice to have:\n- Kafka\n", "ASP.NET\u00a0Core, C#, F#", "\xff\xfeGo\x80", "Spring 2026 \u2013 Spring Boot",
	} {
		f.Add("Senior Engineer", s)
	}
	tg := defaultTagger(f)
	other := skilltrend.Posting{Title: "Backend (Go)", Description: "Java, JavaScript, Postgres. Bonus: Kafka. Remote. $100k."}
	f.Fuzz(func(t *testing.T, title, desc string) {
		p := skilltrend.Posting{Title: title, Description: desc}
		first := tg.Extract(p)
		text := Text(p)
		valid := utf8.ValidString(text)
		for _, tag := range first.Tags {
			for _, m := range tag.Matches {
				if m.Start < 0 || m.End > len(text) || m.Start >= m.End || text[m.Start:m.End] != m.Text {
					t.Fatalf("%s: bad match %+v", tag.SkillID, m)
				}
				if valid && (!utf8.RuneStart(text[m.Start]) || (m.End < len(text) && !utf8.RuneStart(text[m.End]))) {
					t.Fatalf("%s: match %+v not on rune boundaries", tag.SkillID, m)
				}
			}
		}
		// Order independence: tag another posting in between and again.
		tg.Extract(other)
		if again := tg.Extract(p); !reflect.DeepEqual(first, again) {
			t.Fatalf("result changed after tagging another posting:\n%+v\n%+v", first, again)
		}
	})
}
