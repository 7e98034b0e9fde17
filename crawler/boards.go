package crawler

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/skilltrend/skilltrend"
)

// The company job-board APIs: one request returns a whole board.

const (
	greenhouseDefaultBase = "https://boards-api.greenhouse.io"
	leverDefaultBase      = "https://api.lever.co"
	ashbyDefaultBase      = "https://api.ashbyhq.com"
)

func baseURL(configured, def string) string {
	if configured == "" {
		return def
	}
	return strings.TrimRight(configured, "/")
}

// board fetches one board document conditionally and hands it to each,
// which posts with the ids it is given. An unchanged board (304) emits
// nothing: the postings it yielded last time are passed to Options.Seen.
func (r *run) board(ctx context.Context, u string, v any, each func(ids *[]int64) error) error {
	col := r.collector(ctx, false)
	col.AllowURLRevisit = true
	resp, changed, err := r.getJSON(ctx, col, u, true, v)
	if err != nil {
		return err
	}
	if !changed {
		r.log.Info("board unchanged", "url", u)
		return r.seen(ctx, resp.Known)
	}
	var d docState
	if err := each(&d.Postings); err != nil {
		return err
	}
	return r.saveValidators(ctx, u, resp, d)
}

type greenhouseJob struct {
	ID             int64  `json:"id"`
	Title          string `json:"title"`
	AbsoluteURL    string `json:"absolute_url"`
	UpdatedAt      string `json:"updated_at"`
	FirstPublished string `json:"first_published"`
	CompanyName    string `json:"company_name"`
	Content        string `json:"content"` // HTML, entity-escaped once more
	Location       struct {
		Name string `json:"name"`
	} `json:"location"`
	Metadata []struct {
		Name  string `json:"name"`
		Value any    `json:"value"`
	} `json:"metadata"`
}

func (r *run) greenhouse(ctx context.Context) error {
	if r.src.Board == "" {
		return errors.New("greenhouse source needs a board")
	}
	u := baseURL(r.src.BaseURL, greenhouseDefaultBase) + "/v1/boards/" + url.PathEscape(r.src.Board) + "/jobs?content=true"
	var doc struct {
		Jobs []greenhouseJob `json:"jobs"`
	}
	return r.board(ctx, u, &doc, func(ids *[]int64) error {
		for _, j := range doc.Jobs {
			raw := html.UnescapeString(j.Content)
			p := skilltrend.Posting{
				SourceID:    strconv.FormatInt(j.ID, 10),
				URL:         j.AbsoluteURL,
				Title:       j.Title,
				Company:     j.CompanyName,
				Location:    j.Location.Name,
				WorkMode:    workModeOf(j.Location.Name + " " + j.Title),
				Description: htmlText(raw),
				RawHTML:     raw,
				PostedAt:    parseDate(j.FirstPublished),
			}
			if p.Company == "" {
				p.Company = r.src.Board
			}
			if p.PostedAt.IsZero() {
				p.PostedAt = parseDate(j.UpdatedAt)
			}
			for _, m := range j.Metadata {
				if s, ok := m.Value.(string); ok && strings.Contains(strings.ToLower(m.Name), "employment") {
					p.EmploymentType = normEmployment(s)
				}
			}
			if p.EmploymentType == "" {
				p.EmploymentType = employmentOf(p.Title)
			}
			p.Salary = parseSalary(p.Description)
			if err := r.post(ctx, p, ids); err != nil {
				return err
			}
		}
		return nil
	})
}

type leverPosting struct {
	ID               string `json:"id"`
	Text             string `json:"text"`
	HostedURL        string `json:"hostedUrl"`
	CreatedAt        int64  `json:"createdAt"` // ms since the epoch
	WorkplaceType    string `json:"workplaceType"`
	Description      string `json:"description"`
	DescriptionPlain string `json:"descriptionPlain"`
	Additional       string `json:"additional"`
	Lists            []struct {
		Text    string `json:"text"`
		Content string `json:"content"`
	} `json:"lists"`
	Categories struct {
		Location   string `json:"location"`
		Commitment string `json:"commitment"`
		Team       string `json:"team"`
	} `json:"categories"`
	SalaryRange *struct {
		Min      float64 `json:"min"`
		Max      float64 `json:"max"`
		Currency string  `json:"currency"`
		Interval string  `json:"interval"`
	} `json:"salaryRange"`
}

func (r *run) lever(ctx context.Context) error {
	if r.src.Site == "" {
		return errors.New("lever source needs a site")
	}
	u := baseURL(r.src.BaseURL, leverDefaultBase) + "/v0/postings/" + url.PathEscape(r.src.Site) + "?mode=json"
	var doc []leverPosting
	return r.board(ctx, u, &doc, func(ids *[]int64) error {
		for _, j := range doc {
			var raw strings.Builder
			raw.WriteString(j.Description)
			for _, l := range j.Lists {
				fmt.Fprintf(&raw, "<h3>%s</h3><ul>%s</ul>", html.EscapeString(l.Text), l.Content)
			}
			raw.WriteString(j.Additional)
			p := skilltrend.Posting{
				SourceID:       j.ID,
				URL:            j.HostedURL,
				Title:          j.Text,
				Company:        r.src.Site,
				Location:       j.Categories.Location,
				WorkMode:       normWorkMode(j.WorkplaceType),
				EmploymentType: normEmployment(j.Categories.Commitment),
				Description:    htmlText(raw.String()),
				RawHTML:        raw.String(),
			}
			if j.CreatedAt > 0 {
				p.PostedAt = time.UnixMilli(j.CreatedAt).UTC()
			}
			if p.WorkMode == skilltrend.WorkModeUnknown {
				p.WorkMode = workModeOf(p.Location)
			}
			if s := j.SalaryRange; s != nil && (s.Min > 0 || s.Max > 0) {
				p.Salary = &skilltrend.Salary{Min: s.Min, Max: s.Max, Currency: strings.ToUpper(s.Currency), Period: leverInterval(s.Interval)}
			} else {
				p.Salary = parseSalary(p.Description)
			}
			if err := r.post(ctx, p, ids); err != nil {
				return err
			}
		}
		return nil
	})
}

// leverInterval maps "per-year-salary", "per-hour-wage"... to a period.
func leverInterval(s string) string {
	for _, p := range []string{"hour", "day", "week", "month", "year"} {
		if strings.Contains(s, p) {
			return p
		}
	}
	return "year"
}

type ashbyJob struct {
	ID               string `json:"id"`
	Title            string `json:"title"`
	Location         string `json:"location"`
	IsRemote         bool   `json:"isRemote"`
	WorkplaceType    string `json:"workplaceType"`
	EmploymentType   string `json:"employmentType"`
	DescriptionHTML  string `json:"descriptionHtml"`
	DescriptionPlain string `json:"descriptionPlain"`
	PublishedAt      string `json:"publishedAt"`
	JobURL           string `json:"jobUrl"`
	IsListed         *bool  `json:"isListed"`
	Compensation     *struct {
		CompensationTiers []struct {
			Components []ashbyComponent `json:"components"`
		} `json:"compensationTiers"`
		SummaryComponents []ashbyComponent `json:"summaryComponents"`
	} `json:"compensation"`
}

type ashbyComponent struct {
	CompensationType string   `json:"compensationType"`
	Interval         string   `json:"interval"`
	CurrencyCode     string   `json:"currencyCode"`
	MinValue         *float64 `json:"minValue"`
	MaxValue         *float64 `json:"maxValue"`
}

func (r *run) ashby(ctx context.Context) error {
	if r.src.Board == "" {
		return errors.New("ashby source needs a board")
	}
	u := baseURL(r.src.BaseURL, ashbyDefaultBase) + "/posting-api/job-board/" + url.PathEscape(r.src.Board) + "?includeCompensation=true"
	var doc struct {
		Jobs []ashbyJob `json:"jobs"`
	}
	return r.board(ctx, u, &doc, func(ids *[]int64) error {
		for _, j := range doc.Jobs {
			if j.IsListed != nil && !*j.IsListed {
				continue
			}
			p := skilltrend.Posting{
				SourceID:       j.ID,
				URL:            j.JobURL,
				Title:          j.Title,
				Company:        r.src.Board,
				Location:       j.Location,
				WorkMode:       normWorkMode(j.WorkplaceType),
				EmploymentType: normEmployment(j.EmploymentType),
				Description:    htmlText(j.DescriptionHTML),
				RawHTML:        j.DescriptionHTML,
				PostedAt:       parseDate(j.PublishedAt),
			}
			if p.Description == "" {
				p.Description = plainText(j.DescriptionPlain)
			}
			if p.WorkMode == skilltrend.WorkModeUnknown && j.IsRemote {
				p.WorkMode = skilltrend.WorkModeRemote
			}
			if c := j.Compensation; c != nil {
				comps := c.SummaryComponents
				for _, t := range c.CompensationTiers {
					comps = append(comps, t.Components...)
				}
				for _, k := range comps {
					if !strings.EqualFold(k.CompensationType, "salary") || (k.MinValue == nil && k.MaxValue == nil) {
						continue
					}
					s := &skilltrend.Salary{Currency: strings.ToUpper(k.CurrencyCode), Period: ashbyInterval(k.Interval)}
					if k.MinValue != nil {
						s.Min = *k.MinValue
					}
					if k.MaxValue != nil {
						s.Max = *k.MaxValue
					}
					p.Salary = s
					break
				}
			}
			if p.Salary == nil {
				p.Salary = parseSalary(p.Description)
			}
			if err := r.post(ctx, p, ids); err != nil {
				return err
			}
		}
		return nil
	})
}

// ashbyInterval maps "1 YEAR", "1 HOUR"... to a period.
func ashbyInterval(s string) string {
	return leverInterval(strings.ToLower(s))
}

// Replacers are built once: building one per call showed in the profile.
var (
	dropSeparators       = strings.NewReplacer("-", "", "_", "", " ", "")
	underscoreSeparators = strings.NewReplacer("-", "_", " ", "_")
	dropThousands        = strings.NewReplacer(",", "", ".", "")
	dropSpaces           = strings.NewReplacer(" ", "", "\u00a0", "")
	dropCommasSpaces     = strings.NewReplacer(",", "", " ", "")
)

// normWorkMode maps the sources' workplace types ("remote", "Hybrid",
// "on-site", "OnSite") to a WorkMode.
func normWorkMode(s string) skilltrend.WorkMode {
	switch dropSeparators.Replace(strings.ToLower(s)) {
	case "remote", "telecommute":
		return skilltrend.WorkModeRemote
	case "hybrid":
		return skilltrend.WorkModeHybrid
	case "onsite", "inoffice", "office":
		return skilltrend.WorkModeOnsite
	}
	return skilltrend.WorkModeUnknown
}

// normEmployment maps "Full-time", "FullTime", "full_time", "Contract"... to
// schema.org's employmentType values (FULL_TIME, PART_TIME, CONTRACTOR...).
func normEmployment(s string) string {
	k := dropSeparators.Replace(strings.ToLower(strings.TrimSpace(s)))
	switch k {
	case "":
		return ""
	case "fulltime", "permanent":
		return "FULL_TIME"
	case "parttime":
		return "PART_TIME"
	case "contract", "contractor", "freelance":
		return "CONTRACTOR"
	case "intern", "internship":
		return "INTERN"
	case "temporary", "temp":
		return "TEMPORARY"
	}
	return strings.ToUpper(underscoreSeparators.Replace(strings.TrimSpace(s)))
}

// parseDate reads the date formats sources use; zero when none fits.
func parseDate(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	if len(s) == len("2006-01-02") {
		if t, err := time.Parse("2006-01-02", s); err == nil {
			return t
		}
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02",
		time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST", time.RFC850, "2 Jan 2006", "January 2, 2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
