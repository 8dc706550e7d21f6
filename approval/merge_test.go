package approval_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/approval"
)

// channelRouter routes by channel: "open" needs nothing, "blog" has an
// optional review, "shop" needs the team, "ads" goes through legal, "eu"
// needs the team under another name.
func channelRouter(t testing.TB) *approval.Router {
	t.Helper()
	r, err := approval.ParseRouter([]byte(`{
  "policies": {
    "direct": {"kind": "none"},
    "quiet": {"kind": "none"},
    "review": {"kind": "optional", "stages": [{"approvers": {"members": ["rev"]}}]},
    "peer": {"kind": "optional", "stages": [{}], "allow_self_approval": true},
    "team": {"kind": "required", "stages": [{"approvers": {"members": ["ana", "bo"]}, "deadline": {"within": "24h"}}]},
    "team2": {"kind": "required", "stages": [{"approvers": {"members": ["bo", "ana"]}, "quorum": {"rule": "all"}, "deadline": {"within": "24h"}}]},
    "legal": {"kind": "multi_level", "skip_roles": ["owner"], "stages": [
      {"name": "editor", "approvers": {"members": ["ana", "bo"]}},
      {"name": "legal", "approvers": {"members": ["lea"]}, "deadline": {"within": "8h"}}]}
  },
  "rules": [
    {"name": "open channel", "when": {"channels": ["open"]}, "policy": "direct"},
    {"name": "quiet channel", "when": {"channels": ["quiet"]}, "policy": "quiet"},
    {"name": "blog", "when": {"channels": ["blog"]}, "policy": "review"},
    {"name": "peers", "when": {"channels": ["peer"]}, "policy": "peer"},
    {"name": "shop", "when": {"channels": ["shop"]}, "policy": "team"},
    {"name": "eu shop", "when": {"channels": ["eu"]}, "policy": "team2"},
    {"name": "ads", "when": {"channels": ["ads"]}, "policy": "legal"}
  ],
  "default": "direct"
}`))
	require.NoError(t, err)
	return r
}

func onChannels(chs ...string) []approval.Attributes {
	out := make([]approval.Attributes, len(chs))
	for i, c := range chs {
		out[i] = approval.Attributes{Workspace: "w", Channel: c, Kind: "post", Text: "hello"}
	}
	return out
}

func allApprovers(p approval.Policy) []string {
	var out []string
	for _, st := range p.Stages {
		out = append(out, st.Approvers.Members...)
		for _, g := range st.Approvers.Groups {
			out = append(out, p.Groups[g]...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func TestRouteAllStrictest(t *testing.T) {
	r := channelRouter(t)
	for _, tt := range []struct {
		name      string
		channels  []string
		kind      approval.Kind
		policy    string
		stages    []string
		approvers []string
		explains  []string // fragments of Match.String()
	}{
		{name: "one channel routes like Route", channels: []string{"shop"}, kind: approval.Required, policy: "team", stages: []string{""}, approvers: []string{"ana", "bo"}},
		{name: "none everywhere is none", channels: []string{"open", "other"}, kind: approval.None, policy: "direct"},
		{name: "two different none policies stay none", channels: []string{"open", "quiet"}, kind: approval.None, policy: "direct+quiet"},
		{name: "optional over none", channels: []string{"open", "blog"}, kind: approval.Optional, policy: "review", stages: []string{""}, approvers: []string{"rev"},
			explains: []string{`rule "blog"`, `outweighed: [rule "open channel" -> policy "direct"`}},
		{name: "required over none and optional", channels: []string{"blog", "open", "shop"}, kind: approval.Required, policy: "team", stages: []string{""}, approvers: []string{"ana", "bo"},
			explains: []string{`rule "shop" -> policy "team"`, `rule "blog" -> policy "review"`}},
		{name: "required and multi-level merge", channels: []string{"shop", "ads"}, kind: approval.MultiLevel, policy: "legal+team",
			stages: []string{"editor", "legal"}, approvers: []string{"ana", "bo", "lea"},
			explains: []string{`strictest of 2`, `rule "ads" -> policy "legal"`, `rule "shop" -> policy "team"`}},
		{name: "same approvers take the stricter quorum", channels: []string{"eu", "shop"}, kind: approval.MultiLevel, policy: "team+team2",
			stages: []string{"team"}, approvers: []string{"ana", "bo"}},
		{name: "two optional reviews merge", channels: []string{"peer", "blog"}, kind: approval.Optional, policy: "peer+review", stages: []string{""}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, m, err := r.RouteAll(onChannels(tt.channels...))
			require.NoError(t, err)
			require.NoError(t, p.Validate())
			assert.Equal(t, tt.kind, p.Kind)
			assert.Equal(t, tt.policy, p.Name)
			assert.Equal(t, tt.policy, m.Policy)
			var names []string
			for _, st := range p.Stages {
				names = append(names, st.Name)
			}
			assert.Equal(t, tt.stages, names)
			if tt.approvers != nil {
				assert.Equal(t, tt.approvers, allApprovers(p))
			}
			for _, f := range tt.explains {
				assert.Contains(t, m.String(), f)
			}
		})
	}
}

// A post on a team channel and a legal channel needs both: the team's
// approval alone no longer lets it through, whatever the channel order.
func TestRouteAllNoBypass(t *testing.T) {
	r := channelRouter(t)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	s := approval.Subject{ID: "p", Version: 1, Author: "eve", SubmittedAt: at}
	for _, chs := range [][]string{{"shop", "ads"}, {"ads", "shop"}, {"open", "ads", "shop"}} {
		t.Run(strings.Join(chs, ","), func(t *testing.T) {
			p, _, err := r.RouteAll(onChannels(chs...))
			require.NoError(t, err)
			ds := []approval.Decision{{Approver: "ana", Verdict: approval.Approve, Stage: p.Stages[0].Name, Version: 1, At: at.Add(time.Hour)}}
			res, err := approval.Evaluate(p, s, ds, at.Add(2*time.Hour))
			require.NoError(t, err)
			assert.Equal(t, approval.Pending, res.Outcome)
			assert.False(t, res.Publishable)
			assert.Equal(t, []string{"lea"}, res.Awaiting)
			// A skip role of one policy does not skip another's stages.
			skip := []approval.Decision{{Approver: "olga", Role: "owner", Verdict: approval.Approve, Stage: p.Stages[0].Name, Version: 1, At: at.Add(time.Hour)}}
			res, err = approval.Evaluate(p, s, skip, at.Add(2*time.Hour))
			require.NoError(t, err)
			assert.NotEqual(t, approval.Approved, res.Outcome)
		})
	}
}

func TestMerge(t *testing.T) {
	req := func(name string, q approval.Quorum, members ...string) approval.Policy {
		return approval.Policy{Name: name, Kind: approval.Required, Stages: []approval.Stage{{Approvers: approval.Approvers{Members: members}, Quorum: q}}}
	}
	for _, tt := range []struct {
		name     string
		in       []approval.Policy
		kind     approval.Kind
		stages   int
		quorum   approval.Quorum // of the first stage
		selfOK   bool
		wantName string
	}{
		{name: "nothing is none", kind: approval.None},
		{name: "one policy unchanged", in: []approval.Policy{req("a", approval.Quorum{}, "x")}, kind: approval.Required, stages: 1, wantName: "a"},
		{name: "equal policies count once", in: []approval.Policy{req("a", approval.Quorum{}, "x"), req("a", approval.Quorum{}, "x")}, kind: approval.Required, stages: 1, wantName: "a"},
		{name: "same set: all beats any", in: []approval.Policy{req("a", approval.Quorum{}, "x", "y"), req("b", approval.Quorum{Rule: approval.All}, "y", "x")},
			kind: approval.MultiLevel, stages: 1, quorum: approval.Quorum{Rule: approval.All}, wantName: "a+b"},
		{name: "same set: at least 2 beats any", in: []approval.Policy{req("b", approval.Quorum{Rule: approval.AtLeast, N: 2}, "x", "y", "z"), req("a", approval.Quorum{}, "x", "y", "z")},
			kind: approval.MultiLevel, stages: 1, quorum: approval.Quorum{Rule: approval.AtLeast, N: 2}, wantName: "a+b"},
		{name: "different sets: both stages", in: []approval.Policy{req("a", approval.Quorum{}, "x"), req("b", approval.Quorum{}, "y")},
			kind: approval.MultiLevel, stages: 2, wantName: "a+b"},
		{name: "self-approval only when every policy allows it", in: []approval.Policy{
			{Name: "a", Kind: approval.Required, AllowSelfApproval: true, Stages: []approval.Stage{{Approvers: approval.Approvers{Members: []string{"x"}}}}},
			req("b", approval.Quorum{}, "y")}, kind: approval.MultiLevel, stages: 2, wantName: "a+b"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := approval.Merge(tt.in...)
			require.NoError(t, err)
			require.NoError(t, got.Validate())
			assert.Equal(t, tt.kind, got.Kind)
			assert.Equal(t, tt.wantName, got.Name)
			require.Len(t, got.Stages, tt.stages)
			if tt.stages > 0 && tt.quorum != (approval.Quorum{}) {
				assert.Equal(t, tt.quorum, got.Stages[0].Quorum)
			}
			assert.Equal(t, tt.selfOK, got.AllowSelfApproval)
			// Merge is independent of the order of its arguments.
			rev := slices.Clone(tt.in)
			slices.Reverse(rev)
			again, err := approval.Merge(rev...)
			require.NoError(t, err)
			assert.Equal(t, got, again)
		})
	}
	_, err := approval.Merge(approval.Policy{Kind: "bogus"})
	require.ErrorIs(t, err, socialflow.ErrInvalid)
}

// Shuffling the channels of a post never changes the routed policy or its
// explanation; the result is None only when every channel routes to None,
// and every approver of every channel's blocking policy keeps a say.
func TestRouteAllOrderIndependentProperty(t *testing.T) {
	r := channelRouter(t)
	chans := []string{"open", "quiet", "blog", "peer", "shop", "eu", "ads", "other"}
	rng := rand.New(rand.NewPCG(12, 5))
	for i := range 500 {
		n := 1 + rng.IntN(5)
		var chs []string
		for range n {
			chs = append(chs, chans[rng.IntN(len(chans))])
		}
		attrs := onChannels(chs...)
		want, wm, err := r.RouteAll(attrs)
		require.NoError(t, err)
		require.NoError(t, want.Validate(), "case %d %v", i, chs)
		for range 3 {
			sh := slices.Clone(attrs)
			rng.Shuffle(len(sh), func(a, b int) { sh[a], sh[b] = sh[b], sh[a] })
			got, gm, err := r.RouteAll(sh)
			require.NoError(t, err)
			require.Equal(t, want, got, "channels %v", chs)
			require.Equal(t, wm.String(), gm.String())
		}
		allNone, anyBlocking := true, false
		var need []string
		for _, a := range attrs {
			p, _, err := r.Route(a)
			require.NoError(t, err)
			if p.Kind != approval.None && p.Kind != "" {
				allNone = false
			}
			if p.Kind == approval.Required || p.Kind == approval.MultiLevel {
				anyBlocking = true
				need = append(need, allApprovers(p)...)
			}
		}
		assert.Equal(t, allNone, want.Kind == approval.None, fmt.Sprint(chs))
		assert.Equal(t, anyBlocking, want.Kind == approval.Required || want.Kind == approval.MultiLevel, fmt.Sprint(chs))
		got := allApprovers(want)
		for _, id := range need {
			assert.Contains(t, got, id, fmt.Sprint(chs))
		}
	}
}

func TestRouteAllZeroRouter(t *testing.T) {
	var r approval.Router
	_, _, err := r.RouteAll(onChannels("a"))
	require.ErrorIs(t, err, socialflow.ErrNotFound)
}
