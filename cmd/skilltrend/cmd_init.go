package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/skilltrend/skilltrend/config"
)

// cmdInit writes the commented starter config; it never overwrites a file.
func cmdInit(_ context.Context, e *env, args []string) error {
	f := newFlags(e, "init", "[FILE]")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() > 1 {
		return usagef("init takes at most one file name")
	}
	path := defaultConfigFile
	if f.NArg() == 1 {
		path = f.Arg(0)
	}
	file, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return usagef("init: %s exists; not overwriting it", path)
	}
	if err != nil {
		return fmt.Errorf("init: %w", err)
	}
	if _, err := file.Write(config.Starter(e.now())); err != nil {
		file.Close()
		return fmt.Errorf("init: %w", err)
	}
	if err := file.Close(); err != nil {
		return fmt.Errorf("init: %w", err)
	}
	fmt.Fprintln(e.stdout, path)
	return nil
}
