package redisstore

import (
	"testing"

	"github.com/skilltrend/skilltrend/crawler/redisstore/redistest"
)

// startRedis runs a throwaway redis-server for one test, or skips the test
// when redis-server is not installed.
func startRedis(t testing.TB) string { return redistest.Start(t) }
