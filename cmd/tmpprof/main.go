package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"github.com/skilltrend/skilltrend"
	"github.com/skilltrend/skilltrend/analytics"
	"github.com/skilltrend/skilltrend/synth"
)

func main() {
	ctx := context.Background()
	f, _ := os.Open(os.Args[1])
	t0 := time.Now()
	var ps []skilltrend.Posting
	synth.ReadJSONL(ctx, bufio.NewReaderSize(f, 1<<20), func(p skilltrend.Posting) error { ps = append(ps, p); return nil })
	fmt.Println("read", len(ps), time.Since(t0))
	os.Remove("/tmp/prof.duckdb")
	pf, _ := os.Create("/tmp/cpu.prof")
	pprof.StartCPUProfile(pf)
	t0 = time.Now()
	st, err := analytics.OpenWork(ctx, "/tmp/prof.duckdb", nil)
	if err != nil {
		panic(err)
	}
	fmt.Println("open", time.Since(t0))
	t0 = time.Now()
	for i := 0; i < len(ps); i += 50000 {
		if _, err := st.UpsertPostings(ctx, ps[i:min(i+50000, len(ps))]); err != nil {
			panic(err)
		}
	}
	fmt.Println("upsert", time.Since(t0))
	t0 = time.Now()
	st.Publish(ctx)
	fmt.Println("publish", time.Since(t0))
	pprof.StopCPUProfile()
}
