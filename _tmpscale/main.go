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
	"github.com/skilltrend/skilltrend/extract"
	"github.com/skilltrend/skilltrend/synth"
)

func main() {
	ctx := context.Background()
	mode, db := os.Args[1], os.Args[2]
	pf, _ := os.Create("/tmp/cpu-" + mode + ".prof")
	pprof.StartCPUProfile(pf)
	defer pprof.StopCPUProfile()
	t0 := time.Now()
	st, err := analytics.OpenWork(ctx, db, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println("open", time.Since(t0))
	switch mode {
	case "import":
		f, _ := os.Open(os.Args[3])
		var buf []skilltrend.Posting
		var decT, upT time.Duration
		t := time.Now()
		_, err := synth.ReadJSONL(ctx, bufio.NewReaderSize(f, 1<<20), func(p skilltrend.Posting) error {
			buf = append(buf, p)
			if len(buf) == 50000 {
				decT += time.Since(t)
				t = time.Now()
				_, err := st.UpsertPostings(ctx, buf)
				upT += time.Since(t)
				buf = buf[:0]
				t = time.Now()
				return err
			}
			return nil
		})
		if err != nil {
			panic(err)
		}
		t = time.Now()
		_, err = st.UpsertPostings(ctx, buf)
		upT += time.Since(t)
		fmt.Println("decode", decT, "upsert", upT, err)
	case "clear":
		_, err := st.DB().ExecContext(ctx, "DELETE FROM posting_skills; DELETE FROM extractions")
		fmt.Println("clear", err)
	case "extract":
		tax, _ := extract.DefaultTaxonomy()
		tg := extract.NewTagger(tax)
		st.SyncSkills(ctx, tax.Version(), tax.Skills())
		var tagT, saveT, readT time.Duration
		t1 := time.Now()
		n := 0
		err = st.PostingsToTag(ctx, tax.Version(), false, 16384, func(b []skilltrend.Posting) error {
			readT += time.Since(t1)
			if n%(16384*8) == 0 {
				fmt.Println("page", n, time.Since(t1))
			}
			t := time.Now()
			out := make([]skilltrend.Extraction, len(b))
			for i := range b {
				out[i] = tg.Extract(b[i])
			}
			tagT += time.Since(t)
			t = time.Now()
			err := st.SaveExtractions(ctx, out)
			saveT += time.Since(t)
			n += len(b)
			t1 = time.Now()
			return err
		})
		if err != nil {
			panic(err)
		}
		fmt.Println("postings", n, "read", readT, "tag", tagT, "save", saveT)
		t0 = time.Now()
		if err := st.Aggregate(ctx); err != nil {
			panic(err)
		}
		fmt.Println("aggregate", time.Since(t0))
	}
	t0 = time.Now()
	if err := st.Publish(ctx); err != nil {
		panic(err)
	}
	fmt.Println("publish", time.Since(t0))
}
