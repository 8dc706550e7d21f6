package workflow

import (
	"context"
	"sync"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/workflow/team"
)

// Connections is a ready [Connector]: the host registers one Publisher per
// network and one account per channel. The zero value is ready to use and
// safe for concurrent use. Check the registrations at start-up with
// [Dispatcher.CheckWiring]: it lists every channel without an account,
// every network without a Publisher and every account without a token
// source at once, instead of each failing its first publish.
type Connections struct {
	mu    sync.RWMutex
	pubs  map[string]*networks.Publisher
	accts map[string]networks.Account
}

// SetPublisher registers the Publisher of a network (by spec name).
func (c *Connections) SetPublisher(network string, p *networks.Publisher) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pubs == nil {
		c.pubs = map[string]*networks.Publisher{}
	}
	c.pubs[network] = p
}

// SetAccount registers the account a channel publishes as.
func (c *Connections) SetAccount(channel string, a networks.Account) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.accts == nil {
		c.accts = map[string]networks.Account{}
	}
	c.accts[channel] = a
}

// Connect implements [Connector]. A channel without an account, or a
// network without a Publisher, is a *NotFoundError.
func (c *Connections) Connect(_ context.Context, ch team.Channel) (*networks.Publisher, networks.Account, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	p, ok := c.pubs[ch.Network]
	if !ok {
		return nil, networks.Account{}, &NotFoundError{Kind: notFoundPublisher, ID: ch.Network}
	}
	a, ok := c.accts[ch.ID]
	if !ok {
		return nil, networks.Account{}, &NotFoundError{Kind: notFoundAccount, ID: ch.ID}
	}
	return p, a, nil
}

// The NotFoundError kinds of [Connections.Connect], which
// [Dispatcher.CheckWiring] turns into a fix for the host.
const (
	notFoundPublisher = "publisher for network"
	notFoundAccount   = "account for channel"
)
