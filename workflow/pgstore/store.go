package pgstore

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/workflow"
)

// DefaultSchema is the schema the tables live in unless [WithSchema] says
// otherwise.
const DefaultSchema = "socialflow"

// Store is the PostgreSQL store. It is safe for concurrent use; its zero
// value is not usable: call [New] or [Open].
type Store struct {
	pool   *pgxpool.Pool
	schema string // as given
	quoted string // the schema as a quoted SQL identifier
	owned  bool   // Close closes the pool (Open made it)
}

var (
	_ workflow.Store      = (*Store)(nil)
	_ assets.Store        = (*AssetStore)(nil)
	_ networks.TokenStore = (*TokenStore)(nil)
)

// AssetStore is the asset library's [assets.Store] over the same database
// and schema as its [Store] (a type of its own so the two method sets
// cannot collide).
type AssetStore struct{ s *Store }

// Assets returns the [assets.Store] of s.
func (s *Store) Assets() *AssetStore { return &AssetStore{s: s} }

// TokenStore is the Publisher's [networks.TokenStore] over the same
// database and schema as its [Store]. Its errors never contain a token.
type TokenStore struct{ s *Store }

// Tokens returns the [networks.TokenStore] of s.
func (s *Store) Tokens() *TokenStore { return &TokenStore{s: s} }

// Option configures a [Store].
type Option func(*Store) error

// schemaName is what WithSchema accepts: an unquoted PostgreSQL identifier
// in lower case, at most 63 bytes (NAMEDATALEN-1).
var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// WithSchema puts the store's tables in schema name (default
// [DefaultSchema]): lower-case letters, digits and underscores, not starting
// with a digit, at most 63 bytes. Tests give each test a schema of its own
// and run in parallel on one database.
func WithSchema(name string) Option {
	return func(s *Store) error {
		if !schemaName.MatchString(name) || strings.HasPrefix(name, "pg_") {
			return &InvalidError{Field: "schema", Value: name, Reason: "must be a lower-case identifier of letters, digits and _ (at most 63, not starting with pg_ or a digit)"}
		}
		s.schema = name
		return nil
	}
}

// New returns a store over the host's pool. It does not touch the database:
// call [Store.Migrate] once (at deploy time, or at start by one replica;
// concurrent calls are safe) before using it. Close leaves the pool open.
func New(pool *pgxpool.Pool, opts ...Option) (*Store, error) {
	if pool == nil {
		return nil, &InvalidError{Field: "pool", Reason: "is nil"}
	}
	s := &Store{pool: pool, schema: DefaultSchema}
	for _, o := range opts {
		if err := o(s); err != nil {
			return nil, err
		}
	}
	s.quoted = pgx.Identifier{s.schema}.Sanitize()
	return s, nil
}

// Open connects a pool to url (a postgres:// URL or a key=value DSN, see
// pgxpool.ParseConfig) and returns a store over it, as [New] does; Close
// closes the pool. Open checks that the database answers.
func Open(ctx context.Context, url string, opts ...Option) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// The URL may hold a password: name only the problem.
		return nil, &InvalidError{Field: "url", Reason: "is not a PostgreSQL URL or DSN"}
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, dbErr("open", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, dbErr("connect", err)
	}
	s, err := New(pool, opts...)
	if err != nil {
		pool.Close()
		return nil, err
	}
	s.owned = true
	return s, nil
}

// Pool returns the pool the store uses.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Schema returns the schema the store's tables live in.
func (s *Store) Schema() string { return s.schema }

// Close closes the pool if [Open] made it; a pool passed to [New] stays
// open for its owner.
func (s *Store) Close() {
	if s.owned {
		s.pool.Close()
	}
}

// String describes the store without any connection secret.
func (s *Store) String() string { return "pgstore.Store{schema:" + echo.Quote(s.schema) + "}" }

// sql returns q with every {s} replaced by the quoted schema. q is always a
// constant of this package: values travel as parameters, never in q.
func (s *Store) sql(q string) string { return strings.ReplaceAll(q, "{s}", s.quoted) }

// done returns ctx's error, wrapped, if ctx is done.
func done(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("pgstore: %w", err)
	}
	return nil
}
