package workflow

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/workflow/team"
)

// WiringProblem is one set-up mistake [Dispatcher.CheckWiring] found: which
// channel, network or account, what is wrong and what to do about it.
type WiringProblem struct {
	Workspace string
	Channel   string
	Network   string
	Account   string // the account ID, when the problem is the account's
	Problem   string
	Fix       string
}

func (p WiringProblem) String() string {
	who := fmt.Sprintf("channel %q (network %q", p.Channel, p.Network)
	if p.Account != "" {
		who += fmt.Sprintf(", account %q", p.Account)
	}
	return who + "): " + p.Problem + ": " + p.Fix
}

// WiringError lists every wiring problem at once, so a host fixes its
// set-up in one go. It matches socialflow.ErrInvalid.
type WiringError struct{ Problems []WiringProblem }

func (e *WiringError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return fmt.Sprintf("workflow: %d wiring problem(s): %s", len(e.Problems), strings.Join(parts, "; "))
}

// Is reports whether target is socialflow.ErrInvalid.
func (e *WiringError) Is(target error) bool { return target == socialflow.ErrInvalid }

// CheckWiring checks, before anything is published, that every channel of
// the given workspaces can publish: the Connector connects it (a
// [Connections] has a Publisher for its network and an account for it), the
// Publisher is for the channel's network, the account has an ID and belongs
// to that network, and the account has a token source or the Publisher
// manages tokens ([networks.WithTokenStore]) or the account is manual. It
// returns nil or a [*WiringError] listing every problem at once, each
// naming the channel, network and account and what to do.
//
// Without workspaces it checks the channels of every post that still has
// something to publish. Hosts call it at start-up with their workspaces;
// the Dispatcher runs it once, before its first step (see
// [Dispatcher.RunOnce]).
func (d *Dispatcher) CheckWiring(ctx context.Context, workspaces ...string) error {
	var chans []team.Channel
	seen := map[string]bool{}
	add := func(c team.Channel) {
		if !seen[c.ID] {
			seen[c.ID] = true
			chans = append(chans, c)
		}
	}
	for _, ws := range workspaces {
		for _, c := range d.svc.team.Channels(ws) {
			add(c)
		}
	}
	if len(workspaces) == 0 {
		posts, err := d.svc.store.ListPosts(ctx, PostQuery{States: []State{StateScheduled, StatePublishing, StatePartial, StateUnconfirmed}})
		if err != nil {
			return err
		}
		for _, p := range posts {
			for _, t := range p.Targets {
				if c, ok := d.svc.team.Channel(t.Channel); ok {
					add(c)
				}
			}
		}
	}
	slices.SortFunc(chans, func(a, b team.Channel) int { return strings.Compare(a.ID, b.ID) })
	var probs []WiringProblem
	for _, ch := range chans {
		probs = append(probs, d.checkChannel(ctx, ch)...)
	}
	if len(probs) > 0 {
		return &WiringError{Problems: probs}
	}
	return nil
}

func (d *Dispatcher) checkChannel(ctx context.Context, ch team.Channel) []WiringProblem {
	p := WiringProblem{Workspace: ch.WorkspaceID, Channel: ch.ID, Network: ch.Network}
	pub, acct, err := d.conn.Connect(ctx, ch)
	var nf *NotFoundError
	switch {
	case errors.As(err, &nf) && nf.Kind == notFoundPublisher:
		p.Problem = "no Publisher for the network"
		p.Fix = fmt.Sprintf("register one with Connections.SetPublisher(%q, networks.NewPublisher(adapter)) (for a fake, fakenet.New with that network's spec)", ch.Network)
		return []WiringProblem{p}
	case errors.As(err, &nf) && nf.Kind == notFoundAccount:
		p.Problem = "no account for the channel"
		p.Fix = fmt.Sprintf("register the connected account with Connections.SetAccount(%q, account)", ch.ID)
		return []WiringProblem{p}
	case err != nil:
		p.Problem = "the Connector cannot connect it: " + err.Error()
		p.Fix = "connect the channel's account in the Connector"
		return []WiringProblem{p}
	case pub == nil:
		p.Problem = "the Connector returned no Publisher"
		p.Fix = "return the network's *networks.Publisher from Connect"
		return []WiringProblem{p}
	}
	p.Account = acct.ID
	var out []WiringProblem
	problem := func(what, fix string) {
		q := p
		q.Problem, q.Fix = what, fix
		out = append(out, q)
	}
	if n := pub.Spec().Network; n != ch.Network {
		problem(fmt.Sprintf("the Publisher is for network %q", n), fmt.Sprintf("register a Publisher whose spec is %q for this network", ch.Network))
	}
	if acct.ID == "" {
		problem("the account has no ID", "give the account the ID it was connected with")
	}
	if acct.Network != "" && acct.Network != ch.Network {
		problem(fmt.Sprintf("the account belongs to network %q", acct.Network), "register an account of the channel's network")
	}
	if acct.Tokens == nil && !acct.Manual && !pub.Spec().Manual && !pub.ManagesTokens() {
		problem("the account has no token source and the Publisher has no TokenStore",
			"set the account's Tokens, or build the Publisher with networks.WithTokenStore")
	}
	return out
}
