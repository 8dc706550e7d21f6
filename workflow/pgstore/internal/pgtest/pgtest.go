// Package pgtest gives pgstore's tests a PostgreSQL: the URL from
// SOCIALFLOW_POSTGRES_URL, a shared pool, and a fresh migrated schema per
// test so tests run in parallel on one database.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/socialflow/socialflow/workflow/pgstore"
)

// EnvURL names the variable holding the test database's URL.
const EnvURL = "SOCIALFLOW_POSTGRES_URL"

// HowTo says how to run the PostgreSQL tests.
const HowTo = "set " + EnvURL + " to run the PostgreSQL tests, e.g. " + EnvURL +
	"=postgres://postgres@127.0.0.1:5432/test (bash .ci/postgres/start.sh starts a throwaway server)"

// URL returns the test database's URL. Without one the test is skipped
// with [HowTo], except under CI (CI set), where it fails.
func URL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvURL)
	if u == "" {
		if os.Getenv("CI") != "" {
			t.Fatal(EnvURL + " is not set under CI: .ci/run sets it")
		}
		t.Skip(HowTo)
	}
	return u
}

var (
	once    sync.Once
	pool    *pgxpool.Pool
	poolErr error
)

// Pool returns a pool shared by the tests of one test binary. An
// unreachable database fails the test: the URL says there is one.
func Pool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	u := URL(t)
	once.Do(func() {
		cfg, err := pgxpool.ParseConfig(u)
		if err != nil {
			poolErr = err
			return
		}
		cfg.MaxConns = 16
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		pool, poolErr = pgxpool.NewWithConfig(ctx, cfg)
		if poolErr == nil {
			poolErr = pool.Ping(ctx)
		}
	})
	if poolErr != nil {
		t.Fatalf("the PostgreSQL at %s is unreachable: %v", EnvURL, poolErr)
	}
	return pool
}

// Schema returns a fresh schema name and drops the schema when t ends.
func Schema(t testing.TB) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "t_" + hex.EncodeToString(b)
	p := Pool(t)
	t.Cleanup(func() {
		_, _ = p.Exec(context.Background(), `DROP SCHEMA IF EXISTS "`+name+`" CASCADE`)
	})
	return name
}

// Store returns a migrated store in a fresh schema of its own.
func Store(t testing.TB) *pgstore.Store {
	t.Helper()
	s, err := pgstore.New(Pool(t), pgstore.WithSchema(Schema(t)))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}
