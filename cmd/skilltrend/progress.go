package main

import (
	"github.com/schollz/progressbar/v3"
)

// progress shows a progress bar on stderr when it is a terminal and does
// nothing otherwise, so cron output stays empty.
type progress struct {
	bar *progressbar.ProgressBar
}

// newProgress starts a bar; total -1 means unknown (a spinner with a count).
func newProgress(e *env, total int64, what string) *progress {
	if !e.terminal {
		return &progress{}
	}
	return &progress{bar: progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(e.stderr),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("postings"),
		progressbar.OptionThrottle(100_000_000),
		progressbar.OptionClearOnFinish(),
	)}
}

func (p *progress) add(n int) {
	if p.bar != nil {
		_ = p.bar.Add(n)
	}
}

func (p *progress) done() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
