//go:build !unix

package crawler

import "time"

// cpuTime is not measured here; the pages/cpu-s metric is then meaningless.
func cpuTime() time.Duration { return 0 }
