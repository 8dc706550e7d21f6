package workflow_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/approval"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/memstore"
	"github.com/socialflow/socialflow/workflow/team"
)

// scopedEnv adds to newEnv's team a manager "rig" restricted to channel ig
// of workspace brand.
func scopedEnv(t *testing.T) env {
	t.Helper()
	e := newEnv(t)
	ctx := t.Context()
	require.NoError(t, e.svc.AddMember(ctx, "boss", workflow.MemberRequest{From: "brand", Member: team.Member{ID: "rig"}}))
	_, err := e.svc.Invite(ctx, "boss", workflow.MembershipRequest{Member: "rig", Workspace: "brand", Role: team.RoleManager, Channels: []string{"ig"}})
	require.NoError(t, err)
	return e
}

// TestReadsApplyTheChannelScope: every read a host offers a member applies
// the member's channel scope, as the calendar views do.
func TestReadsApplyTheChannelScope(t *testing.T) {
	e := scopedEnv(t)
	ctx := t.Context()
	onX, err := e.svc.CreatePost(ctx, "cat", workflow.NewPost{Workspace: "brand", Channels: []string{"x"}, Content: workflow.Content{Text: "x only secret"}})
	require.NoError(t, err)
	onX, err = e.svc.EditPost(ctx, "cat", onX.ID, workflow.Edit{Rev: onX.Rev, Content: &workflow.Content{Text: "x only secret, edited"}})
	require.NoError(t, err)
	_, err = e.svc.Comment(ctx, "mgr", workflow.CommentRequest{Post: onX.ID, Body: "internal remark on x", Visibility: workflow.Internal})
	require.NoError(t, err)
	_, err = e.svc.AssignTask(ctx, "mgr", workflow.Task{ID: "tx", Workspace: "brand", Post: onX.ID, Assignee: "mgr", Due: t0.Add(-time.Hour)})
	require.NoError(t, err)

	reads := []struct {
		name string
		read func(actor string) error
	}{
		{"Post", func(a string) error { _, err := e.svc.Post(ctx, a, onX.ID); return err }},
		{"Versions", func(a string) error { _, err := e.svc.Versions(ctx, a, onX.ID); return err }},
		{"DiffVersions", func(a string) error { _, err := e.svc.DiffVersions(ctx, a, onX.ID, 1, 2); return err }},
		{"Comments", func(a string) error { _, err := e.svc.Comments(ctx, a, onX.ID); return err }},
		{"ApprovalStatus", func(a string) error { _, err := e.svc.ApprovalStatus(ctx, a, onX.ID); return err }},
		{"Duplicate", func(a string) error { _, err := e.svc.Duplicate(ctx, a, onX.ID, nil, time.Time{}); return err }},
		{"ApprovalLink", func(a string) error {
			_, err := e.svc.ApprovalLink(ctx, a, workflow.ApprovalLinkRequest{Post: onX.ID, Approver: "cli", Expires: t0.Add(time.Hour)})
			return err
		}},
		{"Comment", func(a string) error {
			_, err := e.svc.Comment(ctx, a, workflow.CommentRequest{Post: onX.ID, Body: "hello", Visibility: workflow.Internal})
			return err
		}},
	}
	for _, r := range reads {
		t.Run(r.name, func(t *testing.T) {
			require.NoError(t, r.read("mgr"), "an unrestricted member reads it")
			err := r.read("rig")
			require.ErrorIs(t, err, socialflow.ErrForbidden, "a member restricted to ig does not read an x post")
			var fe *team.ForbiddenError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, team.ReasonOutsideScope, fe.Reason)
		})
	}

	lists := []struct {
		name string
		has  func(actor string) bool
	}{
		{"Posts", func(a string) bool {
			ps, err := e.svc.Posts(ctx, a, "brand")
			require.NoError(t, err)
			return strings.Contains(fmt.Sprint(ps), onX.ID)
		}},
		{"AuditTrail", func(a string) bool {
			evs, err := e.svc.AuditTrail(ctx, a, "brand", 0)
			require.NoError(t, err)
			return strings.Contains(fmt.Sprint(evs), onX.ID)
		}},
		{"OverdueTasks", func(a string) bool {
			ts, err := e.svc.OverdueTasks(ctx, a, "brand")
			require.NoError(t, err)
			return len(ts) > 0
		}},
	}
	for _, l := range lists {
		t.Run(l.name, func(t *testing.T) {
			assert.True(t, l.has("mgr"), "an unrestricted member sees it")
			assert.False(t, l.has("rig"), "a member restricted to ig does not")
		})
	}
}

// TestReadsShowOnlyTheTargetsInScope: a post on ig and x shows a member
// restricted to ig only the ig target and its variant.
func TestReadsShowOnlyTheTargetsInScope(t *testing.T) {
	e := scopedEnv(t)
	ctx := t.Context()
	p, err := e.svc.CreatePost(ctx, "cat", workflow.NewPost{Workspace: "brand", Channels: []string{"ig", "x"}, Content: workflow.Content{Text: "base"},
		Variants: map[string]workflow.Content{"ig": {Text: "ig copy"}, "x": {Text: "x secret copy"}}})
	require.NoError(t, err)

	got, err := e.svc.Post(ctx, "rig", p.ID)
	require.NoError(t, err)
	require.Len(t, got.Targets, 1)
	assert.Equal(t, "ig", got.Targets[0].Channel)
	ps, err := e.svc.Posts(ctx, "rig", "brand")
	require.NoError(t, err)
	require.Len(t, ps, 1)
	assert.NotContains(t, fmt.Sprint(ps), "x secret copy")
	vs, err := e.svc.Versions(ctx, "rig", p.ID)
	require.NoError(t, err)
	require.Len(t, vs, 1)
	assert.NotContains(t, vs[0].Variants, "x")
	assert.Contains(t, vs[0].Variants, "ig")

	all, err := e.svc.Post(ctx, "mgr", p.ID)
	require.NoError(t, err)
	assert.Len(t, all.Targets, 2)
}

// TestNoticesGoOnlyToMembersInScope: whatever a routing table names,
// notices (which carry previews) reach only active members of the post's
// workspace who may see the post.
func TestNoticesGoOnlyToMembersInScope(t *testing.T) {
	const router = `{
  "policies": {"wide": {"name": "wide", "kind": "required", "stages": [{"approvers": {"members": ["app", "ghost", "sus", "oth", "rx"]}}]}},
  "default": "wide"
}`
	tm := fixture(t)
	for _, m := range []struct {
		id, ws   string
		channels []string
	}{{"app", "brand", nil}, {"sus", "brand", nil}, {"oth", "other", nil}, {"rx", "brand", []string{"x"}}} {
		require.NoError(t, tm.AddMember(team.Member{ID: m.id}))
		require.NoError(t, tm.Invite("boss", team.Membership{MemberID: m.id, WorkspaceID: m.ws, Role: team.RoleApprover, Channels: m.channels}, t0))
	}
	require.NoError(t, tm.Suspend("boss", "sus", "brand"))
	r, err := approval.ParseRouter([]byte(router))
	require.NoError(t, err)
	inbox := &workflow.Inbox{}
	svc, err := workflow.NewService(tm, memstore.New(), workflow.WithRouter(r), workflow.WithNotifier(inbox), workflow.WithClock(&fakeClock{t: t0}))
	require.NoError(t, err)
	ctx := t.Context()

	cases := []struct {
		name     string
		channels []string
		want     []string
	}{
		{"post on ig: rx is restricted to x", []string{"ig"}, []string{"app"}},
		{"post on ig and x: rx sees the x target", []string{"ig", "x"}, []string{"app", "rx"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := len(inbox.Notices(workflow.NoticeApprovalRequested))
			p, err := svc.CreatePost(ctx, "boss", workflow.NewPost{Workspace: "brand", Channels: c.channels, Content: workflow.Content{Text: "secret launch"}})
			require.NoError(t, err)
			_, err = svc.Submit(ctx, "boss", p.ID)
			require.NoError(t, err)
			ns := inbox.Notices(workflow.NoticeApprovalRequested)
			require.Len(t, ns, before+1)
			assert.ElementsMatch(t, c.want, ns[before].To)
		})
	}
	_, err = svc.AssignTask(ctx, "boss", workflow.Task{Workspace: "brand", Assignee: "app", Step: "check"})
	require.NoError(t, err)
	for _, n := range inbox.Notices() {
		assert.NotContains(t, n.To, "oth", "a member of another workspace")
		assert.NotContains(t, n.To, "sus", "a suspended member")
		assert.NotContains(t, n.To, "ghost", "not a member")
	}
}

// concurrentStore makes the next UpdatePost lose a race: just before it, a
// concurrent writer changes the post.
type concurrentStore struct {
	*memstore.Store
	armed atomic.Bool
}

func (s *concurrentStore) UpdatePost(ctx context.Context, p workflow.Post) (workflow.Post, error) {
	if s.armed.CompareAndSwap(true, false) {
		cur, err := s.Store.GetPost(ctx, p.ID)
		if err != nil {
			return workflow.Post{}, err
		}
		cur.Labels = append(cur.Labels, "touched")
		if _, err := s.Store.UpdatePost(ctx, cur); err != nil {
			return workflow.Post{}, err
		}
	}
	return s.Store.UpdatePost(ctx, p)
}

// TestLinkIsSpentWithTheSavedDecision: a link whose decision could not be
// saved (a concurrent write) is not used up; once saved, a second use
// fails cleanly.
func TestLinkIsSpentWithTheSavedDecision(t *testing.T) {
	tm := fixture(t)
	for _, m := range []struct{ id, role string }{{"app", team.RoleApprover}, {"cli", team.RoleClient}, {"mgr", team.RoleManager}} {
		require.NoError(t, tm.AddMember(team.Member{ID: m.id}))
		require.NoError(t, tm.Invite("boss", team.Membership{MemberID: m.id, WorkspaceID: "brand", Role: m.role}, t0))
	}
	r, err := approval.ParseRouter([]byte(`{"policies": {"c": {"name": "c", "kind": "required", "stages": [{"approvers": {"members": ["cli"]}}]}}, "default": "c"}`))
	require.NoError(t, err)
	signer, err := approval.NewSigner(approval.Key{ID: "k1", Secret: []byte("0123456789abcdef0123456789abcdef")})
	require.NoError(t, err)
	store := &concurrentStore{Store: memstore.New()}
	clock := &fakeClock{t: t0}
	svc, err := workflow.NewService(tm, store, workflow.WithRouter(r), workflow.WithLinkSigner(signer), workflow.WithClock(clock))
	require.NoError(t, err)
	ctx := t.Context()
	p, err := svc.CreatePost(ctx, "boss", workflow.NewPost{Workspace: "brand", Channels: []string{"ig"}, Content: workflow.Content{Text: "client check"}})
	require.NoError(t, err)
	_, err = svc.Submit(ctx, "boss", p.ID)
	require.NoError(t, err)
	tok, err := svc.ApprovalLink(ctx, "mgr", workflow.ApprovalLinkRequest{Post: p.ID, Approver: "cli", Expires: t0.Add(24 * time.Hour)})
	require.NoError(t, err)
	clock.advance(time.Minute)

	steps := []struct {
		name   string
		race   bool
		wantIs error
	}{
		{"a concurrent write makes the save fail", true, socialflow.ErrConflict},
		{"the link was not used up: the retry decides", false, nil},
		{"a second use fails cleanly", false, socialflow.ErrDuplicate},
	}
	for _, s := range steps {
		store.armed.Store(s.race)
		got, err := svc.DecideByLink(ctx, workflow.DecideByLinkRequest{Post: p.ID, Token: tok, Verdict: approval.Approve})
		if s.wantIs == nil {
			require.NoError(t, err, s.name)
			assert.Equal(t, workflow.StateApproved, got.State, s.name)
			continue
		}
		require.ErrorIs(t, err, s.wantIs, s.name)
	}
	final, err := store.GetPost(ctx, p.ID)
	require.NoError(t, err)
	assert.Len(t, final.Decisions, 1, "exactly one decision recorded")
}

// TestEchoesAreBounded: a 100 KB post and long identifiers give bounded
// audit summaries, notices and errors.
func TestEchoesAreBounded(t *testing.T) {
	const router = `{
  "policies": {"brand": {"name": "brand", "kind": "required", "stages": [{"approvers": {"members": ["app"]}}]}},
  "rules": [{"name": "all text", "when": {"patterns": ["(?s)sale.*"]}, "policy": "brand"}],
  "default": "brand"
}`
	tm := fixture(t)
	require.NoError(t, tm.AddMember(team.Member{ID: "app"}))
	require.NoError(t, tm.Invite("boss", team.Membership{MemberID: "app", WorkspaceID: "brand", Role: team.RoleApprover}, t0))
	r, err := approval.ParseRouter([]byte(router))
	require.NoError(t, err)
	inbox := &workflow.Inbox{}
	svc, err := workflow.NewService(tm, memstore.New(), workflow.WithRouter(r), workflow.WithNotifier(inbox), workflow.WithClock(&fakeClock{t: t0}))
	require.NoError(t, err)
	ctx := t.Context()
	huge := "sale " + strings.Repeat("croissant ", 10_000)
	p, err := svc.CreatePost(ctx, "boss", workflow.NewPost{Workspace: "brand", Channels: []string{"ig"}, Content: workflow.Content{Text: huge}})
	require.NoError(t, err)
	_, err = svc.Submit(ctx, "boss", p.ID)
	require.NoError(t, err)
	_, err = svc.Comment(ctx, "boss", workflow.CommentRequest{Post: p.ID, Body: "@app " + huge, Visibility: workflow.Internal})
	require.NoError(t, err)
	_, err = svc.AssignTask(ctx, "boss", workflow.Task{Workspace: "brand", Post: p.ID, Assignee: "app", Step: huge})
	require.NoError(t, err)

	const bound = 1024
	evs, err := svc.AuditTrail(ctx, "boss", "brand", 0)
	require.NoError(t, err)
	require.NotEmpty(t, evs)
	for _, ev := range evs {
		assert.LessOrEqual(t, utf8.RuneCountInString(ev.Summary), bound, "audit %s", ev.Action)
	}
	got, err := svc.Post(ctx, "boss", p.ID)
	require.NoError(t, err)
	assert.LessOrEqual(t, utf8.RuneCountInString(got.Route), bound, "the routing explanation kept with the post")
	require.NotEmpty(t, inbox.Notices())
	for _, n := range inbox.Notices() {
		assert.LessOrEqual(t, utf8.RuneCountInString(n.Summary), bound, "notice %s", n.Kind)
	}

	longID := strings.Repeat("z", 100_000)
	errs := []error{}
	_, err = svc.Post(ctx, "boss", longID)
	errs = append(errs, err)
	_, err = svc.CreatePost(ctx, "boss", workflow.NewPost{Workspace: "brand", Channels: []string{longID}, Content: workflow.Content{Text: "x"}})
	errs = append(errs, err)
	_, err = svc.Post(ctx, longID, p.ID)
	errs = append(errs, err)
	require.NoError(t, svc.SetGuidelines(ctx, "boss", "brand", workflow.Guidelines{BannedWords: []string{"croissant"}}))
	p2, err := svc.CreatePost(ctx, "boss", workflow.NewPost{Workspace: "brand", Channels: []string{"ig"}, Content: workflow.Content{Text: huge}})
	require.NoError(t, err)
	_, err = svc.Submit(ctx, "boss", p2.ID)
	var ge *workflow.GuidelineError
	require.ErrorAs(t, err, &ge)
	assert.Len(t, ge.Findings, 10_000, "every finding is kept for errors.As")
	errs = append(errs, err)
	for i, err := range errs {
		require.Error(t, err, i)
		assert.LessOrEqual(t, len(err.Error()), bound, "error %d", i)
	}
}

// TestNoZeroTimeInNotices: no deadline and no due time are never rendered
// as year 1.
func TestNoZeroTimeInNotices(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	p := e.draft(t, "no deadline on this policy")
	_, err := e.svc.Submit(ctx, "cat", p.ID)
	require.NoError(t, err)
	_, err = e.svc.AssignTask(ctx, "mgr", workflow.Task{Workspace: "brand", Post: p.ID, Assignee: "cat", Step: "design"})
	require.NoError(t, err)
	kinds := []workflow.NoticeKind{workflow.NoticeApprovalRequested, workflow.NoticeTaskAssigned}
	for _, k := range kinds {
		ns := e.inbox.Notices(k)
		require.NotEmpty(t, ns, k)
		for _, n := range ns {
			assert.NotContains(t, n.Summary, "0001-01-01", k)
		}
	}
	evs, err := e.svc.AuditTrail(ctx, "boss", "brand", 0)
	require.NoError(t, err)
	for _, ev := range evs {
		assert.NotContains(t, ev.Summary, "0001-01-01", ev.Action)
	}
}

// TestCallerChosenIDsStayInTheirWorkspace: an ID of another workspace's
// task or post is refused, and nothing there changes.
func TestCallerChosenIDsStayInTheirWorkspace(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	_, err := e.svc.AssignTask(ctx, "boss", workflow.Task{ID: "t1", Workspace: "other", Assignee: "boss", Step: "theirs"})
	require.NoError(t, err)
	_, err = e.svc.CreatePost(ctx, "boss", workflow.NewPost{ID: "p1", Workspace: "other", Channels: []string{"li"}, Content: workflow.Content{Text: "theirs"}})
	require.NoError(t, err)

	writes := []struct {
		name  string
		write func() error
	}{
		{"task", func() error {
			_, err := e.svc.AssignTask(ctx, "mgr", workflow.Task{ID: "t1", Workspace: "brand", Assignee: "mgr", Step: "mine"})
			return err
		}},
		{"post", func() error {
			_, err := e.svc.CreatePost(ctx, "cat", workflow.NewPost{ID: "p1", Workspace: "brand", Channels: []string{"ig"}, Content: workflow.Content{Text: "mine"}})
			return err
		}},
	}
	for _, w := range writes {
		t.Run(w.name, func(t *testing.T) {
			err := w.write()
			require.ErrorIs(t, err, socialflow.ErrConflict)
			var te *workflow.IDTakenError
			require.True(t, errors.As(err, &te), "%v", err)
			assert.NotContains(t, err.Error(), "changed meanwhile")
		})
	}
	ts, err := e.store.Tasks(ctx, workflow.TaskQuery{Workspace: "other"})
	require.NoError(t, err)
	require.Len(t, ts, 1)
	assert.Equal(t, "theirs", ts[0].Step)
	p, err := e.store.GetPost(ctx, "p1")
	require.NoError(t, err)
	assert.Equal(t, "other", p.Workspace)

	_, err = e.svc.AssignTask(ctx, "mgr", workflow.Task{ID: "t2", Workspace: "brand", Assignee: "mgr", Step: "first"})
	require.NoError(t, err)
	_, err = e.svc.AssignTask(ctx, "mgr", workflow.Task{ID: "t2", Workspace: "brand", Assignee: "cat", Step: "reassigned"})
	require.NoError(t, err, "the same workspace reassigns its own task")
}
