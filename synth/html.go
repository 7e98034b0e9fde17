package synth

import (
	"html"
	"strings"
)

// blocks splits a description into its blank-line separated blocks.
func blocks(desc string) []string {
	var out []string
	for b := range strings.SplitSeq(desc, "\n\n") {
		if b = strings.TrimSpace(b); b != "" {
			out = append(out, b)
		}
	}
	return out
}

func isList(b string) bool {
	for l := range strings.SplitSeq(b, "\n") {
		if !strings.HasPrefix(l, "- ") {
			return false
		}
	}
	return true
}

func isHeading(b string) bool {
	return len(b) < 60 && strings.HasSuffix(b, ":") && !strings.Contains(b, "\n")
}

// descriptionHTML renders a description the way career sites and ATS
// boards do: headings, paragraphs and bullet lists.
func descriptionHTML(desc string) string {
	var sb strings.Builder
	for _, b := range blocks(desc) {
		switch {
		case isList(b):
			sb.WriteString("<ul>")
			for l := range strings.SplitSeq(b, "\n") {
				sb.WriteString("<li>")
				sb.WriteString(html.EscapeString(strings.TrimPrefix(l, "- ")))
				sb.WriteString("</li>")
			}
			sb.WriteString("</ul>\n")
		case isHeading(b):
			sb.WriteString("<p><strong>")
			sb.WriteString(html.EscapeString(b))
			sb.WriteString("</strong></p>\n")
		default:
			sb.WriteString("<p>")
			sb.WriteString(strings.ReplaceAll(html.EscapeString(b), "\n", "<br>"))
			sb.WriteString("</p>\n")
		}
	}
	return sb.String()
}

// hnEscaper escapes text as Hacker News stores it.
var hnEscaper = strings.NewReplacer(
	"&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#x27;", "/", "&#x2F;",
)

// hnHTML renders a description as HN comment HTML: the first paragraph
// bare, each further one opened by <p>, single newlines kept, slashes
// escaped, and bare URLs turned into links.
func hnHTML(desc string) string {
	var sb strings.Builder
	for i, b := range blocks(desc) {
		if i > 0 {
			sb.WriteString("<p>")
		}
		for k, word := range strings.Split(b, " ") {
			if k > 0 {
				sb.WriteByte(' ')
			}
			if strings.HasPrefix(word, "https://") || strings.HasPrefix(word, "http://") {
				u := hnEscaper.Replace(word)
				sb.WriteString(`<a href="` + u + `" rel="nofollow">` + u + `</a>`)
				continue
			}
			sb.WriteString(hnEscaper.Replace(word))
		}
	}
	return sb.String()
}
