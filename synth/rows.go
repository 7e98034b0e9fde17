package synth

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/skilltrend/skilltrend"
)

// RowError is one input row that was skipped, with the line it starts on
// (1-based).
type RowError struct {
	Line int
	Err  error
}

func (e RowError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

func (e RowError) Unwrap() error { return e.Err }

// RowErrors are the rows an import skipped, in input order. A reader
// returns them beside its error, which is reserved for failures that stop
// the import (I/O, cancellation, emit).
type RowErrors []RowError

// Err is nil when no row was skipped and otherwise joins the row errors.
func (es RowErrors) Err() error {
	if len(es) == 0 {
		return nil
	}
	errs := make([]error, len(es))
	for i, e := range es {
		errs[i] = e
	}
	return errors.Join(errs...)
}

var periods = map[string]bool{"hour": true, "day": true, "week": true, "month": true, "year": true}

// validate checks what every imported posting must satisfy, so one bad row
// cannot poison a load.
func validate(p *skilltrend.Posting) error {
	switch {
	case strings.TrimSpace(p.Source) == "":
		return errors.New("missing source")
	case strings.TrimSpace(p.SourceID) == "":
		return errors.New("missing source_id")
	case strings.TrimSpace(p.Title) == "" && strings.TrimSpace(p.Description) == "":
		return errors.New("neither title nor description")
	}
	switch p.WorkMode {
	case "", skilltrend.WorkModeRemote, skilltrend.WorkModeHybrid, skilltrend.WorkModeOnsite, skilltrend.WorkModeUnknown:
	default:
		return fmt.Errorf("unknown work_mode %q", p.WorkMode)
	}
	if s := p.Salary; s != nil {
		for _, v := range []float64{s.Min, s.Max} {
			if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("bad salary amount %v", v)
			}
		}
		if s.Min > 0 && s.Max > 0 && s.Min > s.Max {
			return fmt.Errorf("salary min %v above max %v", s.Min, s.Max)
		}
		if s.Period != "" && !periods[s.Period] {
			return fmt.Errorf("unknown salary period %q", s.Period)
		}
		if s.Currency != "" && !isCurrencyCode(s.Currency) {
			return fmt.Errorf("bad currency %q", s.Currency)
		}
	}
	return nil
}

func isCurrencyCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := range 3 {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}
