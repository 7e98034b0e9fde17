package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/skilltrend/skilltrend/extract"
)

// cmdVersion prints the module version, the Go version and the version of
// the built-in taxonomy.
func cmdVersion(_ context.Context, e *env, args []string) error {
	f := newFlags(e, "version", "")
	if err := f.parse(args); err != nil {
		return err
	}
	version := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		version = bi.Main.Version
	}
	tax, err := extract.DefaultTaxonomy()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "skilltrend %s %s taxonomy %s (%d skills)\n", version, runtime.Version(), tax.Version(), len(tax.Skills()))
	return nil
}
