package main

import (
	"bufio"
	"context"
	"fmt"
	"os"

	"github.com/skilltrend/skilltrend"
	"github.com/skilltrend/skilltrend/synth"
)

// cmdSynth writes the demo's synthetic market as JSON Lines of Posting, the
// format 'skilltrend import' reads, e.g. for benchmarks at scale.
func cmdSynth(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "synth", "--postings N --out FILE")
	n := f.Int("postings", 0, "number of postings (required)")
	out := f.String("out", "", "file to write, - for stdout (required)")
	months := f.Int("months", 36, "months the market covers")
	seed := f.Int64("seed", 1, "random seed; the same seed gives the same corpus")
	if err := f.parse(args); err != nil {
		return err
	}
	if *n < 1 || *out == "" {
		return usagef("synth: --postings N (positive) and --out FILE are required")
	}
	w := e.stdout
	var file *os.File
	if *out != "-" {
		var err error
		if file, err = os.Create(*out); err != nil {
			return fmt.Errorf("synth: %w", err)
		}
		defer file.Close()
		w = file
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	written := 0
	postings := func(yield func(skilltrend.Posting) bool) {
		for p := range synth.Stream(synth.Options{Seed: *seed, Postings: *n, Months: *months}) {
			if written%10000 == 0 && ctx.Err() != nil {
				return
			}
			if !yield(p) {
				return
			}
			written++
		}
	}
	if err := synth.WriteJSONL(bw, postings); err != nil {
		return fmt.Errorf("synth: write: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("synth: write: %w", err)
	}
	if file != nil {
		if err := file.Close(); err != nil {
			return fmt.Errorf("synth: write: %w", err)
		}
	}
	e.log.Info("synthetic corpus written", "postings", written, "file", *out)
	return nil
}
