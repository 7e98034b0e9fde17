//go:build !unix

package extract

import (
	"testing"
	"time"
)

func cpuTime(testing.TB) time.Duration { return 0 }
