package workflow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/networks"
)

// InboxPoller is the community inbox's loop. Each step
// ([InboxPoller.RunOnce]) goes over every channel of the team:
//
//  1. it leases the channel in the [LeaseStore] (key "inbox-poll:" +
//     channel), so replicas share the polling and a channel is polled by
//     one of them at a time;
//  2. it reads the channel's stored cursor ([InboxCursorStore]) and asks
//     the network for what arrived after it ([networks.Publisher.Incoming]),
//     page after page while the network says more is ready (up to
//     [WithPollPages]);
//  3. it stores the items ([Service.IngestIncoming]: each once, classified,
//     assigned) and only then the cursor, under optimistic concurrency — so
//     a poller that stops between the two polls the same page again, and an
//     item listed twice, out of order, or again after a cursor went
//     backwards is stored once;
//
// then it delivers the queued replies ([Service.DeliverReplies]). Channels
// whose network has no inbox ([networks.ErrNoInbox]) are skipped.
//
// Create one with [NewInboxPoller]; several pollers (one per replica) may
// share one Store. It is safe for concurrent use.
type InboxPoller struct {
	svc      *Service
	conn     Connector
	holder   string
	ttl      time.Duration
	pages    int
	interval time.Duration
	log      *slog.Logger
}

// InboxPollerOption configures an [InboxPoller].
type InboxPollerOption func(*InboxPoller) error

// WithPollHolder names the poller in leases and the audit trail
// ("system:" + name). Default "inbox-" and random hex. Pollers sharing a
// store must have distinct names.
func WithPollHolder(name string) InboxPollerOption {
	return func(p *InboxPoller) error {
		if name == "" {
			return &ValidationError{Field: "poll holder", Reason: "must not be empty"}
		}
		p.holder = name
		return nil
	}
}

// WithPollLeaseTTL sets how long a channel's lease lasts (default 1
// minute); a step renews it between pages.
func WithPollLeaseTTL(ttl time.Duration) InboxPollerOption {
	return func(p *InboxPoller) error {
		if ttl < time.Second {
			return &ValidationError{Field: "poll lease ttl", Value: ttl.String(), Reason: "at least 1s"}
		}
		p.ttl = ttl
		return nil
	}
}

// WithPollPages bounds the pages read per channel per step (default 10).
func WithPollPages(n int) InboxPollerOption {
	return func(p *InboxPoller) error {
		if n < 1 || n > 10000 {
			return &ValidationError{Field: "poll pages", Value: fmt.Sprint(n), Reason: "between 1 and 10000"}
		}
		p.pages = n
		return nil
	}
}

// WithPollInterval sets how long [InboxPoller.Run] waits between steps
// (default 1 minute).
func WithPollInterval(d time.Duration) InboxPollerOption {
	return func(p *InboxPoller) error {
		if d <= 0 {
			return &ValidationError{Field: "poll interval", Value: d.String(), Reason: "must be positive"}
		}
		p.interval = d
		return nil
	}
}

// NewInboxPoller returns a poller over svc's store that reaches the
// networks through conn.
func NewInboxPoller(svc *Service, conn Connector, opts ...InboxPollerOption) (*InboxPoller, error) {
	if svc == nil {
		return nil, &ValidationError{Field: "inbox poller", Reason: "a Service is required"}
	}
	if conn == nil {
		return nil, &ValidationError{Field: "inbox poller", Reason: "a Connector is required"}
	}
	p := &InboxPoller{svc: svc, conn: conn, holder: "inbox-" + randomID(), ttl: time.Minute, pages: 10, interval: time.Minute, log: svc.log}
	for _, o := range opts {
		if err := o(p); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// PollReport says what one [InboxPoller.RunOnce] did.
type PollReport struct {
	Channels int // channels polled
	Pages    int
	Busy     int // channels another poller held
	NoInbox  int // channels whose network lists nothing
	Ingest   IngestReport
	Delivery DeliveryReport
	// Errors are the channels' failures (each naming the channel); the
	// other channels were polled.
	Errors []error
}

// RunOnce is one step at now (see the type documentation). It returns
// an error only when the store fails or ctx ends; a network's failure is
// in the report and that channel is polled again next step.
func (p *InboxPoller) RunOnce(ctx context.Context, now time.Time) (PollReport, error) {
	var r PollReport
	if err := p.svc.team.refresh(ctx); err != nil {
		return r, err
	}
	for _, ch := range p.svc.inboxChannels() {
		if err := ctx.Err(); err != nil {
			return r, err
		}
		if err := p.channel(ctx, ch.ID, now, &r); err != nil {
			if ctx.Err() != nil {
				return r, ctx.Err()
			}
			var ce *ConflictError
			if errors.As(err, &ce) && ce.Kind == ConflictLease {
				continue
			}
			r.Errors = append(r.Errors, fmt.Errorf("workflow: inbox of channel %q: %w", ch.ID, err))
		}
	}
	d, err := p.svc.DeliverReplies(ctx, p.conn, p.holder, now)
	r.Delivery = d
	return r, err
}

func (p *InboxPoller) channel(ctx context.Context, channel string, now time.Time, r *PollReport) error {
	ch, ok := p.svc.team.Channel(channel)
	if !ok {
		return nil
	}
	lease, err := p.svc.store.Acquire(ctx, "inbox-poll:"+channel, p.holder, now, p.ttl)
	if err != nil {
		if errors.Is(err, socialflow.ErrConflict) {
			r.Busy++
			return nil
		}
		return err
	}
	defer func() { _ = p.svc.store.Release(context.WithoutCancel(ctx), lease) }()
	pub, acct, err := p.conn.Connect(ctx, ch)
	if err != nil {
		return err
	}
	r.Channels++
	for range p.pages {
		cur, err := p.svc.store.InboxCursor(ctx, channel)
		if err != nil {
			return err
		}
		pctx, cancel := context.WithTimeout(ctx, lease.Expires.Sub(now)-p.ttl/10)
		page, err := pub.Incoming(pctx, acct, cur.Cursor)
		cancel()
		if errors.Is(err, networks.ErrNoInbox) {
			r.Channels--
			r.NoInbox++
			return nil
		}
		if err != nil {
			return err
		}
		r.Pages++
		items := make([]networks.Incoming, 0, len(page.Items))
		for i, in := range page.Items {
			switch in.AccountID {
			case "":
				in.AccountID = acct.ID
			case acct.ID:
			default:
				r.Ingest.Refused = append(r.Ingest.Refused, &ValidationError{Field: fmt.Sprintf("items[%d].account_id", i), Value: in.AccountID,
					Reason: "the network listed an item of another account than channel " + echo.Quote(channel) + "'s"})
				continue
			}
			items = append(items, in)
		}
		if len(items) > 0 {
			ing, err := p.svc.IngestIncoming(ctx, p.holder, channel, items)
			r.Ingest.add(ing)
			if err != nil {
				return err
			}
		}
		if page.Cursor == cur.Cursor && !page.More {
			return nil // nothing arrived: no write on a quiet channel's poll
		}
		// The cursor only after the items it covers.
		cur.Cursor, cur.Polled = page.Cursor, now
		if _, err := p.svc.store.PutInboxCursor(ctx, cur); err != nil {
			var ce *ConflictError
			if errors.As(err, &ce) && ce.Kind == ConflictInboxCursor {
				return nil // another poller moved it: its view wins
			}
			return err
		}
		if !page.More {
			return nil
		}
		if lease, err = p.svc.store.Renew(ctx, lease, now, p.ttl); err != nil {
			return err
		}
	}
	return nil
}

// Run runs a step every interval until ctx ends, and returns ctx's error.
// Failures of a step are logged and the next step runs.
func (p *InboxPoller) Run(ctx context.Context) error {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		r, err := p.RunOnce(ctx, p.svc.now())
		if err != nil && ctx.Err() == nil {
			p.log.WarnContext(ctx, "inbox: step failed", "err", err)
		}
		for _, e := range r.Errors {
			p.log.WarnContext(ctx, "inbox: channel failed", "err", e)
		}
		t.Reset(p.interval)
	}
}

// Holder returns the poller's name.
func (p *InboxPoller) Holder() string { return p.holder }
