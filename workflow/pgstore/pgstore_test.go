package pgstore_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/pgstore"
	"github.com/socialflow/socialflow/workflow/pgstore/internal/pgtest"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func TestWithSchemaRefusesWhatIsNotAnIdentifier(t *testing.T) {
	for _, name := range []string{"", "Upper", "1abc", "a-b", `a"; DROP TABLE x; --`, "pg_catalog", strings.Repeat("a", 64), "a b"} {
		t.Run(name, func(t *testing.T) {
			_, err := pgstore.New(nil, pgstore.WithSchema(name))
			require.ErrorIs(t, err, socialflow.ErrInvalid)
		})
	}
	_, err := pgstore.New(nil)
	require.ErrorIs(t, err, socialflow.ErrInvalid, "a nil pool")
}

func TestOpenRefusesABadURLWithoutEchoingIt(t *testing.T) {
	_, err := pgstore.Open(t.Context(), "postgres://u:s3cret@[bad")
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	assert.NotContains(t, err.Error(), "s3cret")
}

func fresh(t *testing.T) *pgstore.Store {
	t.Helper()
	s, err := pgstore.New(pgtest.Pool(t), pgstore.WithSchema(pgtest.Schema(t)))
	require.NoError(t, err)
	return s
}

func TestMethodsBeforeMigrateNameTheSchema(t *testing.T) {
	pgtest.URL(t)
	t.Parallel()
	s := fresh(t)
	_, err := s.GetPost(t.Context(), "p1")
	var se *pgstore.SchemaError
	require.ErrorAs(t, err, &se)
	assert.Contains(t, err.Error(), "call Migrate")
	assert.Equal(t, s.Schema(), se.Schema)
}

func TestConcurrentMigratesApplyEachVersionOnce(t *testing.T) {
	pgtest.URL(t)
	t.Parallel()
	s := fresh(t)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		total int
	)
	for range 4 {
		wg.Go(func() {
			n, err := s.MigrateCount(t.Context())
			assert.NoError(t, err)
			mu.Lock()
			total += n
			mu.Unlock()
		})
	}
	wg.Wait()
	assert.Equal(t, pgstore.SchemaVersion(), total, "every version applied once in all")
	n, err := s.MigrateCount(t.Context())
	require.NoError(t, err)
	assert.Zero(t, n)
}

func TestMigrateRefusesANewerSchema(t *testing.T) {
	pgtest.URL(t)
	t.Parallel()
	s := fresh(t)
	require.NoError(t, s.Migrate(t.Context()))
	_, err := s.Pool().Exec(t.Context(), `INSERT INTO "`+s.Schema()+`".schema_migrations (version, name, checksum) VALUES ($1, 'future', 'x')`, pgstore.SchemaVersion()+1)
	require.NoError(t, err)
	err = s.Migrate(t.Context())
	var se *pgstore.SchemaError
	require.ErrorAs(t, err, &se)
	require.ErrorIs(t, err, socialflow.ErrConflict)
	assert.Equal(t, pgstore.SchemaVersion()+1, se.Found)
	assert.Contains(t, err.Error(), "newer")
}

func TestMigrateRefusesAnEditedOrMissingVersion(t *testing.T) {
	pgtest.URL(t)
	t.Parallel()
	for _, tc := range []struct{ name, sql, want string }{
		{"edited", `UPDATE %s.schema_migrations SET checksum = 'changed' WHERE version = 1`, "checksum"},
		{"gap", `DELETE FROM %s.schema_migrations WHERE version = 1`, "missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := fresh(t)
			require.NoError(t, s.Migrate(t.Context()))
			_, err := s.Pool().Exec(t.Context(), fmt.Sprintf(tc.sql, `"`+s.Schema()+`"`))
			require.NoError(t, err)
			err = s.Migrate(t.Context())
			require.ErrorIs(t, err, socialflow.ErrConflict)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// A process killed mid-migration: each version commits with its record, so
// what is left is the previous version, which the next Migrate resumes.
func TestMigrateResumesAfterAKilledMigration(t *testing.T) {
	pgtest.URL(t)
	t.Parallel()
	s := fresh(t)
	require.NoError(t, s.Migrate(t.Context()))
	// Undo the newest version (3, the inbox) as a killed migration leaves
	// it: not applied, not recorded (its transaction never committed).
	q := `"` + s.Schema() + `"`
	_, err := s.Pool().Exec(t.Context(), `DROP TABLE `+q+`.conversations, `+q+`.inbox_items, `+q+`.inbox_cursors, `+q+`.inbox_turns; DELETE FROM `+q+`.schema_migrations WHERE version = 3`)
	require.NoError(t, err)
	n, err := s.MigrateCount(t.Context())
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	_, err = s.NextTurn(t.Context(), "k")
	require.NoError(t, err)
}

// Migrate under a cancelled context mid-way leaves no version half-applied.
func TestMigrateCancelledChangesNothingHalfway(t *testing.T) {
	pgtest.URL(t)
	t.Parallel()
	s := fresh(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	require.ErrorIs(t, s.Migrate(ctx), context.Canceled)
	require.NoError(t, s.Migrate(t.Context()))
}

// hostile are values a host might pass that break string-built SQL.
var hostile = []string{
	`'; DROP TABLE posts; --`, `"quoted"`, `a\b`, `%_`, `$1`, "line\nbreak", `') OR 1=1 --`, "ünï©ødé 🎉", strings.Repeat("x", 5000),
}

func TestHostileValuesRoundTrip(t *testing.T) {
	pgtest.URL(t)
	t.Parallel()
	s := pgtest.Store(t)
	ctx := t.Context()
	for i, v := range hostile {
		id := fmt.Sprintf("%d%s", i, v)
		p := workflow.Post{ID: id, Workspace: v, Author: v, State: workflow.StateDraft, Labels: []string{v},
			Content: workflow.Content{Text: v}, Targets: []workflow.Target{{Channel: v, Network: "x", State: workflow.TargetScheduled, At: t0}}}
		_, err := s.CreatePost(ctx, p)
		require.NoError(t, err, "value %q", v)
		got, err := s.GetPost(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, v, got.Content.Text)
		posts, err := s.ListPosts(ctx, workflow.PostQuery{Workspace: v})
		require.NoError(t, err)
		require.Len(t, posts, 1, "the workspace %q matches itself only", v)
		require.NoError(t, s.Spend(ctx, v, t0))
		require.ErrorIs(t, s.Spend(ctx, v, t0), socialflow.ErrDuplicate)
		l, err := s.Acquire(ctx, v, v, t0, time.Minute)
		require.NoError(t, err)
		require.NoError(t, s.Release(ctx, l))
		require.NoError(t, s.Tokens().Save(ctx, v, &oauth2.Token{AccessToken: v, RefreshToken: v}))
		tok, err := s.Tokens().Load(ctx, v)
		require.NoError(t, err)
		assert.Equal(t, v, tok.AccessToken)
		page, err := s.Assets().Search(ctx, assets.Query{Folder: "", Text: v})
		require.NoError(t, err)
		assert.Empty(t, page.Assets)
	}
	due, err := s.DueTargets(ctx, workflow.DueQuery{Before: t0})
	require.NoError(t, err)
	assert.Len(t, due, len(hostile))
	all, err := s.ListPosts(ctx, workflow.PostQuery{})
	require.NoError(t, err)
	assert.Len(t, all, len(hostile), "no value changed another row")
}

func TestNULIsAClearInvalidError(t *testing.T) {
	pgtest.URL(t)
	t.Parallel()
	s := pgtest.Store(t)
	ctx := t.Context()
	nul := "a\x00b"
	cases := []struct {
		name  string
		field string
		call  func() error
	}{
		{"post id", "post.id", func() error { _, err := s.CreatePost(ctx, workflow.Post{ID: nul}); return err }},
		{"post text", "post", func() error {
			_, err := s.CreatePost(ctx, workflow.Post{ID: "p", Content: workflow.Content{Text: nul}})
			return err
		}},
		{"get", "post.id", func() error { _, err := s.GetPost(ctx, nul); return err }},
		{"key", "key", func() error { return s.Spend(ctx, nul, t0) }},
		{"lease", "lease.key", func() error { _, err := s.Acquire(ctx, nul, "h", t0, time.Minute); return err }},
		{"event", "event", func() error {
			return s.AppendEvent(ctx, workflow.Event{Seq: 1, Summary: nul})
		}},
		{"task", "task.assignee", func() error { return s.PutTask(ctx, workflow.Task{ID: "t", Assignee: nul}) }},
		{"token", "token.access_token", func() error {
			return s.Tokens().Save(ctx, "a", &oauth2.Token{AccessToken: "secret\x00value"})
		}},
		{"due cursor", "query.after.post", func() error {
			_, err := s.DueTargets(ctx, workflow.DueQuery{Before: t0, After: workflow.DueEntry{Post: nul}})
			return err
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.call()
			var ie *pgstore.InvalidError
			require.ErrorAs(t, err, &ie)
			require.ErrorIs(t, err, socialflow.ErrInvalid)
			assert.Equal(t, c.field, ie.Field)
			assert.NotContains(t, err.Error(), "secret")
		})
	}
	// A JSON-escaped backslash before u0000 is not a NUL.
	_, err := s.CreatePost(ctx, workflow.Post{ID: "p", Content: workflow.Content{Text: `\u0000`}})
	require.NoError(t, err)
}

func TestAnUnreachableDatabaseIsTransientAndNamesTheCause(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	_, err := pgstore.Open(ctx, "postgres://postgres:pw-secret@127.0.0.1:1/none?connect_timeout=2")
	require.Error(t, err)
	require.ErrorIs(t, err, socialflow.ErrTransient)
	var de *pgstore.DBError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "connect", de.Op)
	assert.NotContains(t, err.Error(), "pw-secret")
}
