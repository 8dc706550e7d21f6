package pgstore

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one embedded schema version.
type migration struct {
	version int
	name    string
	sql     string
	sum     string // hex SHA-256 of sql
}

// migrations are the embedded versions in order: file NNNN_name.sql is
// version NNNN, and versions run 1, 2, 3, ... without gaps.
var migrations = loadMigrations()

func loadMigrations() []migration {
	names, _ := fs.Glob(migrationFS, "migrations/*.sql") // cannot fail: a constant pattern
	sort.Strings(names)
	out := make([]migration, 0, len(names))
	for i, n := range names {
		base := strings.TrimPrefix(n, "migrations/")
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil || v != i+1 {
			// A build-time mistake in this package, caught by
			// TestMigrationsAreNumbered; never reached by a host.
			continue
		}
		b, _ := migrationFS.ReadFile(n) // cannot fail: the name came from the same FS
		sum := sha256.Sum256(b)
		out = append(out, migration{version: v, name: strings.TrimSuffix(base, ".sql"), sql: string(b), sum: hex.EncodeToString(sum[:])})
	}
	return out
}

// SchemaVersion is the newest schema version this code knows.
func SchemaVersion() int { return len(migrations) }

// lockKey is the advisory lock key of the schema's migrations.
func (s *Store) lockKey() int64 {
	h := fnv.New64a()
	h.Write([]byte("socialflow/pgstore migrate " + s.schema))
	return int64(h.Sum64())
}

// Migrate brings the schema to [SchemaVersion]: it takes a session advisory
// lock (so concurrent callers wait, then find nothing to do), creates the
// schema and the version table when missing, checks what is recorded, and
// applies each missing version in a transaction of its own that also
// records it. A process killed meanwhile leaves the database at the
// previous version (the advisory lock ends with its session); the next
// Migrate resumes. It refuses, changing nothing, a schema newer than this
// code, a gap in the recorded versions, or a recorded version whose
// checksum differs from the embedded migration ([*SchemaError]). It reports
// what it applied through the returned count.
func (s *Store) Migrate(ctx context.Context) error {
	_, err := s.MigrateCount(ctx)
	return err
}

// MigrateCount is [Store.Migrate] that also returns how many versions it
// applied (0 when the schema was current).
func (s *Store) MigrateCount(ctx context.Context) (int, error) {
	if err := done(ctx); err != nil {
		return 0, err
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return 0, dbErr("migrate: connect", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", s.lockKey()); err != nil {
		return 0, dbErr("migrate: lock", err)
	}
	defer func() {
		_, _ = conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", s.lockKey())
	}()
	if _, err := conn.Exec(ctx, s.sql(`CREATE SCHEMA IF NOT EXISTS {s}`)); err != nil {
		return 0, dbErr("migrate: create schema", err)
	}
	if _, err := conn.Exec(ctx, s.sql(`CREATE TABLE IF NOT EXISTS {s}.schema_migrations (
		version    integer PRIMARY KEY,
		name       text NOT NULL,
		checksum   text NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now())`)); err != nil {
		return 0, dbErr("migrate: create version table", err)
	}
	applied, err := s.recorded(ctx, conn.Conn())
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range migrations[len(applied):] {
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, s.sql(m.sql)); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, s.sql(`INSERT INTO {s}.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)`), m.version, m.name, m.sum)
			return err
		})
		if err != nil {
			return n, dbErr(fmt.Sprintf("migrate: apply version %d (%s)", m.version, m.name), err)
		}
		n++
	}
	return n, nil
}

// recorded reads the recorded versions and checks them against the
// embedded ones.
func (s *Store) recorded(ctx context.Context, conn *pgx.Conn) ([]migration, error) {
	rows, err := conn.Query(ctx, s.sql(`SELECT version, name, checksum FROM {s}.schema_migrations ORDER BY version`))
	if err != nil {
		return nil, dbErr("migrate: read versions", err)
	}
	var got []migration
	for rows.Next() {
		var m migration
		if err := rows.Scan(&m.version, &m.name, &m.sum); err != nil {
			rows.Close()
			return nil, dbErr("migrate: read versions", err)
		}
		got = append(got, m)
	}
	if err := rows.Err(); err != nil {
		return nil, dbErr("migrate: read versions", err)
	}
	found := 0
	if len(got) > 0 {
		found = got[len(got)-1].version
	}
	bad := func(reason string) error {
		return &SchemaError{Schema: s.schema, Found: found, Known: len(migrations), Reason: reason}
	}
	if found > len(migrations) {
		return nil, bad("the database was migrated by a newer version of this code: upgrade the code, do not downgrade the schema")
	}
	for i, m := range got {
		if m.version != i+1 {
			return nil, bad(fmt.Sprintf("version %d is missing while %d is recorded: the schema was changed by hand; restore it from a backup", i+1, m.version))
		}
		if m.sum != migrations[i].sum {
			return nil, bad(fmt.Sprintf("version %d (%s) was recorded with another checksum than this code's: the migration was edited after it was applied", m.version, m.name))
		}
	}
	return got, nil
}
