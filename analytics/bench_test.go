package analytics

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/skilltrend/skilltrend"
	"github.com/skilltrend/skilltrend/synth"
)

// benchExtractions builds n extractions with tagsEach distinct tags.
func benchExtractions(first int64, n, tagsEach int) []skilltrend.Extraction {
	ex := make([]skilltrend.Extraction, n)
	for i := range ex {
		tags := make([]skilltrend.Tag, tagsEach)
		for k := range tags {
			tags[k] = skilltrend.Tag{SkillID: fmt.Sprintf("s%03d", k*15+(i+k)%15), Required: k%3 != 0,
				Matches: []skilltrend.Match{{Start: k, End: k + 2}}}
		}
		ex[i] = skilltrend.Extraction{PostingID: first + int64(i), TaxonomyVersion: "bench", Role: skilltrend.RoleBackend,
			Seniority: skilltrend.SenioritySenior, WorkMode: skilltrend.WorkModeRemote, Tags: tags}
	}
	return ex
}

// cpuMeter measures the CPU time (user + system, all threads, DuckDB's
// included) the process spends from startCPU on: a throughput per CPU-second
// does not depend on how busy the shared machine is.
type cpuMeter struct {
	b     *testing.B
	start time.Duration
}

func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startCPU(b *testing.B) cpuMeter { return cpuMeter{b: b, start: processCPU(b)} }

func (m cpuMeter) seconds() float64 { return (processCPU(m.b) - m.start).Seconds() }

// BenchmarkAppendTags measures raw Appender throughput of tag rows into the
// staging table SaveExtractions uses.
func BenchmarkAppendTags(b *testing.B) {
	ctx := context.Background()
	s, err := OpenWork(ctx, filepath.Join(b.TempDir(), "bench.duckdb"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ex := benchExtractions(0, 100_000, 10) // 1M tag rows per iteration
	nums := map[string]int32{}
	num := func(id string) int32 {
		n, ok := nums[id]
		if !ok {
			n = int32(len(nums))
			nums[id] = n
		}
		return n
	}
	b.ResetTimer()
	cpu := startCPU(b)
	for b.Loop() {
		err := s.withConn(ctx, func(conn *sql.Conn) error {
			if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE stage_tags
				(posting_id BIGINT, skill_no INTEGER, required BOOLEAN, matches INTEGER)`); err != nil {
				return err
			}
			return appendRows(conn, "stage_tags", func(add func(...driver.Value) error) error {
				for _, e := range ex {
					if err := appendTags(add, e, num); err != nil {
						return err
					}
				}
				return nil
			})
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*1e6/b.Elapsed().Seconds(), "tagrows/s")
	b.ReportMetric(float64(b.N)*1e6/cpu.seconds(), "tagrows/cpu-s")
}

// BenchmarkSaveExtractions measures the whole SaveExtractions path (staging,
// tags through the Appender, upsert of the per-posting facts) for new postings.
func BenchmarkSaveExtractions(b *testing.B) {
	ctx := context.Background()
	s, err := OpenWork(ctx, filepath.Join(b.TempDir(), "bench.duckdb"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	const perIter = 100_000
	first := int64(0)
	b.ResetTimer()
	cpu := startCPU(b)
	for b.Loop() {
		b.StopTimer()
		ex := benchExtractions(first, perIter, 10)
		first += perIter
		b.StartTimer()
		if err := s.SaveExtractions(ctx, ex); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*perIter*10/b.Elapsed().Seconds(), "tagrows/s")
	b.ReportMetric(float64(b.N)*perIter*10/cpu.seconds(), "tagrows/cpu-s")
}

// buildBenchDB fills a working copy with nPostings postings over 24 months,
// tagsEach tags per posting from 150 skills, straight in SQL, and aggregates.
func buildBenchDB(b *testing.B, nPostings, tagsEach int) *Store {
	b.Helper()
	ctx := context.Background()
	s, err := OpenWork(ctx, filepath.Join(b.TempDir(), "bench.duckdb"), nil)
	if err != nil {
		b.Fatal(err)
	}
	var skills []skilltrend.Skill
	for k := range 150 {
		skills = append(skills, skilltrend.Skill{ID: fmt.Sprintf("s%03d", k), Name: fmt.Sprintf("Skill %d", k),
			Category: skilltrend.Categories()[k%len(skilltrend.Categories())]})
	}
	if err := s.SyncSkills(ctx, "bench", skills); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	for _, q := range []string{
		fmt.Sprintf(`INSERT INTO postings
			SELECT i, 'bench', i::VARCHAR, 'https://jobs.example/' || i, 'https://jobs.example/' || i,
			       'Engineer ' || (i %% 97), 'Company ' || (i %% 5000), 'Somewhere', 'unknown', NULL,
			       NULL, NULL, NULL, NULL,
			       TIMESTAMP '2024-01-01' + to_days(((i * 7919) %% 730)::INTEGER),
			       TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-01', 'text', NULL, i::UBIGINT, 0, NULL, NULL, now()
			FROM range(%d) t(i)`, nPostings),
		fmt.Sprintf(`INSERT INTO extractions
			SELECT i, 'bench', ['backend','frontend','fullstack','devops','data','ml','mobile','other'][1 + i %% 8],
			       ['intern','junior','mid','senior','staff+','lead','unknown'][1 + (i // 8) %% 7],
			       ['remote','hybrid','onsite','unknown'][1 + (i // 56) %% 4],
			       CASE WHEN i %% 5 = 0 THEN 80000 + (i %% 1000) * 100 END,
			       CASE WHEN i %% 5 = 0 THEN 100000 + (i %% 1000) * 100 END,
			       CASE WHEN i %% 5 = 0 THEN ['USD','EUR','GBP'][1 + i %% 3] END, now()
			FROM range(%d) t(i)`, nPostings),
		// Tag k of a posting comes from block k of 15 skills, so a posting's tags are distinct;
		// lower blocks are more popular because some postings have fewer tags.
		fmt.Sprintf(`INSERT INTO posting_skills
			SELECT i, 's' || lpad((k * 15 + (hash(i, k) %% 15))::VARCHAR, 3, '0'), k %% 3 <> 0, 'bench', 1
			FROM range(%d) t(i), range(%d) u(k)`, nPostings, tagsEach),
	} {
		if _, err := s.db.ExecContext(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("generated %d postings, %d tag rows in %v", nPostings, nPostings*tagsEach, time.Since(start).Round(time.Millisecond))
	if testing.Verbose() { // per-step timings of the aggregation
		s.log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	start = time.Now()
	if err := s.Aggregate(ctx); err != nil {
		b.Fatal(err)
	}
	s.log = slog.New(slog.DiscardHandler)
	b.Logf("aggregate over %d tag rows: %v", nPostings*tagsEach, time.Since(start).Round(time.Millisecond))
	start = time.Now()
	if err := s.Aggregate(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("aggregate again with nothing new: %v", time.Since(start).Round(time.Microsecond))
	return s
}

// BenchmarkViews10M reads every documented view completely (every column of
// every row is computed and hashed inside DuckDB) over 1M postings with 10M
// tag rows: sub-benchmark "all" reads all views per iteration, the others one
// view each.
func BenchmarkViews10M(b *testing.B) {
	s := buildBenchDB(b, 1_000_000, 10)
	defer s.Close()
	ctx := context.Background()
	read := func(b *testing.B, v string) {
		var n int64
		var h sql.NullInt64
		if err := s.db.QueryRowContext(ctx, "SELECT count(*), sum(hash(v) % 1000) FROM "+v+" v").Scan(&n, &h); err != nil {
			b.Fatalf("%s: %v", v, err)
		}
		if n == 0 {
			b.Fatalf("view %s is empty", v)
		}
	}
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			for _, v := range Views() {
				read(b, v)
			}
		}
	})
	for _, v := range Views() {
		b.Run(v, func(b *testing.B) {
			for b.Loop() {
				read(b, v)
			}
		})
	}
}

// synthPostings returns n synthetic postings and the bytes of their
// descriptions.
func synthPostings(n int) ([]skilltrend.Posting, int64) {
	ps := slices.Collect(synth.Stream(synth.Options{Postings: n}))
	var size int64
	for _, p := range ps {
		size += int64(len(p.Description))
	}
	return ps, size
}

// BenchmarkPreparePostings measures the Go side of storing postings: canonical
// URLs, content hashes, SimHash fingerprints and duplicate keys, on all cores,
// over synthetic postings (MB/s of description text).
func BenchmarkPreparePostings(b *testing.B) {
	ps, n := synthPostings(20_000)
	b.SetBytes(n)
	cpu := startCPU(b)
	for b.Loop() {
		PreparePostings(ps)
	}
	b.ReportMetric(float64(n)*float64(b.N)/1e6/cpu.seconds(), "MB/cpu-s")
}

// BenchmarkSimHash measures fingerprinting alone, on one core.
func BenchmarkSimHash(b *testing.B) {
	ps, n := synthPostings(2_000)
	b.SetBytes(n)
	for b.Loop() {
		for _, p := range ps {
			SimHash(p.Description)
		}
	}
}
