package workflow

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/workflow/team"
)

// MaxRemoteIDLength is the longest remote ID a person may report, in bytes.
const MaxRemoteIDLength = 1024

// Resolution is what a person found when checking an unconfirmed target by
// hand (see [Service.ResolveUnconfirmed]).
type Resolution struct {
	Post    string // the post's ID
	Channel string // the target's channel
	// Published says the post is live on the network. Then URL is
	// required: an absolute http or https URL, checked as
	// [networks.MarkPublished] checks it.
	Published bool
	URL       string
	// RemoteID is the network's ID of the post, for metrics collection
	// ([Dispatcher.CollectMetrics]). Optional: when empty, the ID the
	// target already carries is kept, else the URL stands for it (as
	// [networks.MarkPublished] does for manual posts).
	RemoteID string
}

// ManualPublication is what a person reports after publishing a manual
// target by hand (see [Service.MarkPublishedManually]): URL and RemoteID
// as in [Resolution].
type ManualPublication struct {
	Post     string
	Channel  string
	URL      string
	RemoteID string
}

// TargetStateError reports an action on a target that is not in the state
// the action needs. It matches socialflow.ErrConflict: reload and decide
// again.
type TargetStateError struct {
	Post    string
	Channel string
	State   TargetState // the target's state
	Want    TargetState // the state the action needs
}

func (e *TargetStateError) Error() string {
	return fmt.Sprintf("workflow: target %s is %s, not %s", echo.Quote(TargetKey(e.Post, e.Channel)), e.State, e.Want)
}

// Is reports whether target is socialflow.ErrConflict.
func (e *TargetStateError) Is(target error) bool { return target == socialflow.ErrConflict }

// ResolveUnconfirmed records what a person found when checking an
// unconfirmed target by hand: published (with its URL and, when known, its
// remote ID) or not (the target is scheduled again at once, in a new
// publishing round). actor needs [team.PermPublishNow] on the channel. A target
// that is not unconfirmed is a [*TargetStateError] (socialflow.ErrConflict);
// a URL that is not an absolute http(s) URL, or a URL or remote ID with a
// target reported not published, an error matching socialflow.ErrInvalid.
func (s *Service) ResolveUnconfirmed(ctx context.Context, actor string, r Resolution) (Post, error) {
	return s.resolveTarget(ctx, actor, r, TargetUnconfirmed)
}

// MarkPublishedManually records that a person published a manual target by
// hand, at m.URL (and m.RemoteID, when known). actor needs [team.PermPublishNow]
// on the channel. The checks are those of [Service.ResolveUnconfirmed], for
// a target that must be manual.
func (s *Service) MarkPublishedManually(ctx context.Context, actor string, m ManualPublication) (Post, error) {
	return s.resolveTarget(ctx, actor, Resolution{Post: m.Post, Channel: m.Channel, Published: true, URL: m.URL, RemoteID: m.RemoteID}, TargetManual)
}

func (s *Service) resolveTarget(ctx context.Context, actor string, r Resolution, from TargetState) (Post, error) {
	p, err := s.store.GetPost(ctx, r.Post)
	if err != nil {
		return Post{}, err
	}
	if err := s.allow(ctx, actor, team.PermPublishNow, team.Scope{Workspace: p.Workspace, Channel: r.Channel}); err != nil {
		return Post{}, err
	}
	t := p.Target(r.Channel)
	if t == nil {
		return Post{}, &NotFoundError{Kind: "target", ID: TargetKey(r.Post, r.Channel)}
	}
	if t.State != from {
		return Post{}, &TargetStateError{Post: p.ID, Channel: r.Channel, State: t.State, Want: from}
	}
	now := s.now()
	if r.Published {
		url, id, err := reported(t, r, now)
		if err != nil {
			return Post{}, err
		}
		t.State, t.Outcome.URL, t.Outcome.RemoteID, t.Outcome.PublishedAt, t.Outcome.Cause = TargetPublished, url, id, now, ""
	} else {
		if r.URL != "" || r.RemoteID != "" {
			return Post{}, &ValidationError{Field: "resolution.url", Value: r.URL, Reason: "a target reported not published has no URL or remote ID"}
		}
		t.State, t.At = TargetScheduled, now
		t.Outcome = TargetResult{Round: t.Outcome.Round + 1} // a new round, a new marker
	}
	t.Outcome.NextTry = time.Time{}
	if slices.Contains([]State{StatePublishing, StateUnconfirmed, StatePartial, StateFailed, StatePublished}, p.State) {
		p.State = p.outcomeState()
	}
	p.UpdatedAt = now
	tgt := *t
	p, err = s.store.UpdatePost(ctx, p)
	if err != nil {
		return Post{}, err
	}
	summary := "not published: scheduled again"
	data := map[string]string{"published": fmt.Sprint(r.Published)}
	if r.Published {
		summary = "published at " + tgt.Outcome.URL
		data["url"], data["remote_id"] = tgt.Outcome.URL, tgt.Outcome.RemoteID
	}
	return p, s.record(ctx, Event{Workspace: p.Workspace, Actor: actor, Action: "target.resolve", Object: "post:" + p.ID + "/channel:" + r.Channel,
		Version: p.Version, Summary: summary, Data: data})
}

// reported checks what a person reported for a published target: the URL
// as [networks.MarkPublished] checks it, and the remote ID (given, else the
// target's own, else the URL, as networks.MarkPublished records manual
// posts).
func reported(t *Target, r Resolution, now time.Time) (url, id string, err error) {
	rec, err := networks.MarkPublished(networks.Receipt{Network: t.Network, Status: networks.StatusManual}, r.URL, now)
	if err != nil {
		var fe *networks.FieldError
		if errors.As(err, &fe) {
			return "", "", &ValidationError{Field: "resolution.url", Value: r.URL, Reason: fe.Reason}
		}
		return "", "", err
	}
	if err := validRemoteID(r.RemoteID); err != nil {
		return "", "", err
	}
	id = r.RemoteID
	if id == "" {
		id = t.Outcome.RemoteID
	}
	if id == "" {
		id = string(rec.ID)
	}
	return rec.URL, id, nil
}

func validRemoteID(id string) error {
	if err := validText("resolution.remote_id", id); err != nil {
		return err
	}
	if len(id) > MaxRemoteIDLength {
		return &ValidationError{Field: "resolution.remote_id", Value: id, Reason: fmt.Sprintf("longer than %d bytes", MaxRemoteIDLength)}
	}
	for _, c := range id {
		if unicode.IsControl(c) || unicode.IsSpace(c) {
			return &ValidationError{Field: "resolution.remote_id", Value: id, Reason: "must not contain spaces or control characters"}
		}
	}
	return nil
}
