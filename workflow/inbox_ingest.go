package workflow

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/workflow/team"
)

// WithClassifier sets the classifier of incoming inbox items (sentiment
// and labels, which assignment rules and the surge alert read). Default:
// an [analytics.LexiconClassifier] over [analytics.DefaultLexicon]. A nil c
// is refused; a host that wants no classification passes a classifier that
// answers neutral.
func WithClassifier(c analytics.Classifier) ServiceOption {
	return func(s *Service) error {
		if c == nil {
			return &ValidationError{Field: "classifier", Reason: "nil: leave the option out for the default lexicon classifier"}
		}
		s.classify = c
		return nil
	}
}

// defaultClassifier is the lexicon classifier over the embedded lexicon,
// compiled once: it is immutable and safe for concurrent use.
var defaultClassifier = sync.OnceValue(func() analytics.Classifier {
	c, err := analytics.NewLexiconClassifier(analytics.DefaultLexicon())
	if err != nil {
		panic("workflow: the embedded lexicon: " + err.Error()) // tested in analytics
	}
	return c
})

// IngestReport counts what [Service.IngestIncoming] did.
type IngestReport struct {
	Stored     int     // new items stored
	Duplicates int     // items stored before (listed again by the network)
	Assigned   int     // conversations assigned
	Unassigned int     // new conversations nobody on duty could take
	Spam       int     // conversations a rule marked as spam
	Refused    []error // items refused (each a *ValidationError naming the field)
	Surge      bool    // a surge started in this call
}

func (r *IngestReport) add(o IngestReport) {
	r.Stored += o.Stored
	r.Duplicates += o.Duplicates
	r.Assigned += o.Assigned
	r.Unassigned += o.Unassigned
	r.Spam += o.Spam
	r.Refused = append(r.Refused, o.Refused...)
	r.Surge = r.Surge || o.Surge
}

// IngestIncoming stores what arrived on channel — the items an
// [InboxPoller] (or a host's webhook) got from the network — each once,
// whatever the order and however often the network lists it: it classifies
// each new item, adds it to its conversation ([InboxItemStore.AddItem]),
// assigns new conversations by the workspace's rules ([InboxSettings]),
// and raises a surge alert when negative items pass the threshold. holder
// names the caller in the audit trail ("system:" + holder). An item that
// cannot be stored (no ID, another network or account) is refused in the
// report with a *ValidationError; the others are stored. A new conversation
// nobody on duty may take stays new and unassigned (counted in
// Unassigned): members find it with [Service.Conversations] and take it
// with [Service.AssignConversation]; a later item routes it again.
//
// Item text is untrusted: it is stored valid UTF-8 (invalid bytes become
// U+FFFD, NUL bytes too), bounded by [MaxItemText], and every echo of it
// (notices, audit summaries, errors) is quoted and bounded.
func (s *Service) IngestIncoming(ctx context.Context, holder, channel string, items []networks.Incoming) (IngestReport, error) {
	var r IngestReport
	if holder == "" {
		return r, &ValidationError{Field: "holder", Reason: "required: the caller's name in the audit trail"}
	}
	if err := s.team.refresh(ctx); err != nil {
		return r, err
	}
	ch, ok := s.team.Channel(channel)
	if !ok {
		return r, &NotFoundError{Kind: "channel", ID: channel}
	}
	actor := "system:" + holder
	wp, err := s.store.WorkspacePlan(ctx, ch.WorkspaceID)
	if err != nil {
		return r, err
	}
	settings := wp.Inbox
	now := s.now()
	for i, in := range items {
		if err := ctx.Err(); err != nil {
			return r, err
		}
		it, err := s.inboxItem(ctx, ch, in, now)
		if err != nil {
			var ve *ValidationError
			if errors.As(err, &ve) {
				ve.Field = fmt.Sprintf("items[%d].%s", i, ve.Field)
			}
			r.Refused = append(r.Refused, err)
			continue
		}
		stored, conv, created, err := s.store.AddItem(ctx, it)
		if err != nil {
			return r, err
		}
		if !created {
			r.Duplicates++
			continue
		}
		r.Stored++
		if conv.State == ConvNew && conv.Assignee == "" {
			// Routed on the conversation's newest item (an item listed out
			// of order may be older than one stored before).
			newest := stored
			if conv.LastItem != stored.ID {
				if newest, err = s.store.InboxItem(ctx, conv.LastItem); err != nil {
					return r, err
				}
			}
			if err := s.assignArrival(ctx, actor, settings, newest, conv, now, &r); err != nil {
				return r, err
			}
		}
		if stored.Class.Sentiment == analytics.SentimentNegative && settings.Surge.Threshold > 0 {
			started, err := s.surge(ctx, actor, ch, stored, now)
			if err != nil {
				return r, err
			}
			r.Surge = r.Surge || started
		}
	}
	if r.Stored > 0 || len(r.Refused) > 0 {
		data := map[string]string{"stored": fmt.Sprint(r.Stored), "duplicates": fmt.Sprint(r.Duplicates), "refused": fmt.Sprint(len(r.Refused))}
		if err := s.record(ctx, Event{Workspace: ch.WorkspaceID, Actor: actor, Action: "inbox.ingest", Object: "channel:" + channel,
			Summary: fmt.Sprintf("%d new item(s) on %s, %d listed again, %d refused", r.Stored, echo.Quote(channel), r.Duplicates, len(r.Refused)), Data: data}); err != nil {
			return r, err
		}
	}
	return r, nil
}

// inboxItem checks and cleans one incoming item of channel and classifies
// it.
func (s *Service) inboxItem(ctx context.Context, ch team.Channel, in networks.Incoming, now time.Time) (InboxItem, error) {
	switch {
	case in.ID == "":
		return InboxItem{}, &ValidationError{Field: "id", Reason: "required: the network's id of the item"}
	case in.AccountID == "":
		return InboxItem{}, &ValidationError{Field: "account_id", Reason: "required: the account the item arrived for"}
	case in.Network != "" && in.Network != ch.Network:
		return InboxItem{}, &ValidationError{Field: "network", Value: in.Network, Reason: "channel " + echo.Quote(ch.ID) + " is on " + echo.Quote(ch.Network)}
	}
	in.Network = ch.Network
	it := InboxItem{Workspace: ch.WorkspaceID, Channel: ch.ID, Received: now}
	orig := len(in.Text)
	in.Text, it.Truncated = cleanText(in.Text, MaxItemText)
	if it.Truncated || len(in.Text) != orig {
		it.TextBytes = orig
	}
	for _, f := range []*string{(*string)(&in.ID), &in.AccountID, &in.Author.ID, &in.Author.Handle, &in.Author.Name, &in.URL, &in.Lang,
		(*string)(&in.InReplyTo), &in.Thread, (*string)(&in.Kind)} {
		*f, _ = cleanText(*f, 4096)
	}
	if in.At.IsZero() {
		in.At = now
	}
	in.At = in.At.UTC()
	it.Item = in
	it.ID = InboxItemID(in.Network, in.AccountID, in.ID)
	it.Conversation = ConversationID(in.Network, in.AccountID, threadOf(in))
	it.Class = s.classifyText(ctx, in)
	return it, nil
}

// classifyText runs the classifier; a failing one says neutral
// (the failure in Why), so an item is never lost to its classifier.
func (s *Service) classifyText(ctx context.Context, in networks.Incoming) analytics.Classification {
	neutral := analytics.Classification{Sentiment: analytics.SentimentNeutral}
	if s.classify == nil {
		return neutral
	}
	c, err := s.classify.Classify(ctx, in.Text, in.Lang)
	if err != nil {
		s.log.WarnContext(ctx, "inbox: classifier failed", "item", string(in.ID), "err", err)
		neutral.Why = "classifier failed: " + echo.Short(err.Error())
		return neutral
	}
	switch c.Sentiment {
	case analytics.SentimentPositive, analytics.SentimentNegative, analytics.SentimentNeutral:
	default:
		c.Sentiment = analytics.SentimentNeutral
	}
	c.Labels = slices.Clone(c.Labels)
	slices.Sort(c.Labels)
	c.Why = echo.Clip(c.Why, summaryMax)
	return c
}

// cleanText makes s valid UTF-8 without NUL bytes (each invalid sequence
// and NUL becomes U+FFFD) and cuts it to at most max bytes at a character
// boundary; it reports whether it cut.
func cleanText(s string, max int) (string, bool) {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "\uFFFD")
	}
	if len(s) <= max {
		return s, false
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut], true
}

// assignArrival routes a new conversation and records the assignment,
// under optimistic concurrency: it gives up when someone else changed the
// conversation's state or assignee meanwhile.
func (s *Service) assignArrival(ctx context.Context, actor string, st InboxSettings, it InboxItem, conv Conversation, now time.Time, r *IngestReport) error {
	rt, err := s.routeConversation(ctx, st, it, now)
	if err != nil {
		return err
	}
	if rt.Assignee == "" && !rt.Spam {
		r.Unassigned++
		return nil
	}
	for range maxPlanTries {
		if conv.State != ConvNew || conv.Assignee != "" {
			return nil
		}
		if rt.Spam {
			conv.State, conv.Resolved = ConvSpam, now
		} else {
			conv.State, conv.Assignee, conv.AssignedBy, conv.Assigned = ConvAssigned, rt.Assignee, "rule:"+rt.Rule, now
		}
		saved, err := s.store.UpdateConversation(ctx, conv)
		var ce *ConflictError
		if errors.As(err, &ce) && ce.Kind == ConflictConversation {
			if conv, err = s.store.Conversation(ctx, conv.ID); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		if rt.Spam {
			r.Spam++
			return s.record(ctx, Event{Workspace: saved.Workspace, Actor: actor, Action: "inbox.spam", Object: "conversation:" + saved.ID,
				Summary: rt.Why, Data: map[string]string{"rule": rt.Rule, "channel": saved.Channel}})
		}
		r.Assigned++
		s.notify(ctx, Notice{Kind: NoticeInboxAssigned, Workspace: saved.Workspace, Channel: saved.Channel, To: []string{rt.Assignee}, Actor: actor,
			Summary: "new conversation on " + echo.Quote(saved.Channel) + " from " + echo.Quote(it.Item.Author.Handle) + ": " + echo.Quote(preview(it.Item.Text)),
			Data:    map[string]string{"conversation": saved.ID, "item": it.ID}})
		return s.record(ctx, Event{Workspace: saved.Workspace, Actor: actor, Action: "inbox.route", Object: "conversation:" + saved.ID,
			Summary: "assigned to " + echo.Quote(rt.Assignee) + ": " + rt.Why, Data: map[string]string{"assignee": rt.Assignee, "rule": rt.Rule, "channel": saved.Channel}})
	}
	return &ConflictError{Kind: ConflictConversation, ID: conv.ID}
}

// surge feeds one negative item to the workspace's surge detector (in the
// workspace plan, under optimistic concurrency) and reports whether this
// call started a surge; only the writer that starts it notifies, audits
// and pauses, so a surge is announced once however many replicas see it.
func (s *Service) surge(ctx context.Context, actor string, ch team.Channel, it InboxItem, now time.Time) (bool, error) {
	at := it.Item.At
	if at.After(now) {
		at = now
	}
	var started, paused bool
	var st SurgeSettings
	var count int
	err := s.updateWorkspacePlan(ctx, ch.WorkspaceID, func(wp *WorkspacePlan) {
		started, paused = false, false
		st = wp.Inbox.Surge
		ss := &wp.Inbox.SurgeState
		if st.Threshold <= 0 {
			return
		}
		i, _ := slices.BinarySearchFunc(ss.Recent, at, time.Time.Compare)
		ss.Recent = slices.Insert(ss.Recent, i, at)
		if over := len(ss.Recent) - st.Threshold; over > 0 {
			ss.Recent = slices.Delete(ss.Recent, 0, over)
		}
		count = 0
		for _, t := range ss.Recent {
			if t.After(now.Add(-st.Window)) {
				count++
			}
		}
		surging := count >= st.Threshold
		switch {
		case surging && !ss.Active:
			ss.Active, ss.Since, ss.Surges = true, now, ss.Surges+1
			started = true
			if st.Pause && !wp.Paused {
				wp.Paused, paused = true, true
			}
		case !surging && ss.Active:
			ss.Active = false
		}
	})
	if err != nil || !started {
		return false, err
	}
	summary := fmt.Sprintf("%d negative items within %s on workspace %s", count, st.Window, echo.Quote(ch.WorkspaceID))
	if paused {
		summary += "; publishing paused"
	}
	s.notify(ctx, Notice{Kind: NoticeInboxSurge, Workspace: ch.WorkspaceID, To: st.Notify, Actor: actor, Summary: summary,
		Data: map[string]string{"count": fmt.Sprint(count), "window": st.Window.String(), "paused": fmt.Sprint(paused), "item": it.ID}})
	return true, s.record(ctx, Event{Workspace: ch.WorkspaceID, Actor: actor, Action: "inbox.surge", Object: "workspace:" + ch.WorkspaceID,
		Summary: summary, Data: map[string]string{"count": fmt.Sprint(count), "paused": fmt.Sprint(paused)}})
}
