package crawler

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gocolly/colly/v2"
	"golang.org/x/net/html/charset"

	"github.com/skilltrend/skilltrend"
)

// feed is the union of RSS 2.0 and Atom: whichever the document is, the
// other's fields stay empty.
type feed struct {
	XMLName xml.Name
	Title   string `xml:"channel>title"`
	Items   []struct {
		Title       string `xml:"title"`
		Link        string `xml:"link"`
		GUID        string `xml:"guid"`
		PubDate     string `xml:"pubDate"`
		Date        string `xml:"http://purl.org/dc/elements/1.1/ date"`
		Description string `xml:"description"`
		Content     string `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
		Creator     string `xml:"http://purl.org/dc/elements/1.1/ creator"`
	} `xml:"channel>item"`
	AtomTitle string `xml:"http://www.w3.org/2005/Atom title"`
	Entries   []struct {
		Title string `xml:"title"`
		ID    string `xml:"id"`
		Links []struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
		} `xml:"link"`
		Published string `xml:"published"`
		Updated   string `xml:"updated"`
		Summary   string `xml:"summary"`
		Content   string `xml:"content"`
		Author    string `xml:"author>name"`
	} `xml:"http://www.w3.org/2005/Atom entry"`
}

// rss reads RSS 2.0 and Atom job feeds; each item or entry is a posting.
func (r *run) rss(ctx context.Context) error {
	if len(r.src.Feeds) == 0 {
		return errors.New("rss source needs feeds")
	}
	col := r.collector(ctx, r.c.pol.ObeyRobots)
	col.AllowURLRevisit = true
	var failed []error
	for _, u := range r.src.Feeds {
		if err := r.feed(ctx, col, u); err != nil {
			if errors.Is(err, errEmit) {
				return err
			}
			r.log.Warn("feed failed", "url", u, "err", err)
			failed = append(failed, err)
		}
	}
	if len(failed) == len(r.src.Feeds) {
		return errors.Join(failed...)
	}
	return nil
}

func (r *run) feed(ctx context.Context, col *colly.Collector, u string) error {
	resp, err := r.get(ctx, col, u, true)
	if err != nil {
		r.error()
		return err
	}
	r.page()
	switch resp.Status {
	case http.StatusNotModified:
		if err := r.seen(ctx, resp.Known); err != nil {
			return fmt.Errorf("%w: %w", errEmit, err)
		}
		return nil
	case http.StatusOK:
	default:
		r.error()
		return fmt.Errorf("GET %s: %d %s", u, resp.Status, http.StatusText(resp.Status))
	}
	var fd feed
	dec := xml.NewDecoder(bytes.NewReader(resp.Body))
	dec.Strict = false
	dec.CharsetReader = charset.NewReaderLabel
	dec.Entity = xml.HTMLEntity
	if err := dec.Decode(&fd); err != nil {
		r.error()
		return fmt.Errorf("GET %s: invalid feed: %w", u, err)
	}
	var ps []skilltrend.Posting
	for _, it := range fd.Items {
		raw := it.Content
		if raw == "" {
			raw = it.Description
		}
		p := skilltrend.Posting{
			SourceID:    firstNonEmpty(it.GUID, it.Link),
			URL:         resolve(resp.URL, strings.TrimSpace(it.Link)),
			Title:       it.Title,
			Company:     it.Creator,
			PostedAt:    parseDate(firstNonEmpty(it.PubDate, it.Date)),
			Description: anyText(raw),
			RawHTML:     raw,
		}
		ps = append(ps, p)
	}
	for _, e := range fd.Entries {
		raw := e.Content
		if raw == "" {
			raw = e.Summary
		}
		var link string
		for _, l := range e.Links {
			if l.Rel == "" || l.Rel == "alternate" {
				link = l.Href
				break
			}
		}
		p := skilltrend.Posting{
			SourceID:    firstNonEmpty(e.ID, link),
			URL:         resolve(resp.URL, strings.TrimSpace(link)),
			Title:       e.Title,
			Company:     e.Author,
			PostedAt:    parseDate(firstNonEmpty(e.Published, e.Updated)),
			Description: anyText(raw),
			RawHTML:     raw,
		}
		ps = append(ps, p)
	}
	var d docState
	for _, p := range ps {
		if p.SourceID == "" {
			continue
		}
		p.SourceID = strings.TrimSpace(p.SourceID)
		p.WorkMode = workModeOf(p.Title)
		p.Salary = parseSalary(p.Title + "\n" + p.Description)
		p.EmploymentType = employmentOf(p.Title)
		if err := r.post(ctx, p, &d.Postings); err != nil {
			return fmt.Errorf("%w: %w", errEmit, err)
		}
	}
	return r.saveValidators(ctx, u, resp, d)
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}
