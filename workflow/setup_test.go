package workflow_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/approval"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/memstore"
	"github.com/socialflow/socialflow/workflow/team"
)

// TestSetUpMistakesAreClearErrors: a host's wiring mistakes are typed
// errors at construction or with the fix in the message, never a panic.
func TestSetUpMistakesAreClearErrors(t *testing.T) {
	reg, err := networks.NewRegistry(networks.DefaultSpecs()...)
	require.NoError(t, err)
	cases := []struct {
		name   string
		build  func() error
		wantIs error
		says   []string
	}{
		{"NetworkValidator without Specs", func() error {
			_, err := workflow.NewService(fixture(t), memstore.New(), workflow.WithValidator(workflow.NetworkValidator{}))
			return err
		}, socialflow.ErrInvalid, []string{"NetworkValidator.Specs"}},
		{"nil *NetworkValidator", func() error {
			_, err := workflow.NewService(fixture(t), memstore.New(), workflow.WithValidator((*workflow.NetworkValidator)(nil)))
			return err
		}, socialflow.ErrInvalid, []string{"NewNetworkValidator"}},
		{"NewNetworkValidator(nil)", func() error {
			_, err := workflow.NewNetworkValidator(nil, nil)
			return err
		}, socialflow.ErrInvalid, []string{"Specs"}},
		{"zero NetworkValidator used directly", func() error {
			return workflow.NetworkValidator{}.ValidateContent(t.Context(), team.Channel{ID: "c", Network: "x"}, workflow.Content{Text: "hi"})
		}, socialflow.ErrInvalid, []string{"Specs"}},
		{"unknown network fakenet", func() error {
			v, err := workflow.NewNetworkValidator(reg, nil)
			require.NoError(t, err)
			return v.ValidateContent(t.Context(), team.Channel{ID: "c", Network: fakenet.Network}, workflow.Content{Text: "hi"})
		}, socialflow.ErrNotFound, []string{`"fakenet"`, "register", "fakenet.DefaultSpec()"}},
		{"unknown network", func() error {
			v, err := workflow.NewNetworkValidator(reg, nil)
			require.NoError(t, err)
			return v.ValidateContent(t.Context(), team.Channel{ID: "c", Network: "myspace"}, workflow.Content{Text: "hi"})
		}, socialflow.ErrNotFound, []string{`"myspace"`, "register"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var err error
			require.NotPanics(t, func() { err = c.build() })
			require.ErrorIs(t, err, c.wantIs)
			for _, s := range c.says {
				assert.Contains(t, err.Error(), s)
			}
		})
	}

	t.Run("Submit with a validator missing a network's spec", func(t *testing.T) {
		tm := fixture(t)
		require.NoError(t, tm.AddChannel(team.Channel{ID: "fk", WorkspaceID: "brand", Network: fakenet.Network}))
		v, err := workflow.NewNetworkValidator(reg, nil)
		require.NoError(t, err)
		svc, err := workflow.NewService(tm, memstore.New(), workflow.WithValidator(v))
		require.NoError(t, err)
		p, err := svc.CreatePost(t.Context(), "boss", workflow.NewPost{Workspace: "brand", Channels: []string{"fk"}, Content: workflow.Content{Text: "hi"}})
		require.NoError(t, err)
		_, err = svc.Submit(t.Context(), "boss", p.ID)
		var ue *workflow.UnknownNetworkError
		require.ErrorAs(t, err, &ue)
		assert.Equal(t, "fk", ue.Channel)
	})
}

// TestEditNeedsTheRevisionRead: a zero Rev is invalid input naming Rev, not
// a "changed meanwhile" conflict.
func TestEditNeedsTheRevisionRead(t *testing.T) {
	e := newEnv(t)
	p := e.draft(t, "hello")
	text := &workflow.Content{Text: "hello again"}
	cases := []struct {
		name   string
		rev    int64
		wantIs error
	}{
		{"zero", 0, socialflow.ErrInvalid},
		{"stale", p.Rev + 5, socialflow.ErrConflict},
		{"current", p.Rev, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.svc.EditPost(t.Context(), "cat", p.ID, workflow.Edit{Rev: c.rev, Content: text})
			if c.wantIs == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, c.wantIs)
			if c.wantIs == socialflow.ErrInvalid {
				var ve *workflow.ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, "Rev", ve.Field)
				assert.Contains(t, err.Error(), "pass the revision read")
				assert.NotContains(t, err.Error(), "changed meanwhile")
			}
		})
	}
}

// TestEarlyLinkWaitsForItsStage: a link minted before its approver's stage
// is open says so (which stage is open, which is the approver's), stays
// unused, and decides once its stage opens.
func TestEarlyLinkWaitsForItsStage(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	p := e.draft(t, "Sponsored #ad", "sponsored")
	_, err := e.svc.Submit(ctx, "cat", p.ID)
	require.NoError(t, err)
	tok, err := e.svc.ApprovalLink(ctx, "mgr", workflow.ApprovalLinkRequest{Post: p.ID, Approver: "cli", Expires: e.clock.t.Add(24 * time.Hour)})
	require.NoError(t, err, "a link may be minted early")

	steps := []struct {
		name  string
		open  string
		after string // who decides before the link is tried
	}{
		{"brand stage open", "brand", ""},
		{"legal stage open", "legal", "app"},
	}
	for _, s := range steps {
		if s.after != "" {
			e.clock.advance(time.Hour)
			_, err := e.svc.Decide(ctx, s.after, workflow.DecideRequest{Post: p.ID, Verdict: approval.Approve})
			require.NoError(t, err)
		}
		_, err := e.svc.DecideByLink(ctx, workflow.DecideByLinkRequest{Post: p.ID, Token: tok, Verdict: approval.Approve})
		require.ErrorIs(t, err, socialflow.ErrConflict, s.name)
		var se *workflow.StageNotOpenError
		require.ErrorAs(t, err, &se, s.name)
		assert.Equal(t, "client", se.Stage, s.name)
		assert.Equal(t, s.open, se.Open, s.name)
		assert.NotContains(t, err.Error(), "not an approver", s.name)
	}
	e.clock.advance(time.Hour)
	_, err = e.svc.Decide(ctx, "lee", workflow.DecideRequest{Post: p.ID, Verdict: approval.Approve})
	require.NoError(t, err)
	got, err := e.svc.DecideByLink(ctx, workflow.DecideByLinkRequest{Post: p.ID, Token: tok, Verdict: approval.Approve})
	require.NoError(t, err, "the link decides once its stage is open")
	assert.Equal(t, workflow.StateApproved, got.State)
	assert.Len(t, got.LinksUsed, 1, "its use is saved with the decision")
}
