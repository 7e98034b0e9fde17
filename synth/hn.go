package synth

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/skilltrend/skilltrend"
)

// The HN part of the server imitates the Algolia HN Search API: one
// whoishiring "Who is hiring?" story a month whose top-level comments are
// the postings, with some replies under them (not postings), one deleted
// comment a month, and the two sibling stories of each month ("Who wants to
// be hired?", "Freelancer?") that a crawler must not mistake for jobs.

type hnKind int

const (
	hnStory hnKind = iota
	hnPosting
	hnReply
	hnDeleted
	hnOther // a comment in a sibling thread
)

type hnNode struct {
	ID       int64
	Kind     hnKind
	Parent   int64
	Story    int64
	Created  time.Time
	Author   string
	Title    string // stories
	Text     string // replies, sibling-thread comments and story text
	Posting  int    // index into ps for hnPosting
	Children []int64
	Tags     []string
}

type hnIndex struct {
	nodes   map[int64]*hnNode
	stories []int64 // newest first
	all     []int64 // every node, newest first
}

var hnHandles = []string{"ada", "bram", "cyx", "dmitri", "elspeth", "fenwick", "gia", "hollis", "ines", "jory", "kalani", "lumen", "moss", "nadia", "oren", "pim"}

func hnAuthor(id int64) string {
	return hnHandles[id%int64(len(hnHandles))] + "_" + strconv.FormatInt(id%97, 10)
}

func newHNIndex(ps []skilltrend.Posting, idx []int) *hnIndex {
	x := &hnIndex{nodes: map[int64]*hnNode{}}
	used := map[int64]bool{}
	var maxID int64
	type month struct {
		start time.Time
		posts []int
		minID int64
	}
	months := map[time.Time]*month{}
	for _, i := range idx {
		id := numericID(ps[i])
		used[id] = true
		maxID = max(maxID, id)
		t := ps[i].PostedAt.UTC()
		key := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		m := months[key]
		if m == nil {
			m = &month{start: key, minID: id}
			months[key] = m
		}
		m.posts = append(m.posts, i)
		m.minID = min(m.minID, id)
	}
	keys := make([]time.Time, 0, len(months))
	for k := range months {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b time.Time) int { return a.Compare(b) })

	free := func(below int64) int64 {
		for id := below; ; id-- {
			if id > 0 && !used[id] {
				used[id] = true
				return id
			}
			if id <= 0 {
				maxID++
				used[maxID] = true
				return maxID
			}
		}
	}
	next := func() int64 {
		maxID++
		used[maxID] = true
		return maxID
	}
	add := func(n *hnNode) {
		x.nodes[n.ID] = n
		if p := x.nodes[n.Parent]; n.Parent != 0 && p != nil {
			p.Children = append(p.Children, n.ID)
		}
	}

	for _, key := range keys {
		m := months[key]
		slices.SortFunc(m.posts, func(a, b int) int {
			if c := ps[a].PostedAt.Compare(ps[b].PostedAt); c != 0 {
				return c
			}
			return cmpInt64(numericID(ps[a]), numericID(ps[b]))
		})
		opened := key.Add(15 * time.Hour)
		if first := ps[m.posts[0]].PostedAt.UTC(); first.Before(opened) {
			opened = first.Add(-time.Hour)
		}
		label := key.Format("January 2006")
		storyID := free(m.minID - 1)
		add(&hnNode{
			ID: storyID, Kind: hnStory, Created: opened, Author: "whoishiring", Posting: -1,
			Title: "Ask HN: Who is hiring? (" + label + ")",
			Text: "Please lead with the company name, the location and whether the role is REMOTE, ONSITE or HYBRID. " +
				"Only post if you are part of the hiring company; one post per company.<p>Readers: please only email if you are interested in the job.",
		})
		for _, i := range m.posts {
			p := ps[i]
			id := numericID(p)
			add(&hnNode{ID: id, Kind: hnPosting, Parent: storyID, Story: storyID, Created: p.PostedAt.UTC(), Author: hnAuthor(id), Posting: i})
			if h := p.ID(); h%9 == 0 {
				q := next()
				at := p.PostedAt.UTC().Add(time.Duration(h%300+5) * time.Minute)
				add(&hnNode{ID: q, Kind: hnReply, Parent: id, Story: storyID, Created: at, Author: hnAuthor(q), Text: hnReplies[h%int64(len(hnReplies))], Posting: -1})
				if h%27 == 0 {
					a := next()
					add(&hnNode{ID: a, Kind: hnReply, Parent: q, Story: storyID, Created: at.Add(2 * time.Hour), Author: hnAuthor(id), Text: hnAnswers[h%int64(len(hnAnswers))], Posting: -1})
				}
			}
		}
		del := next()
		add(&hnNode{ID: del, Kind: hnDeleted, Parent: storyID, Story: storyID, Created: opened.Add(3 * time.Hour), Posting: -1})

		// The sibling threads of the month.
		hired := free(storyID - 1)
		add(&hnNode{ID: hired, Kind: hnStory, Created: opened.Add(time.Second), Author: "whoishiring", Posting: -1,
			Title: "Ask HN: Who wants to be hired? (" + label + ")",
			Text:  "Share your location, whether you want remote work, and how to reach you."})
		for k, t := range hiredPosts {
			c := next()
			add(&hnNode{ID: c, Kind: hnOther, Parent: hired, Story: hired, Created: opened.Add(time.Duration(k+1) * time.Hour), Author: hnAuthor(c), Text: t, Posting: -1})
		}
		free1 := free(hired - 1)
		add(&hnNode{ID: free1, Kind: hnStory, Created: opened.Add(2 * time.Second), Author: "whoishiring", Posting: -1,
			Title: "Ask HN: Freelancer? Seeking freelancer? (" + label + ")",
			Text:  "Post SEEKING WORK or SEEKING FREELANCER, your location, and whether remote is fine."})
		x.stories = append(x.stories, storyID, hired, free1)
	}
	for id, n := range x.nodes {
		x.all = append(x.all, id)
		if n.Kind == hnStory {
			n.Tags = []string{"story", "author_" + n.Author, "story_" + strconv.FormatInt(n.ID, 10), "ask_hn"}
		} else {
			n.Tags = []string{"comment", "author_" + n.Author, "story_" + strconv.FormatInt(n.Story, 10)}
		}
	}
	slices.SortFunc(x.stories, x.newest)
	slices.SortFunc(x.all, x.newest)
	return x
}

// newest orders node ids newest first, as search_by_date does.
func (x *hnIndex) newest(a, b int64) int {
	if c := x.nodes[b].Created.Compare(x.nodes[a].Created); c != 0 {
		return c
	}
	return cmpInt64(b, a)
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// text is the HTML text of a node, as the API returns it.
func (x *hnIndex) text(ps []skilltrend.Posting, n *hnNode) string {
	switch n.Kind {
	case hnPosting:
		return hnHTML(ps[n.Posting].Description)
	case hnDeleted:
		return ""
	case hnOther:
		return n.Text
	}
	return hnEscaper.Replace(n.Text)
}

func (x *hnIndex) descendants(id int64) int {
	n := 0
	for _, c := range x.nodes[id].Children {
		n += 1 + x.descendants(c)
	}
	return n
}

// algoliaItem is the shape of GET /api/v1/items/{id}.
type algoliaItem struct {
	ID         int64         `json:"id"`
	CreatedAt  string        `json:"created_at"`
	CreatedAtI int64         `json:"created_at_i"`
	Type       string        `json:"type"`
	Author     *string       `json:"author"`
	Title      *string       `json:"title"`
	URL        *string       `json:"url"`
	Text       *string       `json:"text"`
	Points     *int          `json:"points"`
	ParentID   *int64        `json:"parent_id"`
	StoryID    *int64        `json:"story_id"`
	Children   []algoliaItem `json:"children"`
	Options    []string      `json:"options"`
}

func ptr[T any](v T) *T { return &v }

func (x *hnIndex) item(ps []skilltrend.Posting, id int64) algoliaItem {
	n := x.nodes[id]
	it := algoliaItem{
		ID: n.ID, CreatedAt: isoTime(n.Created), CreatedAtI: n.Created.Unix(),
		Type: "comment", Children: []algoliaItem{}, Options: []string{},
	}
	if n.Kind != hnDeleted {
		it.Author = ptr(n.Author)
		it.Text = ptr(x.text(ps, n))
	}
	if n.Kind == hnStory {
		it.Type = "story"
		it.Title = ptr(n.Title)
		it.URL = ptr("")
		it.Points = ptr(200 + int(n.ID%300))
	} else {
		it.ParentID = ptr(n.Parent)
		it.StoryID = ptr(n.Story)
	}
	for _, c := range n.Children {
		it.Children = append(it.Children, x.item(ps, c))
	}
	return it
}

func (s *server) hnItem(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || s.hn.nodes[id] == nil {
		jsonError(w, http.StatusNotFound, "Not Found")
		return
	}
	writeJSON(w, http.StatusOK, s.hn.item(s.ps, id))
}

// algoliaHit is one hit of GET /api/v1/search_by_date.
type algoliaHit struct {
	CreatedAt   string   `json:"created_at"`
	Title       *string  `json:"title"`
	URL         *string  `json:"url"`
	Author      *string  `json:"author"`
	Points      *int     `json:"points"`
	StoryText   *string  `json:"story_text"`
	CommentText *string  `json:"comment_text"`
	NumComments *int     `json:"num_comments"`
	StoryID     *int64   `json:"story_id"`
	StoryTitle  *string  `json:"story_title"`
	StoryURL    *string  `json:"story_url"`
	ParentID    *int64   `json:"parent_id"`
	CreatedAtI  int64    `json:"created_at_i"`
	Tags        []string `json:"_tags"`
	ObjectID    string   `json:"objectID"`
}

type algoliaSearch struct {
	Hits             []algoliaHit `json:"hits"`
	NbHits           int          `json:"nbHits"`
	Page             int          `json:"page"`
	NbPages          int          `json:"nbPages"`
	HitsPerPage      int          `json:"hitsPerPage"`
	ExhaustiveNbHits bool         `json:"exhaustiveNbHits"`
	ExhaustiveTypo   bool         `json:"exhaustiveTypo"`
	Query            string       `json:"query"`
	Params           string       `json:"params"`
	ProcessingTimeMS int          `json:"processingTimeMS"`
}

func (x *hnIndex) hit(ps []skilltrend.Posting, n *hnNode) algoliaHit {
	h := algoliaHit{
		CreatedAt: isoTime(n.Created), CreatedAtI: n.Created.Unix(),
		Tags: n.Tags, ObjectID: strconv.FormatInt(n.ID, 10),
	}
	if n.Kind != hnDeleted {
		h.Author = ptr(n.Author)
	}
	if n.Kind == hnStory {
		h.Title = ptr(n.Title)
		h.Points = ptr(200 + int(n.ID%300))
		h.StoryText = ptr(x.text(ps, n))
		h.NumComments = ptr(x.descendants(n.ID))
		return h
	}
	if n.Kind != hnDeleted {
		h.CommentText = ptr(x.text(ps, n))
	}
	h.StoryID = ptr(n.Story)
	h.StoryTitle = ptr(x.nodes[n.Story].Title)
	h.ParentID = ptr(n.Parent)
	return h
}

// tagFilter is Algolia's tags syntax: comma-separated terms that must all
// hold, each a tag or a parenthesised list of alternatives.
func tagFilter(s string) [][]string {
	var terms [][]string
	for s = strings.TrimSpace(s); s != ""; {
		var term string
		if strings.HasPrefix(s, "(") {
			end := strings.IndexByte(s, ')')
			if end < 0 {
				end = len(s) - 1
			}
			term, s = s[1:end], strings.TrimPrefix(strings.TrimSpace(s[end+1:]), ",")
		} else {
			term, s, _ = strings.Cut(s, ",")
		}
		var alts []string
		for a := range strings.SplitSeq(term, ",") {
			if a = strings.TrimSpace(a); a != "" {
				alts = append(alts, a)
			}
		}
		if len(alts) > 0 {
			terms = append(terms, alts)
		}
		s = strings.TrimSpace(s)
	}
	return terms
}

type numericFilter struct {
	op string
	v  int64
}

func parseNumericFilters(s string) []numericFilter {
	var out []numericFilter
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		rest, ok := strings.CutPrefix(f, "created_at_i")
		if !ok {
			continue
		}
		for _, op := range []string{">=", "<=", ">", "<", "="} {
			if v, ok := strings.CutPrefix(rest, op); ok {
				if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
					out = append(out, numericFilter{op, n})
				}
				break
			}
		}
	}
	return out
}

func (f numericFilter) match(t int64) bool {
	switch f.op {
	case ">=":
		return t >= f.v
	case "<=":
		return t <= f.v
	case ">":
		return t > f.v
	case "<":
		return t < f.v
	}
	return t == f.v
}

func (s *server) hnSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	per, err := strconv.Atoi(q.Get("hitsPerPage"))
	if err != nil || per <= 0 {
		per = 20
	}
	per = min(per, 1000)
	page = max(page, 0)
	terms := tagFilter(q.Get("tags"))
	nums := parseNumericFilters(q.Get("numericFilters"))

	candidates := s.hn.all
	scoped := false
	for _, t := range terms {
		if len(t) != 1 {
			continue
		}
		if id, ok := strings.CutPrefix(t[0], "story_"); ok {
			n, err := strconv.ParseInt(id, 10, 64)
			candidates, scoped = nil, true
			if node := s.hn.nodes[n]; err == nil && node != nil && node.Kind == hnStory {
				candidates = append([]int64{n}, s.hn.subtree(n)...)
				slices.SortFunc(candidates, s.hn.newest)
			}
		}
	}
	if !scoped && slices.ContainsFunc(terms, func(t []string) bool { return len(t) == 1 && t[0] == "story" }) {
		candidates = s.hn.stories
	}
	var matched []*hnNode
	for _, id := range candidates {
		n := s.hn.nodes[id]
		if hasTags(n.Tags, terms) && matchAll(nums, n.Created.Unix()) {
			matched = append(matched, n)
		}
	}
	res := algoliaSearch{
		Hits: []algoliaHit{}, NbHits: len(matched), Page: page, HitsPerPage: per,
		NbPages: (len(matched) + per - 1) / per, ExhaustiveNbHits: true, ExhaustiveTypo: true,
		Params: r.URL.RawQuery, ProcessingTimeMS: 1,
	}
	for _, n := range matched[min(len(matched), page*per):min(len(matched), (page+1)*per)] {
		res.Hits = append(res.Hits, s.hn.hit(s.ps, n))
	}
	writeJSON(w, http.StatusOK, res)
}

func (x *hnIndex) subtree(id int64) []int64 {
	var out []int64
	for _, c := range x.nodes[id].Children {
		out = append(out, c)
		out = append(out, x.subtree(c)...)
	}
	return out
}

func hasTags(tags []string, terms [][]string) bool {
	for _, alts := range terms {
		ok := false
		for _, a := range alts {
			if slices.Contains(tags, a) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func matchAll(fs []numericFilter, t int64) bool {
	for _, f := range fs {
		if !f.match(t) {
			return false
		}
	}
	return true
}
