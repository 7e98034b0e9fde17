package crawler

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/skilltrend/skilltrend"
)

const hnDefaultBase = "https://hn.algolia.com"

// hnCompleteAfter is how long after a thread opens that it stops getting
// new postings; such a thread is fetched once and then never again.
const hnCompleteAfter = 40 * 24 * time.Hour

// hnThreadTitle matches the monthly threads: "Ask HN: Who is hiring? (April 2011)".
var hnThreadTitle = regexp.MustCompile(`(?i)^Ask HN: Who is hiring\? \(([A-Za-z]+) (\d{4})\)$`)

type hnSearchPage struct {
	Hits []struct {
		ObjectID  string `json:"objectID"`
		Title     string `json:"title"`
		CreatedAt string `json:"created_at"`
	} `json:"hits"`
	Page    int `json:"page"`
	NbPages int `json:"nbPages"`
}

type hnItem struct {
	ID        int64    `json:"id"`
	CreatedAt string   `json:"created_at"`
	Type      string   `json:"type"`
	Author    *string  `json:"author"`
	Title     *string  `json:"title"`
	Text      *string  `json:"text"`
	ParentID  *int64   `json:"parent_id"`
	Children  []hnItem `json:"children"`
}

// hnThread is one monthly "Who is hiring?" thread.
type hnThread struct {
	ID    string
	Month time.Time // first day of the month the title names
}

// hnThreads lists the monthly threads from the month since onwards, oldest
// first, by paging through search_by_date.
func (r *run) hnThreads(ctx context.Context, get func(ctx context.Context, url string, v any) error, base string, since time.Time) ([]hnThread, error) {
	var threads []hnThread
	seen := map[string]bool{}
	for page := 0; page < 100; page++ {
		q := url.Values{}
		q.Set("tags", "story,author_whoishiring")
		q.Set("hitsPerPage", "100")
		q.Set("page", strconv.Itoa(page))
		if !since.IsZero() {
			q.Set("numericFilters", "created_at_i>="+strconv.FormatInt(since.AddDate(0, 0, -7).Unix(), 10))
		}
		var sp hnSearchPage
		if err := get(ctx, base+"/api/v1/search_by_date?"+q.Encode(), &sp); err != nil {
			return nil, err
		}
		for _, h := range sp.Hits {
			month, ok := hnThreadMonth(h.Title)
			if !ok || month.Before(since) || seen[h.ObjectID] {
				continue
			}
			seen[h.ObjectID] = true
			threads = append(threads, hnThread{ID: h.ObjectID, Month: month})
		}
		if len(sp.Hits) == 0 || sp.Page+1 >= sp.NbPages {
			break
		}
	}
	slices.SortFunc(threads, func(a, b hnThread) int { return a.Month.Compare(b.Month) })
	return threads, nil
}

// hnThreadMonth parses the month out of a monthly thread's title.
func hnThreadMonth(title string) (time.Time, bool) {
	m := hnThreadTitle.FindStringSubmatch(strings.TrimSpace(title))
	if m == nil {
		return time.Time{}, false
	}
	t, err := time.Parse("January 2006", strings.ToUpper(m[1][:1])+strings.ToLower(m[1][1:])+" "+m[2])
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

func (r *run) hn(ctx context.Context) error {
	base := strings.TrimRight(r.src.BaseURL, "/")
	if base == "" {
		base = hnDefaultBase
	}
	var since time.Time
	if r.src.Since != "" {
		t, err := time.Parse("2006-01", r.src.Since)
		if err != nil {
			return fmt.Errorf("since %q: want YYYY-MM: %w", r.src.Since, err)
		}
		since = t
	}
	col := r.collector(ctx, false)
	col.AllowURLRevisit = true
	get := func(ctx context.Context, u string, v any) error {
		_, _, err := r.getJSON(ctx, col, u, false, v)
		return err
	}
	threads, err := r.hnThreads(ctx, get, base, since)
	if err != nil {
		return err
	}
	r.log.Info("hn threads", "count", len(threads))
	var failed []error
	for _, th := range threads {
		if err := ctx.Err(); err != nil {
			return err
		}
		key := "hn:thread:" + th.ID
		if done, err := r.stateDone(ctx, key); err != nil {
			return err
		} else if done {
			continue
		}
		var item hnItem
		if err := get(ctx, base+"/api/v1/items/"+url.PathEscape(th.ID), &item); err != nil {
			r.log.Warn("hn thread", "id", th.ID, "err", err)
			failed = append(failed, err)
			continue
		}
		for _, ch := range item.Children {
			p, ok := hnPosting(ch)
			if !ok {
				continue
			}
			if err := r.post(ctx, p, nil); err != nil {
				return err
			}
		}
		opened, _ := time.Parse(time.RFC3339, item.CreatedAt)
		if !opened.IsZero() && r.now.Sub(opened) > hnCompleteAfter && r.c.opts.State != nil {
			if err := r.c.opts.State.PutState(ctx, key, "complete"); err != nil {
				return fmt.Errorf("save crawl state: %w", err)
			}
		}
	}
	if len(failed) > 0 && len(failed) == len(threads) {
		return fmt.Errorf("every thread failed: %w", failed[0])
	}
	return nil
}

func (r *run) stateDone(ctx context.Context, key string) (bool, error) {
	if r.c.opts.State == nil {
		return false, nil
	}
	v, ok, err := r.c.opts.State.GetState(ctx, key)
	if err != nil {
		return false, fmt.Errorf("read crawl state: %w", err)
	}
	return ok && v == "complete", nil
}

// hnPosting maps one top-level comment to a posting; deleted, dead and empty
// comments give false.
func hnPosting(it hnItem) (skilltrend.Posting, bool) {
	if it.Type != "" && it.Type != "comment" {
		return skilltrend.Posting{}, false
	}
	if it.Text == nil || it.Author == nil || *it.Author == "" {
		return skilltrend.Posting{}, false
	}
	// HN keeps the poster's single line breaks as "\n" in the text (older
	// items as a literal backslash-n); they separate the conventional first
	// line and list items, so they stay line breaks.
	desc := htmlText(hnLineBreaks.Replace(*it.Text))
	if desc == "" || desc == "[deleted]" || desc == "[dead]" || desc == "[flagged]" {
		return skilltrend.Posting{}, false
	}
	id := strconv.FormatInt(it.ID, 10)
	p := skilltrend.Posting{
		SourceID:    id,
		URL:         "https://news.ycombinator.com/item?id=" + id,
		Description: desc,
		RawHTML:     *it.Text,
	}
	if t, err := time.Parse(time.RFC3339, it.CreatedAt); err == nil {
		p.PostedAt = t.UTC()
	}
	first, _, _ := strings.Cut(desc, "\n")
	applyFirstLine(&p, first)
	return p, true
}

var hnLineBreaks = strings.NewReplacer("\n", "<br>", `\n`, "<br>")

var (
	reRemote   = regexp.MustCompile(`(?i)\bremote\b`)
	reOnsite   = regexp.MustCompile(`(?i)\b(on-?site|on site|in[- ]office)\b`)
	reHybrid   = regexp.MustCompile(`(?i)\bhybrid\b`)
	reNoRem    = regexp.MustCompile(`(?i)\bno remote\b|\bnot remote\b`)
	reRole     = regexp.MustCompile(`(?i)\broles?\b|\bpositions\b|\bopenings\b|engineer|developer|programmer|designer|scientist|architect|devops|\bsre\b|manager|analyst|\bcto\b|\bvp\b|director|lead|researcher|intern\b|consultant|administrator|specialist|hacker|founder|head of|product|marketing|sales|support|writer|ops\b|qa\b|tester`)
	reOnlyMode = regexp.MustCompile(`(?i)^[(\s]*(remote|on-?site|on site|hybrid|in[- ]office)([\s,/&]+(or|and)?[\s]*(remote|on-?site|on site|hybrid|in[- ]office))*[)\s]*$`)
	reJobKind  = regexp.MustCompile(`(?i)^(full[- ]?time|part[- ]?time|contract(or)?|freelance|intern(ship)?s?|visa|h-?1b|equity|\$|€|£)`)
)

// applyFirstLine fills title, company, location, work mode, employment type
// and salary from the conventional first line of an HN posting,
// "Company | Role | Location | REMOTE | Salary". Without pipes the line is
// only the title.
func applyFirstLine(p *skilltrend.Posting, line string) {
	p.WorkMode = workModeOf(line)
	p.EmploymentType = employmentOf(line)
	if s := parseSalary(line); s != nil {
		p.Salary = s
	}
	if !strings.Contains(line, "|") {
		p.Title = truncateRunes(line, 200)
		return
	}
	var fields []string
	for _, f := range strings.Split(line, "|") {
		if f = strings.TrimSpace(f); f != "" {
			fields = append(fields, f)
		}
	}
	if len(fields) == 0 {
		return
	}
	p.Company = truncateRunes(fields[0], 200)
	for _, f := range fields[1:] {
		switch {
		case p.Title == "" && reRole.MatchString(f) && !reJobKind.MatchString(f):
			p.Title = truncateRunes(f, 200)
		case reJobKind.MatchString(f), parseSalary(f) != nil, looksLikeURL(f):
		case reOnlyMode.MatchString(f):
		case p.Location == "":
			p.Location = truncateRunes(f, 200)
		}
	}
}

func looksLikeURL(s string) bool {
	return strings.Contains(s, "://") || strings.HasPrefix(s, "www.") || strings.Contains(s, "@")
}

func workModeOf(s string) skilltrend.WorkMode {
	switch {
	case reHybrid.MatchString(s):
		return skilltrend.WorkModeHybrid
	case reRemote.MatchString(s) && !reNoRem.MatchString(s):
		return skilltrend.WorkModeRemote
	case reOnsite.MatchString(s) || reNoRem.MatchString(s):
		return skilltrend.WorkModeOnsite
	}
	return skilltrend.WorkModeUnknown
}

var reEmployment = []struct {
	re   *regexp.Regexp
	kind string
}{
	{regexp.MustCompile(`(?i)\bfull[- ]?time\b`), "FULL_TIME"},
	{regexp.MustCompile(`(?i)\bpart[- ]?time\b`), "PART_TIME"},
	{regexp.MustCompile(`(?i)\b(contract|contractor|freelance)\b`), "CONTRACTOR"},
	{regexp.MustCompile(`(?i)\bintern(ship)?s?\b`), "INTERN"},
}

func employmentOf(s string) string {
	var kinds []string
	for _, e := range reEmployment {
		if e.re.MatchString(s) {
			kinds = append(kinds, e.kind)
		}
	}
	return strings.Join(kinds, ",")
}

func truncateRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
