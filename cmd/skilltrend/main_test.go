package main

import (
	"context"
	"encoding/json"
	"os"
	"testing"
)

// childArgsEnv carries the arguments of a child process that runs the real
// main, so tests can kill a skilltrend process the way cron's host would.
const childArgsEnv = "SKILLTREND_TEST_CHILD_ARGS"

func TestMain(m *testing.M) {
	if raw := os.Getenv(childArgsEnv); raw != "" {
		var args []string
		if err := json.Unmarshal([]byte(raw), &args); err != nil {
			panic(err)
		}
		os.Exit(run(context.Background(), args, os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
