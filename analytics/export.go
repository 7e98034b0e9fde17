package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// postingMonth is a posting's month on the views' time basis.
const postingMonth = "date_trunc('month', coalesce(p.posted_at, p.first_seen))::DATE AS month"

// exportSets are what Export writes: a name and the query that selects it.
// Those with a month are partitioned by it.
func exportSets() []struct{ name, query string } {
	sets := []struct{ name, query string }{
		{"postings", `SELECT * EXCLUDE (raw_html, url_key, company_key), ` + postingMonth + ` FROM postings p`},
		{"posting_skills", `SELECT ps.*, ` + postingMonth + ` FROM posting_skills ps JOIN postings p USING (posting_id)`},
		{"extractions", `SELECT e.*, ` + postingMonth + ` FROM extractions e JOIN postings p USING (posting_id)`},
		{"skills", "SELECT * FROM skills"},
		{"crawl_runs", "SELECT * FROM crawl_runs"},
	}
	for _, v := range Views() {
		sets = append(sets, struct{ name, query string }{v, "SELECT * FROM " + v})
	}
	return sets
}

// Export writes the postings, tags, extractions, skills, crawl runs and every
// documented view under dir, one directory per name, as parquet or csv. Sets
// with a month column are partitioned Hive-style (dir/NAME/month=2026-01/...);
// the month value is "YYYY-MM". Export reads db through SQL only, so it works
// on a read-only connection to the published file.
func Export(ctx context.Context, db *sql.DB, format, dir string) error {
	opts := ""
	switch format {
	case "parquet":
		opts = "FORMAT parquet, COMPRESSION zstd"
	case "csv":
		opts = "FORMAT csv, HEADER true"
	default:
		return fmt.Errorf("export: unknown format %q (want parquet or csv)", format)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	for _, set := range exportSets() {
		target := filepath.Join(dir, set.name)
		if err := os.RemoveAll(target); err != nil {
			return fmt.Errorf("export %s: %w", set.name, err)
		}
		hasMonth, err := hasColumn(ctx, db, set.query, "month")
		if err != nil {
			return fmt.Errorf("export %s: %w", set.name, err)
		}
		query := set.query
		var q string
		if hasMonth {
			// Partition directories read better as month=2026-01 than as a full date.
			query = "SELECT * REPLACE (strftime(month, '%Y-%m') AS month) FROM (" + set.query + ")"
			q = fmt.Sprintf("COPY (%s) TO '%s' (%s, PARTITION_BY (month), OVERWRITE_OR_IGNORE true)",
				query, sqlString(target), opts)
		} else {
			if err := os.MkdirAll(target, 0o755); err != nil {
				return fmt.Errorf("export %s: %w", set.name, err)
			}
			q = fmt.Sprintf("COPY (%s) TO '%s' (%s)", query, sqlString(filepath.Join(target, "data_0."+format)), opts)
		}
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("export %s: %w", set.name, err)
		}
	}
	return nil
}

func hasColumn(ctx context.Context, db *sql.DB, query, col string) (bool, error) {
	rows, err := db.QueryContext(ctx, "SELECT * FROM ("+query+") LIMIT 0")
	if err != nil {
		return false, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return false, err
	}
	for _, c := range cols {
		if c == col {
			return true, nil
		}
	}
	return false, rows.Err()
}

func sqlString(s string) string { return strings.ReplaceAll(s, "'", "''") }
