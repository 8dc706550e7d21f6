package workflow_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/memstore"
	"github.com/socialflow/socialflow/workflow/team"
)

// newTeamWith returns a team with owner "boss" of workspace "w" holding one
// fakenet channel "c".
func newTeamWith(t *testing.T) *team.Team {
	t.Helper()
	tm, err := team.NewTeam()
	require.NoError(t, err)
	require.NoError(t, tm.AddOrganization(team.Organization{ID: "o", Kind: team.OrgCompany}))
	require.NoError(t, tm.AddMember(team.Member{ID: "boss"}))
	require.NoError(t, tm.AddWorkspace(team.Workspace{ID: "w", OrgID: "o"}, "boss", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
	require.NoError(t, tm.AddChannel(team.Channel{ID: "c", WorkspaceID: "w", Network: fakenet.Network}))
	return tm
}

func TestNewReportsEveryProblemAtOnce(t *testing.T) {
	net := fakenet.New(fakenet.Options{})
	wired := &workflow.Connections{}
	pub, err := networks.NewPublisher(net.Adapter())
	require.NoError(t, err)
	wired.SetPublisher(fakenet.Network, pub)
	acct, tok := net.Connect("c")
	acct.Tokens = oauth2.StaticTokenSource(tok)
	wired.SetAccount("c", acct)
	noAccount := &workflow.Connections{}
	noAccount.SetPublisher(fakenet.Network, pub)

	for _, tt := range []struct {
		name   string
		cfg    workflow.Config
		fields []string // the ValidationErrors' fields, in order
		wiring []string // the WiringError's channels
	}{
		{"nothing", workflow.Config{}, []string{"Config.Store", "Config.Connector"}, nil},
		{"refused options too", workflow.Config{Connector: wired,
			Service:    []workflow.ServiceOption{workflow.WithIDs(nil)},
			Dispatcher: []workflow.DispatcherOption{workflow.WithConcurrency(0)}},
			[]string{"Config.Store", "ids", "concurrency"}, nil},
		{"a channel that cannot publish", workflow.Config{Team: newTeamWith(t), Store: memstore.New(), Connector: noAccount}, nil, []string{"c"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			svc, d, err := workflow.New(t.Context(), tt.cfg)
			assert.Nil(t, svc)
			assert.Nil(t, d)
			require.ErrorIs(t, err, socialflow.ErrInvalid)
			var ce *workflow.ConfigError
			require.ErrorAs(t, err, &ce)
			var fields []string
			var wiring []string
			for _, p := range ce.Problems {
				var ve *workflow.ValidationError
				var we *workflow.WiringError
				switch {
				case errors.As(p, &ve):
					fields = append(fields, ve.Field)
				case errors.As(p, &we):
					for _, wp := range we.Problems {
						wiring = append(wiring, wp.Channel)
					}
				default:
					t.Errorf("unexpected problem %v", p)
				}
			}
			assert.Equal(t, tt.fields, fields)
			assert.Equal(t, tt.wiring, wiring)
		})
	}
}

func TestNewWiresServiceAndDispatcherOverOneStore(t *testing.T) {
	net := fakenet.New(fakenet.Options{})
	conns := &workflow.Connections{}
	pub, err := networks.NewPublisher(net.Adapter())
	require.NoError(t, err)
	conns.SetPublisher(fakenet.Network, pub)
	acct, tok := net.Connect("c")
	acct.Tokens = oauth2.StaticTokenSource(tok)
	conns.SetAccount("c", acct)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	svc, d, err := workflow.New(t.Context(), workflow.Config{
		Team: newTeamWith(t), Store: memstore.New(), Connector: conns,
		Clock: networks.ClockFunc(func() time.Time { return now }),
	})
	require.NoError(t, err)
	p, err := svc.CreatePost(t.Context(), "boss", workflow.NewPost{Workspace: "w", Channels: []string{"c"}, Content: workflow.Content{Text: "hello"}})
	require.NoError(t, err)
	_, err = svc.Submit(t.Context(), "boss", p.ID)
	require.NoError(t, err)
	_, err = svc.PublishNow(t.Context(), "boss", p.ID)
	require.NoError(t, err)
	rep, err := d.RunOnce(t.Context(), now)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Published)
	got, err := svc.Post(t.Context(), "boss", p.ID)
	require.NoError(t, err)
	assert.Equal(t, workflow.StatePublished, got.State)
}
