package memstore

import (
	"context"
	"fmt"
	"maps"

	"github.com/socialflow/socialflow/workflow"
)

// AppendEvent implements workflow.Store.
func (s *Store) AppendEvent(ctx context.Context, e workflow.Event) error {
	if err := done(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	chain := s.events[e.Workspace]
	if want := int64(len(chain)) + 1; e.Seq != want {
		return &workflow.ConflictError{Kind: workflow.ConflictEvent, ID: fmt.Sprint(e.Seq), Current: want - 1}
	}
	if s.events == nil {
		s.events = map[string][]workflow.Event{}
	}
	s.events[e.Workspace] = append(chain, cloneEvent(e))
	return nil
}

// AppendAfter implements [workflow.ChainAppender]: events are appended
// when the first continues the chain's last event (sequence number and
// hash).
func (s *Store) AppendAfter(ctx context.Context, events []workflow.Event) (workflow.Event, bool, error) {
	if err := done(ctx); err != nil {
		return workflow.Event{}, false, err
	}
	if err := workflow.CheckChained(events); err != nil {
		return workflow.Event{}, false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	first := events[0]
	chain := s.events[first.Workspace]
	var last workflow.Event
	if n := len(chain); n > 0 {
		last = chain[n-1]
	}
	if first.Seq != last.Seq+1 || first.Prev != last.Hash {
		return cloneEvent(last), len(chain) > 0, &workflow.ConflictError{Kind: workflow.ConflictEvent, ID: fmt.Sprint(first.Seq), Current: last.Seq}
	}
	if s.events == nil {
		s.events = map[string][]workflow.Event{}
	}
	for _, e := range events {
		chain = append(chain, cloneEvent(e))
	}
	s.events[first.Workspace] = chain
	return cloneEvent(events[len(events)-1]), true, nil
}

// Events implements workflow.Store.
func (s *Store) Events(ctx context.Context, workspace string, after int64, limit int) ([]workflow.Event, error) {
	if err := done(ctx); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	chain := s.events[workspace]
	after = max(after, 0)
	var out []workflow.Event
	for _, e := range chain[min(after, int64(len(chain))):] {
		if limit > 0 && len(out) == limit {
			break
		}
		out = append(out, cloneEvent(e))
	}
	return out, nil
}

// LastEvent implements workflow.Store.
func (s *Store) LastEvent(ctx context.Context, workspace string) (workflow.Event, bool, error) {
	if err := done(ctx); err != nil {
		return workflow.Event{}, false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	chain := s.events[workspace]
	if len(chain) == 0 {
		return workflow.Event{}, false, nil
	}
	return cloneEvent(chain[len(chain)-1]), true, nil
}

// Tamper gives direct access to the stored events of workspace's chain so
// tests can simulate an attacker with write access to the database.
// Production code never needs it.
func (s *Store) Tamper(workspace string, f func(events []workflow.Event) []workflow.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.events == nil {
		s.events = map[string][]workflow.Event{}
	}
	s.events[workspace] = f(s.events[workspace])
}

func cloneEvent(e workflow.Event) workflow.Event {
	e.Data = maps.Clone(e.Data)
	return e
}
