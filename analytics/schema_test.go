package analytics

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEverythingCommented checks that every table, view and column of a
// fresh database carries a COMMENT, and that docs/schema.md names every view
// and view column.
func TestEverythingCommented(t *testing.T) {
	ctx := context.Background()
	s, err := OpenWork(ctx, filepath.Join(t.TempDir(), "st.duckdb"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, err := s.DB().QueryContext(ctx, `
		SELECT 'table ' || table_name FROM duckdb_tables() WHERE NOT internal AND NOT temporary AND coalesce(comment, '') = ''
		UNION ALL SELECT 'view ' || view_name FROM duckdb_views() WHERE NOT internal AND NOT temporary AND coalesce(comment, '') = ''
		UNION ALL SELECT 'column ' || table_name || '.' || column_name FROM duckdb_columns()
			WHERE NOT internal AND database_name <> 'temp' AND coalesce(comment, '') = ''`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var what string
		if err := rows.Scan(&what); err != nil {
			t.Fatal(err)
		}
		t.Errorf("no COMMENT on %s", what)
	}

	doc, err := os.ReadFile(filepath.Join("..", "docs", "schema.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	for _, v := range Views() {
		if !strings.Contains(text, "### `"+v+"`") {
			t.Errorf("docs/schema.md has no section for view %s", v)
			continue
		}
		section := text[strings.Index(text, "### `"+v+"`"):]
		if i := strings.Index(section[4:], "\n### "); i >= 0 {
			section = section[:i+4]
		}
		cols, err := s.DB().QueryContext(ctx, "SELECT column_name FROM duckdb_columns() WHERE table_name = ?", v)
		if err != nil {
			t.Fatal(err)
		}
		for cols.Next() {
			var c string
			if err := cols.Scan(&c); err != nil {
				t.Fatal(err)
			}
			if !regexp.MustCompile(`\b` + regexp.QuoteMeta(c) + `\b`).MatchString(section) {
				t.Errorf("docs/schema.md section %s does not name column %s", v, c)
			}
		}
		cols.Close()
	}
}
