package analytics

import "math"

// z95 is the two-sided 95% quantile of the standard normal distribution.
const z95 = 1.959963984540054

// Wilson returns the 95% Wilson score interval of the proportion of x
// successes in n trials. With n == 0 it returns (0, 1): nothing is known.
func Wilson(x, n int64) (low, high float64) {
	if n <= 0 {
		return 0, 1
	}
	p := float64(x) / float64(n)
	nf := float64(n)
	z2 := z95 * z95
	centre := p + z2/(2*nf)
	margin := z95 * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	denom := 1 + z2/nf
	return math.Max(0, (centre-margin)/denom), math.Min(1, (centre+margin)/denom)
}

// TwoProportionZ tests whether x1/n1 and x2/n2 differ, with the pooled
// two-proportion z-test. It returns the z statistic (positive when the first
// proportion is larger) and the two-sided p-value; ok is false when the test
// is undefined (an empty sample, or both proportions 0 or both 1).
func TwoProportionZ(x1, n1, x2, n2 int64) (z, p float64, ok bool) {
	if n1 <= 0 || n2 <= 0 {
		return 0, 1, false
	}
	p1, p2 := float64(x1)/float64(n1), float64(x2)/float64(n2)
	pooled := float64(x1+x2) / float64(n1+n2)
	se := math.Sqrt(pooled * (1 - pooled) * (1/float64(n1) + 1/float64(n2)))
	if se == 0 {
		return 0, 1, false
	}
	z = (p1 - p2) / se
	return z, 2 * normalSF(math.Abs(z)), true
}

// normalSF is the standard normal survival function, P(Z > z).
func normalSF(z float64) float64 {
	return 0.5 * math.Erfc(z/math.Sqrt2)
}
