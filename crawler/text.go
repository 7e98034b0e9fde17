package crawler

import (
	"bytes"
	"github.com/skilltrend/skilltrend"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlText turns an HTML fragment into clean text: entities decoded, tags
// dropped, whitespace collapsed, block elements as paragraphs separated by a
// blank line, <br> on a new line and list items as "- item" lines.
func htmlText(fragment string) string {
	return fragmentText(fragment, true)
}

func fragmentText(fragment string, bullets bool) string {
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(fragment), body)
	if err != nil {
		nodes, err = html.ParseFragment(bytes.NewReader(shallow([]byte(fragment), 256)), body)
	}
	if err != nil {
		return plainText(fragment)
	}
	w := textWriter{bullets: bullets}
	for _, n := range nodes {
		w.node(n)
	}
	return w.String()
}

// anyText treats s as HTML when it looks like markup and as plain text
// otherwise; plain text keeps its blank-line paragraphs.
func anyText(s string) string {
	if strings.Contains(s, "<") && strings.Contains(s, ">") {
		return htmlText(s)
	}
	return plainText(html.UnescapeString(s))
}

// line is anyText on one line, without list bullets: for names, titles,
// places.
func line(s string) string {
	if strings.Contains(s, "<") && strings.Contains(s, ">") {
		return oneLine(fragmentText(s, false))
	}
	return oneLine(html.UnescapeString(s))
}

// plainText normalises plain text: paragraphs (split at blank lines) kept,
// line breaks within them kept, runs of other whitespace collapsed.
func plainText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var paras []string
	for _, p := range strings.Split(s, "\n\n") {
		var lines []string
		for _, l := range strings.Split(p, "\n") {
			if l = strings.Join(strings.Fields(l), " "); l != "" {
				lines = append(lines, l)
			}
		}
		if len(lines) > 0 {
			paras = append(paras, strings.Join(lines, "\n"))
		}
	}
	return strings.Join(paras, "\n\n")
}

// oneLine collapses all whitespace, line breaks included.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

type textWriter struct {
	bullets bool // start list items with "- "
	bullet  bool // the next text starts a list item
	b       strings.Builder
	pending int  // 0 none, 1 newline, 2 blank line before the next text
	space   bool // a space before the next text
	pre     int
}

func (w *textWriter) String() string { return strings.TrimSpace(w.b.String()) }

func (w *textWriter) brk(level int) {
	w.pending = max(w.pending, level)
	w.space = false
}

func (w *textWriter) text(s string) {
	if w.pre > 0 {
		w.flush()
		w.b.WriteString(s)
		return
	}
	if startsSpace(s) {
		w.space = true
	}
	for i, f := range strings.Fields(s) {
		if i > 0 {
			w.space = true
		}
		if w.pending > 0 {
			w.flush()
		} else if w.space && w.b.Len() > 0 {
			w.b.WriteByte(' ')
		}
		if w.bullet {
			w.b.WriteString("- ")
			w.bullet = false
		}
		w.space = false
		w.b.WriteString(f)
	}
	if endsSpace(s) {
		w.space = true
	}
}

func (w *textWriter) flush() {
	if w.b.Len() > 0 {
		switch w.pending {
		case 1:
			w.b.WriteByte('\n')
		case 2:
			w.b.WriteString("\n\n")
		}
	}
	w.pending = 0
}

func startsSpace(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}

func endsSpace(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return unicode.IsSpace(r)
}

func (w *textWriter) node(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.ElementNode:
	case html.DocumentNode:
	default:
		return
	}
	level := 0
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Head, atom.Svg, atom.Iframe, atom.Object:
		return
	case atom.Br:
		w.brk(1)
		return
	case atom.Hr:
		w.brk(2)
		return
	case atom.P, atom.Div, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Ul, atom.Ol,
		atom.Dl, atom.Table, atom.Blockquote, atom.Section, atom.Article, atom.Header, atom.Footer,
		atom.Main, atom.Nav, atom.Aside, atom.Figure, atom.Form, atom.Fieldset, atom.Address, atom.Details:
		level = 2
	case atom.Pre:
		level = 2
		w.pre++
		defer func() { w.pre-- }()
	case atom.Li:
		level = 1
		w.bullet = w.bullets
	case atom.Tr, atom.Dt, atom.Dd, atom.Caption, atom.Summary, atom.Option:
		level = 1
	case atom.Td, atom.Th:
		w.space = true
	}
	if level > 0 {
		w.brk(level)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.node(c)
	}
	if level > 0 {
		w.brk(level)
	}
}

// clean makes a field safe to store: valid UTF-8, no NUL or other control
// characters except newline and tab.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.IndexFunc(s, badRune) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == '\r' {
			return -1
		}
		if badRune(r) {
			return -1
		}
		return r
	}, s)
}

func badRune(r rune) bool {
	return r == '\r' || (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r < 0xa0)
}

// sanitizePosting applies clean to every text field.
func sanitizePosting(p skilltrend.Posting) skilltrend.Posting {
	for _, f := range []*string{&p.SourceID, &p.URL, &p.Title, &p.Company, &p.Location, &p.EmploymentType, &p.Description, &p.RawHTML} {
		*f = clean(*f)
	}
	p.Title = oneLine(p.Title)
	p.Company = oneLine(p.Company)
	p.Location = oneLine(p.Location)
	if p.Salary != nil {
		p.Salary.Currency = clean(p.Salary.Currency)
	}
	return p
}

// parseHTML parses a document. x/net/html refuses markup nested deeper than
// 512 elements; such a page is flattened (see shallow) and parsed again, so
// deep nesting costs structure, not the page.
func parseHTML(b []byte) (*html.Node, error) {
	n, err := html.Parse(bytes.NewReader(b))
	for _, limit := range []int{256, 64} {
		if err == nil {
			return n, nil
		}
		n, err = html.Parse(bytes.NewReader(shallow(b, limit)))
	}
	return n, err
}

// shallow drops the start and end tags nested deeper than limit, keeping
// their text, attributes of kept tags and everything else byte for byte.
func shallow(b []byte, limit int) []byte {
	z := html.NewTokenizer(bytes.NewReader(b))
	var out bytes.Buffer
	depth := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out.Bytes()
		case html.StartTagToken:
			name, _ := z.TagName()
			if !voidElements[string(name)] {
				depth++
				if depth > limit {
					continue
				}
			}
		case html.EndTagToken:
			depth--
			if depth >= limit {
				continue
			}
			depth = max(depth, 0)
		}
		out.Write(z.Raw())
	}
}

var voidElements = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
	"img": true, "input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}
