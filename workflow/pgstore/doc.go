// Package pgstore is socialflow's production store on PostgreSQL, through
// github.com/jackc/pgx/v5: a [Store] implements [workflow.Store], and
// [Store.Assets] and [Store.Tokens] give the asset library's
// [assets.Store] and the Publisher's [networks.TokenStore] over the same
// database, so several host replicas share one database and publish each
// target exactly once.
//
// # Wiring
//
//	st, err := pgstore.Open(ctx, os.Getenv("DATABASE_URL"))
//	if err != nil { ... }
//	defer st.Close()
//	if err := st.Migrate(ctx); err != nil { ... } // explicit, never at start
//	svc, err := workflow.NewService(team, st)          // workflow.Store
//	lib, err := assets.NewLibrary(st.Assets(), blobs)        // assets.Store
//	pub, err := networks.NewPublisher(adapter, networks.WithTokenStore(st.Tokens(), oauthConfig))
//
// A host that already has a *pgxpool.Pool passes it to [New] instead; the
// [WithSchema] option puts the tables in a schema of their own (default
// "socialflow").
//
// # Why a subpackage, not a nested module
//
// Go compiles only the packages a program imports, so an importer of
// workflow, networks or assets never compiles pgx: `go list -deps
// ./workflow/... ./networks/...` (without this package) names no pgx
// package. A nested module would add a second version to release and keep in
// step for no gain in build weight; the only cost of the subpackage is that
// pgx appears in the module's go.mod, which a module-aware build reads but
// does not download for packages it does not import.
//
// # Schema and migrations
//
// The schema is embedded (migrations/*.sql) and versioned. [Store.Migrate]
// applies the missing versions, each in its own transaction together with
// the row recording it, under an advisory lock, so two replicas migrating at
// once apply each version once and a process killed mid-migration leaves
// the previous version intact (the next Migrate resumes). Migrate refuses a
// schema newer than this code knows, a gap in the recorded versions, and a
// recorded version whose checksum differs from the embedded file
// ([*SchemaError]). Methods called before Migrate fail with a *SchemaError
// naming the schema.
//
// Times are timestamptz (microsecond resolution: index keys are rounded up to
// the microsecond, so nothing is reported due early), IDs are text ordered
// by byte (COLLATE "C", as Go compares strings), and values that are
// documents (posts, versions, comments, tasks, events, tokens, assets) are
// jsonb. Every query the stores make has an index.
//
// # Claims
//
// Beside [workflow.LeaseStore], [Store.ClaimDue] ([workflow.Claimer], which
// the Dispatcher uses when its store has it) claims a batch of due targets
// in one statement: it takes the due index in order with FOR UPDATE SKIP
// LOCKED, skips keys whose lease is live, grants (or takes over an expired)
// fenced lease for each and returns the posts, so replicas never wait on
// one another. [Store.AppendAfter] ([workflow.ChainAppender]) appends a run
// of audit events in one statement that checks the chain's head, so the
// audit log's batched appends cost one round trip. No method holds a
// transaction open across anything but its own statements.
//
// # Values
//
// Every value reaches the database as a bind parameter; SQL text is built
// only from constants and the schema identifier, which [WithSchema]
// validates. PostgreSQL text cannot hold a NUL byte: a string with one is a
// [*InvalidError] naming the field, matching socialflow.ErrInvalid.
package pgstore
