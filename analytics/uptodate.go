package analytics

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/skilltrend/skilltrend"
)

// The "nothing to do" checks below read the published file only. A run that
// would change nothing need not copy the database to a working file and
// publish it again, which at a million postings is most of its time.

// postingsVersionKey names the analytics_state row that changes whenever a
// load adds or changes postings; imports remember the value they left.
const postingsVersionKey = "postings_version"

const importKeyPrefix = "import:"

// bumpPostingsVersion marks that postings were added or changed.
const bumpPostingsVersion = "INSERT OR REPLACE INTO analytics_state VALUES ('" + postingsVersionKey + "', uuid()::VARCHAR)"

// ExtractUpToDate reports whether tagging at taxonomyVersion with skills, and
// aggregating, would change nothing in the published database at dbPath:
// its schema is current, its active skills are exactly skills at that
// version, every posting has an extraction at that version and the derived
// tables are not stale. It is false, without error, when nothing is
// published yet. The caller holds Lock.
func ExtractUpToDate(ctx context.Context, dbPath, taxonomyVersion string, skills []skilltrend.Skill) (bool, error) {
	ok, err := readPublished(ctx, dbPath, func(db *sql.DB) (bool, error) {
		if ok, err := schemaCurrent(ctx, db); !ok || err != nil {
			return false, err
		}
		var dirty string
		err := db.QueryRowContext(ctx, "SELECT coalesce(max(value), 'true') FROM analytics_state WHERE key = 'dirty'").Scan(&dirty)
		if err != nil || dirty == "true" {
			return false, err
		}
		if ok, err := skillsSynced(ctx, db, taxonomyVersion, skills); !ok || err != nil {
			return false, err
		}
		var pending bool
		err = db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM postings p WHERE NOT EXISTS (
			SELECT 1 FROM extractions e WHERE e.posting_id = p.posting_id AND e.taxonomy_version = ?))`,
			taxonomyVersion).Scan(&pending)
		return !pending, err
	})
	if err != nil {
		return false, fmt.Errorf("extract up to date %s: %w", dbPath, err)
	}
	return ok, nil
}

// Imported reports whether the published database at dbPath holds a
// complete import recorded under key by RecordImport, with no load having
// added or changed postings since: loading the same content again would
// change nothing but the postings' last_seen. It is false, without error,
// when nothing is published yet. The caller holds Lock.
func Imported(ctx context.Context, dbPath, key string) (bool, error) {
	ok, err := readPublished(ctx, dbPath, func(db *sql.DB) (bool, error) {
		if ok, err := schemaCurrent(ctx, db); !ok || err != nil {
			return false, err
		}
		var same bool
		err := db.QueryRowContext(ctx, `SELECT coalesce(max(i.value = coalesce(v.value, '')), false)
			FROM analytics_state i LEFT JOIN analytics_state v ON v.key = ?
			WHERE i.key = ?`, postingsVersionKey, importKeyPrefix+key).Scan(&same)
		return same, err
	})
	if err != nil {
		return false, fmt.Errorf("imported %s: %w", dbPath, err)
	}
	return ok, nil
}

// RecordImport notes that the content identified by key (a digest of a
// file and its format, chosen by the caller) is now completely loaded, so
// that Imported reports it once this working copy is published, until a
// later load adds or changes postings.
func (s *Store) RecordImport(ctx context.Context, key string) error {
	_, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO analytics_state
		SELECT ?, coalesce((SELECT value FROM analytics_state WHERE key = ?), '')`,
		importKeyPrefix+key, postingsVersionKey)
	if err != nil {
		return fmt.Errorf("record import %s: %w", key, err)
	}
	return nil
}

// readPublished runs check on the published file opened read-only; it
// reports false when there is no published file.
func readPublished(ctx context.Context, dbPath string, check func(*sql.DB) (bool, error)) (bool, error) {
	if _, err := os.Stat(dbPath); errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	// A WAL beside the published file means a crash in an odd place; let
	// the normal path deal with it.
	if _, err := os.Stat(dbPath + ".wal"); err == nil {
		return false, nil
	}
	db, err := OpenReadOnly(ctx, dbPath)
	if err != nil {
		return false, err
	}
	defer db.Close()
	return check(db)
}

// schemaCurrent reports whether the file has every embedded migration.
func schemaCurrent(ctx context.Context, db *sql.DB) (bool, error) {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return false, err
	}
	var v int
	if err := db.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&v); err != nil {
		return false, err
	}
	return v == ms[len(ms)-1].version, nil
}

// skillsSynced reports whether SyncSkills(taxonomyVersion, skills) would
// change nothing: the active skills are exactly skills, each stored with
// this name, category and taxonomy version.
func skillsSynced(ctx context.Context, db *sql.DB, taxonomyVersion string, skills []skilltrend.Skill) (bool, error) {
	var want []string
	seen := make(map[string]bool, len(skills))
	for _, sk := range skills {
		if seen[sk.ID] {
			continue // SyncSkills keeps the first of a repeated id
		}
		seen[sk.ID] = true
		want = append(want, strings.Join([]string{sk.ID, sk.Name, string(sk.Category), taxonomyVersion}, "\x00"))
	}
	slices.Sort(want)
	rows, err := db.QueryContext(ctx, `SELECT skill_id || chr(0) || name || chr(0) || category || chr(0) || taxonomy_version
		FROM skills WHERE active`)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return false, err
		}
		got = append(got, s)
	}
	if err := rows.Err(); err != nil {
		return false, err
	}
	slices.Sort(got)
	return slices.Equal(got, want), nil
}
