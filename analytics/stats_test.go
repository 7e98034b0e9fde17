package analytics

import (
	"context"
	"math"
	"path/filepath"
	"testing"
)

// Wilson intervals without continuity correction from Newcombe (1998),
// "Two-sided confidence intervals for the single proportion", Statistics in
// Medicine 17:857-872, Table I, method 3 (to 4 decimals).
var newcombe = []struct {
	x, n      int64
	low, high float64
}{
	{81, 263, 0.2553, 0.3662},
	{15, 148, 0.0624, 0.1605},
	{0, 20, 0.0000, 0.1611},
	{1, 29, 0.0061, 0.1718},
}

func TestWilson(t *testing.T) {
	for _, c := range newcombe {
		lo, hi := Wilson(c.x, c.n)
		if math.Abs(lo-c.low) > 0.00005 || math.Abs(hi-c.high) > 0.00005 {
			t.Errorf("Wilson(%d, %d) = [%.5f, %.5f], want [%.4f, %.4f]", c.x, c.n, lo, hi, c.low, c.high)
		}
	}
	if lo, hi := Wilson(0, 0); lo != 0 || hi != 1 {
		t.Errorf("Wilson(0, 0) = [%v, %v], want [0, 1]", lo, hi)
	}
	if lo, hi := Wilson(20, 20); hi != 1 || math.Abs(lo-(1-0.1611)) > 0.00005 {
		t.Errorf("Wilson(20, 20) = [%v, %v], want the mirror of 0/20", lo, hi)
	}
}

func TestTwoProportionZ(t *testing.T) {
	tests := []struct {
		name           string
		x1, n1, x2, n2 int64
		z, p           float64
		ok             bool
	}{
		// Pooled p = 0.5, se = sqrt(0.25 * 0.02), z = 0.2 / se = 2*sqrt(2); p = 2 * (1 - Phi(2.828427)).
		{"60/100 vs 40/100", 60, 100, 40, 100, 2 * math.Sqrt2, 0.0046777, true},
		{"reversed", 40, 100, 60, 100, -2 * math.Sqrt2, 0.0046777, true},
		{"equal", 30, 100, 60, 200, 0, 1, true},
		// Pooled p = 0.1, se = sqrt(0.09 * (1/500 + 1/500)) = 0.018974, z = 0.04 / se = 2.108185.
		{"60/500 vs 40/500", 60, 500, 40, 500, 2.108185, 0.035015, true},
		{"empty sample", 0, 0, 5, 10, 0, 1, false},
		{"both zero", 0, 10, 0, 20, 0, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z, p, ok := TwoProportionZ(tt.x1, tt.n1, tt.x2, tt.n2)
			if ok != tt.ok || math.Abs(z-tt.z) > 1e-6 || math.Abs(p-tt.p) > 1e-6 {
				t.Errorf("TwoProportionZ = %v, %v, %v; want %v, %v, %v", z, p, ok, tt.z, tt.p, tt.ok)
			}
		})
	}
	if p := 2 * normalSF(z95); math.Abs(p-0.05) > 1e-12 {
		t.Errorf("two-sided p at z95 = %v, want 0.05", p)
	}
}

// TestWilsonMacros checks the SQL macros the views use against Wilson.
func TestWilsonMacros(t *testing.T) {
	ctx := context.Background()
	s, err := OpenWork(ctx, filepath.Join(t.TempDir(), "st.duckdb"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cases := append(newcombe, struct {
		x, n      int64
		low, high float64
	}{7, 7, 0, 0}, struct {
		x, n      int64
		low, high float64
	}{3, 100000, 0, 0})
	for _, c := range cases {
		var lo, hi float64
		if err := s.DB().QueryRowContext(ctx, "SELECT wilson_low(?, ?), wilson_high(?, ?)", c.x, c.n, c.x, c.n).Scan(&lo, &hi); err != nil {
			t.Fatal(err)
		}
		wl, wh := Wilson(c.x, c.n)
		if math.Abs(lo-wl) > 1e-12 || math.Abs(hi-wh) > 1e-12 {
			t.Errorf("SQL wilson(%d, %d) = [%v, %v], Go = [%v, %v]", c.x, c.n, lo, hi, wl, wh)
		}
	}
	var null *float64
	if err := s.DB().QueryRowContext(ctx, "SELECT wilson_low(0, 0)").Scan(&null); err != nil || null != nil {
		t.Errorf("wilson_low(0, 0) = %v, %v; want NULL", null, err)
	}
}
