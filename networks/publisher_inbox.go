package networks

import "context"

// The operations of the inbox interfaces, named in errors and attempts.
const (
	OpIncoming = "incoming"
	OpReply    = "reply"
)

// ErrNoInbox is returned by [Publisher.Incoming] and [Publisher.Reply] when
// the adapter does not implement [InboxSource] or [Replier]. It matches
// [socialflow.ErrInvalid]: the host wired an inbox to a network that has
// none.
var ErrNoInbox error = noInboxError{}

type noInboxError struct{}

func (noInboxError) Error() string {
	return "networks: the adapter does not list incoming items or publish replies"
}

// Is reports whether target is [socialflow.ErrInvalid].
func (noInboxError) Is(target error) bool { return target == ErrInvalid }

// Incoming lists what arrived for acct after cursor through the adapter's
// [InboxSource], retrying transient failures and refreshing tokens as
// [Publisher.Publish] does. Reads do not count against the publishing rate
// limits; a rate limit the network reports is honoured. Without an
// InboxSource it returns [ErrNoInbox].
func (p *Publisher) Incoming(ctx context.Context, acct Account, cursor string) (IncomingPage, error) {
	src, ok := p.adapter.(InboxSource)
	if !ok {
		return IncomingPage{}, ErrNoInbox
	}
	acct, st, err := p.prepare(acct)
	if err != nil {
		return IncomingPage{}, err
	}
	var page IncomingPage
	c := call{p: p, st: st, acct: acct, op: OpIncoming}
	_, err = c.run(ctx, func(ctx context.Context, acct Account) error {
		pg, err := src.Incoming(ctx, acct, cursor)
		page = pg
		return err
	})
	if err != nil {
		return IncomingPage{}, err
	}
	return page, nil
}

// Reply publishes d as a reply threaded under the incoming item to, through
// the adapter's [Replier], with everything [Publisher.Publish] guarantees:
// validation against the spec, the marker, the publishing rate limits,
// retries, token refresh and, when the outcome is unknown, a [Finder] lookup
// before anything is sent again. Without a Replier it returns [ErrNoInbox];
// an item of another network or account is a *FieldError.
func (p *Publisher) Reply(ctx context.Context, acct Account, to Incoming, d Draft) (Receipt, error) {
	r, ok := p.adapter.(Replier)
	if !ok {
		return Receipt{}, ErrNoInbox
	}
	switch {
	case to.ID == "":
		return Receipt{}, &FieldError{Network: p.spec.Network, Field: "to.id", Reason: "required: the item replied to"}
	case to.Network != "" && to.Network != p.spec.Network:
		return Receipt{}, &FieldError{Network: p.spec.Network, Field: "to.network", Value: to.Network, Reason: "the item is of another network"}
	}
	if acct.Manual || p.spec.Manual {
		return Receipt{}, &FieldError{Network: p.spec.Network, Field: "account.manual", Reason: "a manual account cannot reply through the API"}
	}
	return p.publish(ctx, acct, d, func(ctx context.Context, acct Account, d Draft) (Receipt, error) {
		return r.Reply(ctx, acct, to, d)
	})
}
