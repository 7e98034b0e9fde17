package config

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Load reads and validates the config file at path.
func Load(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("read config: %w", err)
	}
	cfg, err := Parse(data)
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// Default is the configuration used when there is no config file: the Hacker
// News "Who is hiring" threads of the last DefaultHNMonths months.
func Default(now time.Time) Config {
	since := now.UTC().AddDate(0, -DefaultHNMonths, 0)
	return Config{
		Database:   DefaultDatabase,
		ReportDir:  DefaultReportDir,
		UserAgent:  DefaultUserAgent,
		Politeness: DefaultPoliteness(),
		Sources:    []Source{{Name: "hn", Type: TypeHN, Since: since.Format("2006-01")}},
	}
}

// Parse decodes a YAML config, fills in defaults and validates it. Unknown
// keys are errors; every error names the line and the field.
func Parse(data []byte) (Config, error) {
	cfg := Config{
		Database:   DefaultDatabase,
		ReportDir:  DefaultReportDir,
		UserAgent:  DefaultUserAgent,
		Politeness: DefaultPoliteness(),
	}
	if err := yaml.UnmarshalWithOptions(data, &cfg, yaml.DisallowUnknownField()); err != nil {
		return Config{}, fmt.Errorf("invalid config: %s", yaml.FormatError(err, false, true))
	}
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return Config{}, fmt.Errorf("invalid config: %w", err)
	}
	var errs []error
	for _, fe := range cfg.validate() {
		errs = append(errs, fmt.Errorf("%s%s: %s", lineOf(file, fe.path), fe.field(), fe.msg))
	}
	if len(errs) > 0 {
		return Config{}, fmt.Errorf("invalid config:\n%w", errors.Join(errs...))
	}
	return cfg, nil
}

// fieldError is a validation failure at a YAML path such as
// $.sources[1].type.
type fieldError struct {
	path string
	msg  string
}

func (fe fieldError) field() string { return strings.TrimPrefix(fe.path, "$.") }

// lineOf returns "line N: " for the node at path, or "" when the key is absent
// from the file (a missing required field).
func lineOf(file *ast.File, path string) string {
	for p := path; p != "$"; {
		yp, err := yaml.PathString(p)
		if err == nil {
			if node, err := yp.FilterFile(file); err == nil && node != nil {
				return fmt.Sprintf("line %d: ", node.GetToken().Position.Line)
			}
		}
		// Fall back to the enclosing element, e.g. the source that lacks a key.
		i := strings.LastIndexAny(p, ".[")
		if i <= 0 {
			break
		}
		p = p[:i]
	}
	return ""
}

var (
	sourceName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)
	month      = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])$`)
)

func (c Config) validate() []fieldError {
	var errs []fieldError
	add := func(path, format string, args ...any) {
		errs = append(errs, fieldError{path: path, msg: fmt.Sprintf(format, args...)})
	}
	if c.Database == "" {
		add("$.database", "must not be empty")
	}
	if c.ReportDir == "" {
		add("$.report_dir", "must not be empty")
	}
	if strings.TrimSpace(c.UserAgent) == "" {
		add("$.user_agent", "must name skilltrend and a contact URL")
	}
	p := c.Politeness
	if p.Delay < 0 {
		add("$.politeness.delay", "must not be negative")
	}
	if p.Parallelism < 1 {
		add("$.politeness.parallelism", "must be at least 1")
	}
	if p.Timeout <= 0 {
		add("$.politeness.timeout", "must be positive")
	}
	if p.MaxBodyBytes <= 0 {
		add("$.politeness.max_body_bytes", "must be positive")
	}
	if p.MaxRetries < 1 {
		add("$.politeness.max_retries", "must be at least 1")
	}
	if len(c.Sources) == 0 {
		add("$.sources", "at least one source is required")
	}
	seen := map[string]bool{}
	for i, s := range c.Sources {
		at := fmt.Sprintf("$.sources[%d]", i)
		if !sourceName.MatchString(s.Name) {
			add(at+".name", "%q is not a valid name (lower-case letters, digits, - and _)", s.Name)
		} else if seen[s.Name] {
			add(at+".name", "%q is used by another source", s.Name)
		}
		seen[s.Name] = true
		if s.BaseURL != "" {
			if err := checkURL(s.BaseURL); err != nil {
				add(at+".base_url", "%v", err)
			}
		}
		if s.MaxPages < 0 {
			add(at+".max_pages", "must not be negative")
		}
		if s.MaxDepth < 0 {
			add(at+".max_depth", "must not be negative")
		}
		switch s.Type {
		case TypeHN:
			if s.Since != "" && !month.MatchString(s.Since) {
				add(at+".since", "%q is not a month (YYYY-MM)", s.Since)
			} else if s.Since != "" && s.Since < "2011-04" {
				add(at+".since", "the Who is hiring threads start in 2011-04")
			}
		case TypeGreenhouse, TypeAshby:
			if s.Board == "" {
				add(at+".board", "required for type %s", s.Type)
			}
		case TypeLever:
			if s.Site == "" {
				add(at+".site", "required for type lever")
			}
		case TypeJSONLD:
			if len(s.StartURLs) == 0 && len(s.Sitemaps) == 0 {
				add(at+".start_urls", "a jsonld source needs start_urls or sitemaps")
			}
			for j, u := range append(append([]string{}, s.StartURLs...), s.Sitemaps...) {
				if err := checkURL(u); err != nil {
					field := fmt.Sprintf("%s.start_urls[%d]", at, j)
					if j >= len(s.StartURLs) {
						field = fmt.Sprintf("%s.sitemaps[%d]", at, j-len(s.StartURLs))
					}
					add(field, "%v", err)
				}
			}
		case TypeRSS:
			if len(s.Feeds) == 0 {
				add(at+".feeds", "an rss source needs at least one feed")
			}
			for j, u := range s.Feeds {
				if err := checkURL(u); err != nil {
					add(fmt.Sprintf("%s.feeds[%d]", at, j), "%v", err)
				}
			}
		case "":
			add(at+".type", "required (one of hn, greenhouse, lever, ashby, jsonld, rss)")
		default:
			add(at+".type", "unknown type %q (one of hn, greenhouse, lever, ashby, jsonld, rss)", s.Type)
		}
	}
	return errs
}

func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("invalid URL %q", raw)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http(s) URL", raw)
	}
	return nil
}
