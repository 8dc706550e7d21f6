// Package dispatchsoak is the set-up the adapters' Dispatcher soaks share:
// a team with one organization, workspace and member, one channel per
// account, a workflow Service over a memstore, Connections with the
// network's Publisher and the accounts, and a Dispatcher; posts scheduled
// through the Service; the Dispatcher stepped in virtual time until every
// target is published; and the targets' states tallied.
//
// It is test support: only tests import it, inside a testing/synctest
// bubble (time.Now and time.Sleep are the bubble's). What a soak asserts —
// duplicates, lost targets, limits, figures — stays in the soak.
package dispatchsoak

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/memstore"
	"github.com/socialflow/socialflow/workflow/team"
)

// The identifiers of the team New builds.
const (
	Org       = "o"    // the organization
	Workspace = "w"    // the workspace every channel is in
	Member    = "boss" // the member who creates, submits and schedules
)

// Config is what New wires.
type Config struct {
	// Network is the spec name of the network the channels publish to.
	Network string
	// Publisher publishes to Network.
	Publisher *networks.Publisher
	// Channel prefixes the channels' IDs: account i is on channel
	// Channel+i ("ig0", "ig1", …).
	Channel string
	// Accounts are connected one per channel, in order.
	Accounts []networks.Account
	// Service and Dispatcher are options for workflow.NewService and
	// workflow.NewDispatcher.
	Service    []workflow.ServiceOption
	Dispatcher []workflow.DispatcherOption
}

// Soak is a wired team, Service and Dispatcher, and the posts scheduled on
// it.
type Soak struct {
	Team       *team.Team
	Store      *memstore.Store
	Service    *workflow.Service
	Dispatcher *workflow.Dispatcher
	// Posts are the IDs of the posts Schedule scheduled, in order.
	Posts []string

	channels []string
}

// New wires cfg, failing t on any error. Call it inside the synctest
// bubble: the workspace is created at the bubble's time.Now.
func New(t testing.TB, cfg Config) *Soak {
	t.Helper()
	require.NotEmpty(t, cfg.Network, "dispatchsoak: Config.Network")
	require.NotNil(t, cfg.Publisher, "dispatchsoak: Config.Publisher")
	require.NotEmpty(t, cfg.Accounts, "dispatchsoak: Config.Accounts")
	tm, err := team.NewTeam()
	require.NoError(t, err)
	require.NoError(t, tm.AddOrganization(team.Organization{ID: Org, Kind: team.OrgCompany}))
	require.NoError(t, tm.AddMember(team.Member{ID: Member}))
	require.NoError(t, tm.AddWorkspace(team.Workspace{ID: Workspace, OrgID: Org}, Member, time.Now()))
	conns := &workflow.Connections{}
	conns.SetPublisher(cfg.Network, cfg.Publisher)
	s := &Soak{Team: tm, Store: memstore.New()}
	for i, acct := range cfg.Accounts {
		ch := fmt.Sprint(cfg.Channel, i)
		require.NoError(t, tm.AddChannel(team.Channel{ID: ch, WorkspaceID: Workspace, Network: cfg.Network}))
		conns.SetAccount(ch, acct)
		s.channels = append(s.channels, ch)
	}
	s.Service, err = workflow.NewService(tm, s.Store, cfg.Service...)
	require.NoError(t, err)
	s.Dispatcher, err = workflow.NewDispatcher(s.Service, conns, cfg.Dispatcher...)
	require.NoError(t, err)
	return s
}

// Channel is the ID of account i's channel, i modulo the number of
// accounts (so post i of a soak goes to Channel(i), round robin).
func (s *Soak) Channel(i int) string { return s.channels[i%len(s.channels)] }

// Schedule creates a post of c on Channel(i), submits it and schedules it
// a minute from now, records its ID in Posts and returns it.
func (s *Soak) Schedule(ctx context.Context, t testing.TB, i int, c workflow.Content) string {
	t.Helper()
	p, err := s.Service.CreatePost(ctx, Member, workflow.NewPost{Workspace: Workspace, Channels: []string{s.Channel(i)}, Content: c})
	require.NoError(t, err)
	_, err = s.Service.Submit(ctx, Member, p.ID)
	require.NoError(t, err)
	_, err = s.Service.Schedule(ctx, Member, p.ID, time.Now().Add(time.Minute))
	require.NoError(t, err)
	s.Posts = append(s.Posts, p.ID)
	return p.ID
}

// Run sleeps every and steps the Dispatcher at time.Now, then tallies the
// state of each post's (first) target, until every post is published or
// within has passed. visit, when not nil, sees each post after each step
// (a person acting on what the step left). Run returns the last tally and
// the virtual time it took.
func (s *Soak) Run(ctx context.Context, t testing.TB, every, within time.Duration, visit func(workflow.Post)) (map[workflow.TargetState]int, time.Duration) {
	t.Helper()
	start := time.Now()
	states := map[workflow.TargetState]int{}
	for time.Since(start) < within {
		time.Sleep(every)
		_, err := s.Dispatcher.RunOnce(ctx, time.Now())
		require.NoError(t, err)
		clear(states)
		for _, id := range s.Posts {
			p, err := s.Store.GetPost(ctx, id)
			require.NoError(t, err)
			states[p.Targets[0].State]++
			if visit != nil {
				visit(p)
			}
		}
		if states[workflow.TargetPublished] == len(s.Posts) {
			break
		}
	}
	return states, time.Since(start)
}

// Lost counts the posts whose (first) target is not published as a post
// the network holds (known reports whether it holds the target's
// Outcome.RemoteID), logging the first three.
func (s *Soak) Lost(ctx context.Context, t testing.TB, known func(remoteID string) bool) int {
	t.Helper()
	lost := 0
	for _, id := range s.Posts {
		p, err := s.Store.GetPost(ctx, id)
		require.NoError(t, err)
		if tg := p.Targets[0]; tg.State != workflow.TargetPublished || !known(tg.Outcome.RemoteID) {
			if lost++; lost <= 3 {
				t.Logf("not published: %s %q: %s", tg.State, tg.Outcome.RemoteID, tg.Outcome.Cause)
			}
		}
	}
	return lost
}

// Duplicates counts how many of keys repeat one before them: the number of
// posts made more than once, when keys are what identifies a post (its
// text).
func Duplicates[K comparable](keys []K) int {
	seen := make(map[K]bool, len(keys))
	dups := 0
	for _, k := range keys {
		if seen[k] {
			dups++
		}
		seen[k] = true
	}
	return dups
}
