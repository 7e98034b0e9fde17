package synth

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/skilltrend/skilltrend"
)

// JobSpy (python-jobspy) returns a pandas DataFrame that users save with
// to_csv. Its columns, of which ReadJobSpyCSV uses these:
//
//	id, site, job_url, job_url_direct, title, company, location, date_posted,
//	job_type, interval, min_amount, max_amount, currency, is_remote,
//	work_from_home_type, description
//
// Other columns (job_level, company_industry, emails, salary_source...) are
// ignored, as is the unnamed index column pandas writes by default.

// jobspyIntervals maps JobSpy's pay intervals to Salary periods.
var jobspyIntervals = map[string]string{
	"yearly": "year", "monthly": "month", "weekly": "week", "daily": "day", "hourly": "hour",
}

// jobspyTypes maps JobSpy job types to schema.org employment types.
var jobspyTypes = map[string]string{
	"fulltime": "FULL_TIME", "parttime": "PART_TIME", "contract": "CONTRACTOR",
	"internship": "INTERN", "temporary": "TEMPORARY", "perdiem": "PER_DIEM", "volunteer": "VOLUNTEER",
}

// ReadJobSpyCSV reads a CSV file written from JobSpy's DataFrame and calls
// emit for each valid posting in input order. A posting's Source is
// "jobspy-<site>" (e.g. "jobspy-indeed"), its SourceID the id column (the
// job URL when id is empty). Rows that cannot be parsed, have the wrong
// number of fields, lack a title and description or both id and URL, or
// carry a bad date, amount or flag are skipped and reported in RowErrors
// with the line they start on. The error is non-nil only when the header is
// unusable, reading fails, ctx is done or emit fails.
func ReadJobSpyCSV(ctx context.Context, r io.Reader, emit func(skilltrend.Posting) error) (RowErrors, error) {
	cr := csv.NewReader(bufio.NewReaderSize(r, 64<<10))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("read jobspy csv: empty input, want a header row")
		}
		return nil, fmt.Errorf("read jobspy csv header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if _, dup := col[h]; !dup && h != "" {
			col[h] = i
		}
	}
	if _, ok := col["title"]; !ok {
		return nil, fmt.Errorf("read jobspy csv: header has no title column: %q", header)
	}
	if _, ok := col["job_url"]; !ok {
		if _, ok := col["id"]; !ok {
			return nil, fmt.Errorf("read jobspy csv: header has neither id nor job_url: %q", header)
		}
	}
	nfields := len(header)

	var bad RowErrors
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return bad, fmt.Errorf("read jobspy csv: %w", err)
			}
		}
		before := cr.InputOffset()
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return bad, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return bad, fmt.Errorf("read jobspy csv: %w", err)
			}
			bad = append(bad, RowError{Line: pe.StartLine, Err: pe.Err})
			if cr.InputOffset() == before {
				return bad, nil // no progress: nothing more can be read
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != nfields {
			bad = append(bad, RowError{Line: line, Err: fmt.Errorf("%d fields, header has %d", len(rec), nfields)})
			continue
		}
		p, err := jobspyPosting(rec, col)
		if err != nil {
			bad = append(bad, RowError{Line: line, Err: err})
			continue
		}
		if err := emit(p); err != nil {
			return bad, fmt.Errorf("read jobspy csv line %d: %w", line, err)
		}
	}
}

func jobspyPosting(rec []string, col map[string]int) (skilltrend.Posting, error) {
	get := func(name string) string {
		if i, ok := col[name]; ok {
			// JobSpy's README saves with escapechar="\\", which doubles
			// every backslash; undo it.
			return strings.ReplaceAll(strings.TrimSpace(rec[i]), `\\`, `\`)
		}
		return ""
	}
	site := strings.ToLower(get("site"))
	p := skilltrend.Posting{
		Source:      "jobspy",
		SourceID:    get("id"),
		URL:         get("job_url"),
		Title:       get("title"),
		Company:     get("company"),
		Location:    get("location"),
		WorkMode:    skilltrend.WorkModeUnknown,
		Description: strings.ReplaceAll(get("description"), "\r\n", "\n"),
	}
	if site != "" {
		p.Source = "jobspy-" + site
	}
	if p.URL == "" {
		p.URL = get("job_url_direct")
	}
	if p.SourceID == "" {
		p.SourceID = p.URL
	}
	if d := get("date_posted"); d != "" {
		t, err := parseJobspyDate(d)
		if err != nil {
			return p, err
		}
		p.PostedAt = t
	}
	if jt := get("job_type"); jt != "" {
		first, _, _ := strings.Cut(jt, ",")
		first = strings.ToLower(strings.TrimSpace(first))
		if et, ok := jobspyTypes[strings.NewReplacer("-", "", "_", "", " ", "").Replace(first)]; ok {
			p.EmploymentType = et
		} else {
			p.EmploymentType = strings.ToUpper(first)
		}
	}
	switch strings.ToLower(get("is_remote")) {
	case "true", "1", "yes":
		p.WorkMode = skilltrend.WorkModeRemote
	case "", "false", "0", "no", "nan", "none":
	default:
		return p, fmt.Errorf("is_remote %q is not a boolean", get("is_remote"))
	}
	switch strings.ToLower(get("work_from_home_type")) {
	case "remote", "work from home":
		p.WorkMode = skilltrend.WorkModeRemote
	case "hybrid":
		p.WorkMode = skilltrend.WorkModeHybrid
	case "work from office", "on-site", "onsite":
		p.WorkMode = skilltrend.WorkModeOnsite
	}
	lo, err := jobspyAmount(get("min_amount"))
	if err != nil {
		return p, fmt.Errorf("min_amount: %w", err)
	}
	hi, err := jobspyAmount(get("max_amount"))
	if err != nil {
		return p, fmt.Errorf("max_amount: %w", err)
	}
	if lo > 0 || hi > 0 {
		p.Salary = &skilltrend.Salary{Min: lo, Max: hi, Currency: strings.ToUpper(get("currency"))}
		if iv := strings.ToLower(get("interval")); iv != "" {
			per, ok := jobspyIntervals[iv]
			if !ok {
				return p, fmt.Errorf("unknown interval %q", iv)
			}
			p.Salary.Period = per
		}
	}
	if p.SourceID == "" {
		return p, errors.New("neither id nor job_url")
	}
	return p, validate(&p)
}

// parseJobspyDate accepts the dates pandas writes: 2024-05-01, with a time,
// or in ISO 8601 with a zone.
func parseJobspyDate(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02", time.RFC3339, "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04:05.999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	if strings.EqualFold(s, "nan") || strings.EqualFold(s, "NaT") {
		return time.Time{}, nil
	}
	return time.Time{}, fmt.Errorf("date_posted %q is not a date", s)
}

// jobspyAmount parses an amount as pandas writes it ("120000.0"); empty
// and NaN mean none.
func jobspyAmount(s string) (float64, error) {
	if s == "" || strings.EqualFold(s, "nan") {
		return 0, nil
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return v, nil
}
