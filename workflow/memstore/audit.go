package memstore

import (
	"context"
	"fmt"

	"github.com/socialflow/socialflow/workflow"
)

// AppendEvent implements workflow.Store.
func (s *Store) AppendEvent(ctx context.Context, e workflow.Event) error {
	if err := done(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if want := int64(len(s.events)) + 1; e.Seq != want {
		return &workflow.ConflictError{Kind: "event", ID: fmt.Sprint(e.Seq), Current: want - 1}
	}
	s.events = append(s.events, cloneEvent(e))
	return nil
}

// Events implements workflow.Store.
func (s *Store) Events(ctx context.Context, after int64, limit int) ([]workflow.Event, error) {
	if err := done(ctx); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if after < 0 {
		after = 0
	}
	var out []workflow.Event
	for _, e := range s.events[min(int(after), len(s.events)):] {
		if limit > 0 && len(out) == limit {
			break
		}
		out = append(out, cloneEvent(e))
	}
	return out, nil
}

// LastEvent implements workflow.Store.
func (s *Store) LastEvent(ctx context.Context) (workflow.Event, bool, error) {
	if err := done(ctx); err != nil {
		return workflow.Event{}, false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.events) == 0 {
		return workflow.Event{}, false, nil
	}
	return cloneEvent(s.events[len(s.events)-1]), true, nil
}

// Tamper gives direct access to the stored events so tests can simulate an
// attacker with write access to the database. Production code never needs it.
func (s *Store) Tamper(f func(events []workflow.Event) []workflow.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = f(s.events)
}

func cloneEvent(e workflow.Event) workflow.Event {
	if e.Data != nil {
		d := make(map[string]string, len(e.Data))
		for k, v := range e.Data {
			d[k] = v
		}
		e.Data = d
	}
	return e
}
