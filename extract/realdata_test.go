package extract

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/skilltrend/skilltrend"
	"github.com/skilltrend/skilltrend/internal/shareddata"
)

// sharedData returns ../shared/data/sub beside the module root, or skips.
func sharedData(t testing.TB, sub string) string {
	return shareddata.Dir(t, sub)
}

var (
	htmlTag   = regexp.MustCompile(`<[^>]*>`)
	htmlBreak = regexp.MustCompile(`(?i)<\s*(p|br|li|div)[^>]*>`)
)

// hnText turns an HN comment's HTML into the clean text the crawler stores.
func hnText(s string) string {
	s = htmlBreak.ReplaceAllString(s, "\n\n")
	return html.UnescapeString(htmlTag.ReplaceAllString(s, ""))
}

// hn2011Terms maps hnhiringtrends terms to the skill with the same meaning.
var hn2011Terms = map[string]string{
	".NET": "dotnet", "AWS": "aws", "C": "c", "C++": "cpp", "C#": "csharp", "Cassandra": "cassandra",
	"Django": "django", "Git": "git", "GitHub": "github", "golang": "go", "Java": "java",
	"JavaScript": "javascript", "linux": "linux", "Mongodb": "mongodb", "MySQL": "mysql",
	"node.js": "nodejs", "Oracle": "oracle", "PHP": "php", "Postgresql": "postgresql",
	"Python": "python", "RabbitMQ": "rabbitmq", "Rails": "rails", "Redis": "redis", "REST": "rest",
	"Ruby": "ruby", "Scala": "scala", "Spring": "spring", "SQL Server": "sqlserver", "Symfony": "symfony",
	"Perl": "perl", "Erlang": "erlang", "Clojure": "clojure", "Groovy": "groovy", "CoffeeScript": "coffeescript",
	"jQuery": "jquery", "Heroku": "heroku", "nginx": "nginx", "memcached": "memcached", "Selenium": "selenium",
	"Hadoop": "hadoop", "Chef": "chef", "Celery": "celery", "Erlang ": "erlang",
}

// hn2011Explained are the terms whose count differs from hnhiringtrends by
// more than 2 postings, each explained in docs/accuracy.md.
var hn2011Explained = map[string]bool{
	".NET": true, "AWS": true, "JavaScript": true, "linux": true, "MySQL": true, "PHP": true,
}

// TestHNApril2011 tags the 219 top-level postings of "Ask HN: Who is hiring?
// (April 2011)" and compares the number of postings per skill with the
// counts hnhiringtrends published for the same thread.
func TestHNApril2011(t *testing.T) {
	item := filepath.Join(sharedData(t, "hn-algolia"), "item-2396027-who-is-hiring-2011-04.json")
	data, err := os.ReadFile(item)
	if err != nil {
		t.Fatal(err)
	}
	var thread struct {
		Children []struct {
			ID   int    `json:"id"`
			Text string `json:"text"`
		} `json:"children"`
	}
	if err := json.Unmarshal(data, &thread); err != nil {
		t.Fatal(err)
	}
	published := map[string]int{}
	f, err := os.Open(filepath.Join(sharedData(t, "hnhiringtrends"), "hn_term_share_monthly.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows[1:] {
		if r[1] == "2011-04" {
			n, _ := strconv.Atoi(r[6])
			published[r[4]] = n
		}
	}
	tg := defaultTagger(t)
	ours := map[string]int{}
	posts := 0
	for _, c := range thread.Children {
		if strings.TrimSpace(c.Text) == "" {
			continue
		}
		posts++
		ex := tg.Extract(skilltrend.Posting{Source: "hn", SourceID: strconv.Itoa(c.ID), Description: hnText(c.Text)})
		for _, tag := range ex.Tags {
			ours[tag.SkillID]++
		}
	}
	terms := make([]string, 0, len(hn2011Terms))
	for term := range hn2011Terms {
		if _, ok := published[term]; ok {
			terms = append(terms, term)
		}
	}
	sort.Slice(terms, func(i, j int) bool { return strings.ToLower(terms[i]) < strings.ToLower(terms[j]) })
	var b strings.Builder
	fmt.Fprintf(&b, "%d top-level postings with text\n\n| term | skill | hnhiringtrends | skilltrend | difference |\n|---|---|---:|---:|---:|\n", posts)
	for _, term := range terms {
		id := hn2011Terms[term]
		d := ours[id] - published[term]
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %+d |\n", term, id, published[term], ours[id], d)
		if (d > 2 || d < -2) && !hn2011Explained[term] {
			t.Errorf("%s: %d postings, hnhiringtrends %d: difference not explained in docs/accuracy.md", term, ours[id], published[term])
		}
	}
	t.Log("\n" + b.String())
}

// TestSkillSpanRecall measures, on the hand-labelled SkillSpan tech postings,
// how many Knowledge spans that name a taxonomy skill the tagger finds in
// context.
func TestSkillSpanRecall(t *testing.T) {
	dir := sharedData(t, "skillspan-tech")
	tax, err := DefaultTaxonomy()
	if err != nil {
		t.Fatal(err)
	}
	tg := NewTagger(tax)
	// Every spelling of every skill (aliases and rule spellings; display names
	// are not spellings), lower-cased: a span names a skill when it is exactly
	// one of them.
	names := map[string]string{}
	for _, s := range tax.skills {
		for _, a := range s.aliases {
			names[strings.ToLower(a.Text)] = s.ID
		}
	}
	var total, found, spans int
	missed := map[string]int{}
	perSkill := map[string]*[2]int{}
	for _, file := range []string{"skillspan_tech_train.conll", "skillspan_tech_dev.conll"} {
		data, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		for _, sent := range strings.Split(string(data), "\n\n") {
			var text strings.Builder
			type kspan struct{ start, end int }
			var ks []kspan
			open := -1
			for _, line := range strings.Split(sent, "\n") {
				cols := strings.Split(line, "\t")
				if len(cols) < 3 {
					continue
				}
				tag := cols[2]
				if open >= 0 && !strings.HasPrefix(tag, "I") {
					ks = append(ks, kspan{open, text.Len()})
					open = -1
				}
				if text.Len() > 0 {
					text.WriteByte(' ')
				}
				if strings.HasPrefix(tag, "B") {
					open = text.Len()
				}
				text.WriteString(cols[0])
			}
			if open >= 0 {
				ks = append(ks, kspan{open, text.Len()})
			}
			s := text.String()
			if len(ks) == 0 {
				continue
			}
			spans += len(ks)
			ex := tg.Extract(skilltrend.Posting{Description: s})
			for _, k := range ks {
				// Offsets in Text are shifted by the empty title's newline.
				id, ok := names[strings.ToLower(s[k.start:k.end])]
				if !ok {
					continue
				}
				total++
				c := perSkill[id]
				if c == nil {
					c = &[2]int{}
					perSkill[id] = c
				}
				c[1]++
				hit := slices.ContainsFunc(ex.Tags, func(tag skilltrend.Tag) bool {
					return tag.SkillID == id && slices.ContainsFunc(tag.Matches, func(m skilltrend.Match) bool {
						return m.Start-1 < k.end && k.start < m.End-1
					})
				})
				if hit {
					found++
					c[0]++
				} else {
					missed[s[k.start:k.end]]++
					t.Logf("missed %s in: %s", id, s)
				}
			}
		}
	}
	recall := float64(found) / float64(max(1, total))
	checkEvaluation(t, func(ev *Evaluation) {
		ev.SkillSpan.Spans = total
		ev.SkillSpan.Found = found
		ev.SkillSpan.Recall = recall
	})
	var b strings.Builder
	fmt.Fprintf(&b, "%d Knowledge spans, %d name a taxonomy skill; found in context: %d (recall %.3f)\n", spans, total, found, recall)
	ids := make([]string, 0, len(perSkill))
	for id := range perSkill {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		return perSkill[ids[i]][1] > perSkill[ids[j]][1] || perSkill[ids[i]][1] == perSkill[ids[j]][1] && ids[i] < ids[j]
	})
	fmt.Fprintf(&b, "\n| skill | spans | found |\n|---|---:|---:|\n")
	for _, id := range ids {
		fmt.Fprintf(&b, "| %s | %d | %d |\n", id, perSkill[id][1], perSkill[id][0])
	}
	fmt.Fprintf(&b, "\nmissed spellings: %v\n", missed)
	t.Log("\n" + b.String())
	if recall < 0.9 {
		t.Errorf("SkillSpan recall %.3f < 0.90", recall)
	}
}

// TestCandidatesHN2026 lists the frequent tech-looking terms of the 2026 HN
// postings that the taxonomy does not know, and checks that none of them is
// in fact a skill spelling.
func TestCandidatesHN2026(t *testing.T) {
	dir := sharedData(t, "hn-2026")
	files, err := filepath.Glob(filepath.Join(dir, "runs_*_raw.json"))
	if err != nil || len(files) == 0 {
		t.Skipf("no raw HN 2026 files in %s", dir)
	}
	seen := map[int]bool{}
	var texts []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Jobs []struct {
				ID   int    `json:"id"`
				Text string `json:"text"`
			} `json:"jobs"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		for _, j := range doc.Jobs {
			if !seen[j.ID] {
				seen[j.ID] = true
				texts = append(texts, hnText(j.Text))
			}
		}
	}
	tax, err := DefaultTaxonomy()
	if err != nil {
		t.Fatal(err)
	}
	cands := Candidates(slices.Values(texts), tax, 15)
	tg := NewTagger(tax)
	var b strings.Builder
	fmt.Fprintf(&b, "%d postings; candidates named by at least 15:\n", len(texts))
	for _, c := range cands {
		fmt.Fprintf(&b, "%s (%d)  ", c.Term, c.Postings)
		if ex := tg.Extract(skilltrend.Posting{Description: c.Term}); len(ex.Tags) > 0 {
			t.Errorf("candidate %q is a spelling of %s", c.Term, ex.Tags[0].SkillID)
		}
	}
	t.Log(b.String())
}

// TestHN2026Agreement compares the tagger with the LLM-made labels that ship
// with the 2026 HN postings (approximate, not hand-checked): work mode,
// seniority, salary presence and the technologies that map to one skill.
// The labels list a posting's main technologies only, so only recall
// against them means something.
func TestHN2026Agreement(t *testing.T) {
	dir := sharedData(t, "hn-2026")
	raws, _ := filepath.Glob(filepath.Join(dir, "runs_*_raw.json"))
	if len(raws) == 0 {
		t.Skipf("no raw HN 2026 files in %s", dir)
	}
	type label struct {
		Technologies []string `json:"technologies"`
		Level        string   `json:"experience_level"`
		Remote       string   `json:"remote"`
		Salary       bool     `json:"salary_mentioned"`
	}
	texts, labels := map[int]string{}, map[int]label{}
	for _, raw := range raws {
		var rd struct {
			Jobs []struct {
				ID   int    `json:"id"`
				Text string `json:"text"`
			} `json:"jobs"`
		}
		var cd struct {
			Jobs []struct {
				ID int `json:"id"`
				label
			} `json:"jobs"`
		}
		for file, v := range map[string]any{raw: &rd, strings.Replace(raw, "_raw", "_classified", 1): &cd} {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, v); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
		}
		for _, j := range rd.Jobs {
			texts[j.ID] = hnText(j.Text)
		}
		for _, j := range cd.Jobs {
			labels[j.ID] = j.label
		}
	}
	tax, err := DefaultTaxonomy()
	if err != nil {
		t.Fatal(err)
	}
	tg := NewTagger(tax)
	spelling := map[string]string{}
	for _, s := range tax.skills {
		spelling[strings.ToLower(s.Name)] = s.ID
		for _, a := range s.aliases {
			spelling[strings.ToLower(a.Text)] = s.ID
		}
	}
	mode := map[string]skilltrend.WorkMode{"fully_remote": "remote", "onsite_only": "onsite", "hybrid": "hybrid", "not_mentioned": "unknown"}
	level := map[string]skilltrend.Seniority{"Senior": "senior", "Mid": "mid", "Junior": "junior", "Not specified": "unknown"}
	var n, modeOK, levelOK, salaryOK int
	tech := map[string]*prf{}
	confusion := map[string]int{}
	for id, text := range texts {
		l, ok := labels[id]
		if !ok {
			continue
		}
		n++
		ex := tg.Extract(skilltrend.Posting{Source: "hn", SourceID: strconv.Itoa(id), Description: text})
		if mode[l.Remote] == ex.WorkMode {
			modeOK++
		}
		s := ex.Seniority
		if s == skilltrend.SeniorityStaff || s == skilltrend.SeniorityLead {
			s = skilltrend.SenioritySenior // the labels have no level above senior
		}
		if level[l.Level] == s {
			levelOK++
		}
		confusion[string(level[l.Level])+" -> "+string(s)]++
		if l.Salary == (ex.Salary != nil) {
			salaryOK++
		}
		want := map[string]bool{}
		for _, name := range l.Technologies {
			if sid, ok := spelling[strings.ToLower(name)]; ok {
				want[sid] = true
			}
		}
		got := map[string]bool{}
		for _, tag := range ex.Tags {
			got[tag.SkillID] = true
		}
		for sid := range want {
			if tech[sid] == nil {
				tech[sid] = &prf{}
			}
			if got[sid] {
				tech[sid].tp++
			} else {
				tech[sid].fn++
			}
		}
	}
	if n == 0 {
		t.Skip("no labelled postings")
	}
	var b strings.Builder
	pct := func(k int) float64 { return float64(k) / float64(n) }
	fmt.Fprintf(&b, "%d postings: work mode agrees on %.3f, seniority on %.3f, salary present/absent on %.3f\n", n, pct(modeOK), pct(levelOK), pct(salaryOK))
	fmt.Fprintf(&b, "seniority, label -> tagger: %v\n\n", confusion)
	ids := make([]string, 0, len(tech))
	for sid, c := range tech {
		if c.tp+c.fn >= 20 {
			ids = append(ids, sid)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return tech[ids[i]].tp+tech[ids[i]].fn > tech[ids[j]].tp+tech[ids[j]].fn })
	fmt.Fprintf(&b, "| skill | LLM labels | both | only LLM | recall vs LLM |\n|---|---:|---:|---:|---:|\n")
	var all prf
	for _, sid := range ids {
		c := tech[sid]
		all.tp += c.tp
		all.fn += c.fn
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %.3f |\n", sid, c.tp+c.fn, c.tp, c.fn, c.recall())
	}
	fmt.Fprintf(&b, "| **all above** | %d | %d | %d | **%.3f** |\n", all.tp+all.fn, all.tp, all.fn, all.recall())
	t.Log("\n" + b.String())
	if pct(modeOK) < 0.6 || all.recall() < 0.8 {
		t.Errorf("agreement with the LLM labels collapsed: work mode %.3f, technology recall %.3f", pct(modeOK), all.recall())
	}
}
