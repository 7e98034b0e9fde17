package analytics

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExport(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "st.duckdb")
	load(t, ctx, dbPath, marketV1)
	db, err := OpenReadOnly(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mem, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()

	for _, format := range []string{"parquet", "csv"} {
		t.Run(format, func(t *testing.T) {
			out := filepath.Join(dir, "export-"+format)
			if err := Export(ctx, db, format, out); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(filepath.Join(out, "postings", "month=2025-03")); err != nil {
				t.Fatalf("postings not partitioned by month: %v", err)
			}
			for _, v := range Views() {
				if _, err := os.Stat(filepath.Join(out, v)); err != nil {
					t.Errorf("view %s not exported: %v", v, err)
				}
			}
			reader := map[string]string{"parquet": "read_parquet", "csv": "read_csv"}[format]
			read := func(name string) string {
				return reader + "('" + filepath.ToSlash(filepath.Join(out, name)) + "/*/*." + format + "', hive_partitioning = true)"
			}
			// The exported demand equals the view it came from.
			var fromFile, fromDB string
			q := `SELECT string_agg(concat_ws(',', month, skill_id, role, postings, total_postings, round(share_low, 9)), ';'
				ORDER BY month, skill_id, role) FROM `
			if err := mem.QueryRowContext(ctx, q+"(SELECT * FROM "+
				strings.Replace(read("skill_demand_monthly"), "hive_partitioning = true", "hive_partitioning = true, hive_types = {'month': VARCHAR}", 1)+")").Scan(&fromFile); err != nil {
				t.Fatal(err)
			}
			if err := db.QueryRowContext(ctx, q+"(SELECT strftime(month, '%Y-%m') AS month, * EXCLUDE (month) FROM skill_demand_monthly)").Scan(&fromDB); err != nil {
				t.Fatal(err)
			}
			if fromFile != fromDB || fromDB == "" {
				t.Fatalf("exported skill_demand_monthly differs from the view:\nfile %.200s\ndb   %.200s", fromFile, fromDB)
			}
			var n int
			if err := mem.QueryRowContext(ctx, "SELECT count(*) FROM "+read("posting_skills")).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != countTags(marketV1) {
				t.Fatalf("exported %d tags, want %d", n, countTags(marketV1))
			}
		})
	}
	if err := Export(ctx, db, "xlsx", dir); err == nil {
		t.Fatal("unknown format accepted")
	}
}
