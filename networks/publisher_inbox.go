package networks

import (
	"context"
	"errors"

	"github.com/socialflow/socialflow/internal/echo"
)

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
// [Publisher.Publish] does. Without an InboxSource it returns [ErrNoInbox].
//
// Reads do not count against the publishing rate limits, and a rate limit
// the network reports for them is honoured by this call's retries (its
// Retry-After or reset) without blocking publishes: on the networks
// socialflow speaks to, reads and posts have separate budgets. An
// [*OutcomeUnknownError] from the adapter (which a read should never
// return) is retried as a [*TransientError]: a read has no effect.
//
// Items the adapter left without Network or AccountID get the Publisher's
// network and acct.ID; a page without a cursor keeps cursor, so the next
// call asks again from the same place.
func (p *Publisher) Incoming(ctx context.Context, acct Account, cursor string) (IncomingPage, error) {
	src, ok := p.adapter.(InboxSource)
	if !ok {
		return IncomingPage{}, ErrNoInbox
	}
	if err := ctx.Err(); err != nil {
		return IncomingPage{}, err
	}
	acct, st, err := p.prepare(acct)
	if err != nil {
		return IncomingPage{}, err
	}
	var page IncomingPage
	c := call{p: p, st: st, acct: acct, op: OpIncoming, ownBudget: true}
	_, err = c.run(ctx, func(ctx context.Context, acct Account) error {
		pg, err := src.Incoming(ctx, acct, cursor)
		if errors.Is(err, ErrOutcomeUnknown) && ctx.Err() == nil {
			err = &TransientError{Network: p.spec.Network, Op: OpIncoming, Err: outcomeCause(err)}
		}
		page = pg
		return err
	})
	if err != nil {
		return IncomingPage{}, err
	}
	for i := range page.Items {
		it := &page.Items[i]
		if it.Network == "" {
			it.Network = p.spec.Network
		}
		if it.AccountID == "" {
			it.AccountID = acct.ID
		}
	}
	if page.Cursor == "" {
		page.Cursor = cursor
	}
	return page, nil
}

// Reply publishes d as a reply threaded under the incoming item to, through
// the adapter's [Replier], with everything [Publisher.Publish] guarantees:
// validation against the spec, the marker, the publishing rate limits (a
// reply is a publish: it waits for and spends the account's and the app's
// budget), retries, token refresh and, when the outcome is unknown, a
// [Finder] lookup by the marker before anything is sent again — so a reply
// whose response was lost is found, never sent twice. Its errors are
// Publish's, by kind, in the same order; attempts and the Publisher's own
// errors name the operation [OpReply].
//
// Without a Replier it returns [ErrNoInbox]. Before anything is sent, an
// item without an ID, an item of another network (to.Network) or of
// another account (to.AccountID), and a manual account or spec (nobody can
// reply through the API for them) are each a [*FieldError] naming the
// field.
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
	case to.AccountID != "" && acct.ID != "" && to.AccountID != acct.ID:
		return Receipt{}, &FieldError{Network: p.spec.Network, Field: "to.account_id", Value: to.AccountID,
			Reason: "the item arrived for another account than " + echo.Quote(acct.ID)}
	case acct.Manual || p.spec.Manual:
		return Receipt{}, &FieldError{Network: p.spec.Network, Field: "account.manual", Value: acct.ID, Reason: "a manual account cannot reply through the API"}
	}
	return p.publish(ctx, acct, d, OpReply, func(ctx context.Context, acct Account, d Draft) (Receipt, error) {
		return r.Reply(ctx, acct, to, d)
	})
}
