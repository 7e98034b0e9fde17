package analytics

import (
	"context"
	"database/sql"
	"database/sql/driver"
	_ "embed"
	"fmt"
	"strings"
	"time"
)

//go:embed sql/aggregate.sql
var aggregateSQL string

// Aggregate detects duplicates and rebuilds the derived tables behind the
// views. It does nothing when no load changed postings, tags or skills since
// the last aggregation, so a re-run with nothing new is fast.
func (s *Store) Aggregate(ctx context.Context) error {
	err := s.withConn(ctx, func(conn *sql.Conn) error {
		state := map[string]string{}
		rows, err := conn.QueryContext(ctx, "SELECT key, value FROM analytics_state")
		if err != nil {
			return err
		}
		for rows.Next() {
			var k, v string
			if err := rows.Scan(&k, &v); err != nil {
				rows.Close()
				return err
			}
			state[k] = v
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if state["dirty"] != "true" {
			s.log.Debug("aggregate: nothing new")
			return nil
		}
		start := time.Now()
		changed := 0
		if state["postings_dirty"] == "true" {
			if changed, err = dedup(ctx, conn); err != nil {
				return fmt.Errorf("dedup: %w", err)
			}
			s.log.Debug("aggregate step", "sql", "dedup", "took", time.Since(start).Round(time.Millisecond))
		}
		dedupDone := time.Now()
		exec := func(stmts []string) error {
			for _, stmt := range stmts {
				t := time.Now()
				if _, err := conn.ExecContext(ctx, stmt); err != nil {
					return err
				}
				s.log.Debug("aggregate step", "sql", firstLine(stmt), "took", time.Since(t).Round(time.Millisecond))
			}
			return nil
		}
		// The work tables are made before the transaction that replaces
		// the derived tables: DuckDB reads committed temporary tables
		// faster than a transaction's own (at a million postings agg_pairs
		// took 1.7 s instead of 2.8 s, agg_salary 1.1 s instead of 1.8 s).
		work, writes := splitWork(statements(aggregateSQL))
		if err := exec(work); err != nil {
			return err
		}
		if err := inTx(ctx, conn, s.bulk, func() error {
			if err := exec(writes); err != nil {
				return err
			}
			if err := trends(ctx, conn); err != nil {
				return fmt.Errorf("trends: %w", err)
			}
			_, err := conn.ExecContext(ctx, `INSERT OR REPLACE INTO analytics_state VALUES
				('dirty', 'false'), ('postings_dirty', 'false'), ('aggregated_at', ?)`, time.Now().UTC().Format(time.DateTime))
			return err
		}); err != nil {
			return err
		}
		_, err = conn.ExecContext(ctx, `DROP TABLE IF EXISTS tmp_job_skills; DROP TABLE IF EXISTS tmp_jobs; DROP TABLE IF EXISTS tmp_demand_fine;
			DROP TABLE IF EXISTS tmp_skill_nos; DROP TABLE IF EXISTS tmp_segments`)
		s.log.Info("aggregated", "duplicates_changed", changed,
			"dedup", dedupDone.Sub(start).Round(time.Millisecond), "tables", time.Since(dedupDone).Round(time.Millisecond))
		return err
	})
	if err != nil {
		return fmt.Errorf("aggregate: %w", err)
	}
	return nil
}

// trends fills agg_trends: per active skill, postings in the latest three
// months, the three before and the same three a year earlier, with
// two-proportion z-tests of recent vs prior and recent vs a year earlier.
func trends(ctx context.Context, conn *sql.Conn) error {
	if _, err := conn.ExecContext(ctx, "DELETE FROM agg_trends"); err != nil {
		return err
	}
	var last sql.NullTime
	if err := conn.QueryRowContext(ctx, "SELECT max(month) FROM agg_totals_monthly").Scan(&last); err != nil {
		return err
	}
	if !last.Valid {
		return nil
	}
	recentTo := last.Time.UTC()
	recentFrom := recentTo.AddDate(0, -2, 0)
	windows := [3][2]time.Time{
		{recentFrom, recentTo},
		{recentFrom.AddDate(0, -3, 0), recentFrom.AddDate(0, -1, 0)},
		{recentFrom.AddDate(-1, 0, 0), recentTo.AddDate(-1, 0, 0)},
	}
	var totals [3]int64
	for w, win := range windows {
		if err := conn.QueryRowContext(ctx, `SELECT coalesce(sum(total_postings), 0) FROM agg_totals_monthly
			WHERE role = 'all' AND seniority = 'all' AND work_mode = 'all' AND month BETWEEN ? AND ?`,
			win[0], win[1]).Scan(&totals[w]); err != nil {
			return err
		}
	}
	rows, err := conn.QueryContext(ctx, `SELECT s.skill_id,
		coalesce(sum(d.postings) FILTER (WHERE d.month BETWEEN ? AND ?), 0),
		coalesce(sum(d.postings) FILTER (WHERE d.month BETWEEN ? AND ?), 0),
		coalesce(sum(d.postings) FILTER (WHERE d.month BETWEEN ? AND ?), 0)
		FROM skills s LEFT JOIN agg_demand_monthly d
		  ON d.skill_id = s.skill_id AND d.role = 'all' AND d.seniority = 'all' AND d.work_mode = 'all'
		WHERE s.active GROUP BY s.skill_id`,
		windows[0][0], windows[0][1], windows[1][0], windows[1][1], windows[2][0], windows[2][1])
	if err != nil {
		return err
	}
	type row struct {
		skill string
		x     [3]int64
	}
	var rs []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.skill, &r.x[0], &r.x[1], &r.x[2]); err != nil {
			rows.Close()
			return err
		}
		rs = append(rs, r)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	return appendRows(conn, "agg_trends", func(add func(...driver.Value) error) error {
		for _, r := range rs {
			z, p, ok := TwoProportionZ(r.x[0], totals[0], r.x[1], totals[1])
			zy, py, oky := TwoProportionZ(r.x[0], totals[0], r.x[2], totals[2])
			if err := add(r.skill, r.x[0], totals[0], r.x[1], totals[1], r.x[2], totals[2],
				nullIf(z, ok), nullIf(p, ok), nullIf(zy, oky), nullIf(py, oky), recentFrom, recentTo); err != nil {
				return err
			}
		}
		return nil
	})
}

// statements splits a script whose statements end with ";" at the end of a line.
// splitWork separates the statements that make the session's work tables
// (CREATE OR REPLACE TEMP TABLE) from the rest, keeping their order.
func splitWork(stmts []string) (work, rest []string) {
	for _, stmt := range stmts {
		if strings.HasPrefix(firstLine(stmt), "CREATE OR REPLACE TEMP TABLE") {
			work = append(work, stmt)
		} else {
			rest = append(rest, stmt)
		}
	}
	return work, rest
}

func statements(script string) []string {
	var out []string
	for _, st := range strings.Split(script, ";\n") {
		if body := strings.TrimSpace(st); body != "" && !onlyComments(body) {
			out = append(out, body)
		}
	}
	return out
}

func onlyComments(s string) bool {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "--") {
			return false
		}
	}
	return true
}

func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "--") {
			return l
		}
	}
	return ""
}

func nullIf(f float64, ok bool) driver.Value {
	if !ok {
		return nil
	}
	return f
}
