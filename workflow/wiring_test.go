package workflow_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/team"
)

func TestDispatcherCheckWiringListsEveryProblem(t *testing.T) {
	channels := []team.Channel{
		{ID: "a", WorkspaceID: "w", Network: fakenet.Network},
		{ID: "b", WorkspaceID: "w", Network: "othernet"},
		{ID: "c", WorkspaceID: "w", Network: fakenet.Network},
		{ID: "d", WorkspaceID: "w", Network: "unregistered"},
		{ID: "e", WorkspaceID: "w", Network: fakenet.Network},
		{ID: "f", WorkspaceID: "w", Network: fakenet.Network},
	}
	type want struct{ channel, network, account, problem, fix string }
	for _, tt := range []struct {
		name     string
		channels []team.Channel
		want     []want
	}{
		{"all wired", channels[:1], nil},
		{"every kind of problem at once", channels, []want{
			{"b", "othernet", "b", "no token source", "WithTokenStore"},
			{"c", fakenet.Network, "", "no ID", "ID"},
			{"d", "unregistered", "", "no Publisher", `SetPublisher("unregistered"`},
			{"e", fakenet.Network, "e", `belongs to network "othernet"`, "account of the channel's network"},
			{"f", fakenet.Network, "", "no account", `SetAccount("f"`},
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				e := newDispatchEnv(t, fakenet.Options{}, tt.channels...)
				c := &workflow.Connections{}
				for name, n := range e.nets {
					pub, err := networks.NewPublisher(n.Adapter())
					require.NoError(t, err)
					c.SetPublisher(name, pub)
				}
				fake := e.nets[fakenet.Network]
				_, tok := fake.Connect("a")
				c.SetAccount("a", fake.ConnectToken("a", tok))
				c.SetAccount("b", networks.Account{ID: "b", Network: "othernet"}) // no tokens, and the Publisher has no TokenStore
				c.SetAccount("c", networks.Account{Network: fakenet.Network, Manual: true})
				c.SetAccount("e", networks.Account{ID: "e", Network: "othernet", Manual: true})
				d, err := workflow.NewDispatcher(e.svc, c)
				require.NoError(t, err)
				err = d.CheckWiring(t.Context(), "w")
				if tt.want == nil {
					require.NoError(t, err)
					return
				}
				require.ErrorIs(t, err, socialflow.ErrInvalid)
				var we *workflow.WiringError
				require.ErrorAs(t, err, &we)
				require.Len(t, we.Problems, len(tt.want), "%v", err)
				for i, w := range tt.want {
					p := we.Problems[i]
					assert.Equal(t, w.channel, p.Channel)
					assert.Equal(t, w.network, p.Network)
					assert.Equal(t, w.account, p.Account)
					assert.Equal(t, "w", p.Workspace)
					assert.Contains(t, p.Problem, w.problem)
					assert.Contains(t, p.Fix, w.fix)
				}

				// The Dispatcher reports the same problems on its first
				// step only, and still publishes what is wired.
				post := e.scheduled(t, "wired", time.Now(), "a", "d")
				_, err = d.RunOnce(t.Context(), time.Now())
				require.ErrorAs(t, err, &we)
				assert.Equal(t, workflow.TargetPublished, e.get(t, post.ID).Target("a").State)
				_, err = d.RunOnce(t.Context(), time.Now())
				require.NoError(t, err)
			})
		})
	}
}
