package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/skilltrend/skilltrend/extract"
)

// cmdTag tags text from a file or stdin: one readable explanation, or with
// --jsonl one JSON result per input line.
func cmdTag(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "tag", "[--jsonl] [FILE|-]")
	jsonl := f.Bool("jsonl", false, `read {"id","title","text"} lines and write one JSON result per line`)
	cfgPath := f.String("config", "", "config file, for its taxonomy key")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() > 1 {
		return usagef("tag takes at most one file")
	}
	_, tax, err := loadConfigTaxonomy(e, *cfgPath, "")
	if err != nil {
		return err
	}
	in := e.stdin
	if name := f.Arg(0); name != "" && name != "-" {
		file, err := os.Open(name)
		if err != nil {
			return usagef("tag: %v", err)
		}
		defer file.Close()
		in = file
	}
	tagger := extract.NewTagger(tax)
	if *jsonl {
		return extract.TagJSONL(ctx, in, e.stdout, tagger)
	}
	text, err := io.ReadAll(in)
	if err != nil {
		return fmt.Errorf("tag: read input: %w", err)
	}
	return extract.Explain(e.stdout, tagger, string(text))
}
