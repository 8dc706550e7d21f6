package networks

import (
	"slices"
	"sync"
)

// Registry maps network keys to their specs and, optionally, adapters. It is
// a value the host builds (there is no global registry). The zero value is
// an empty registry ready to use. A Registry is safe for concurrent use.
type Registry struct {
	mu       sync.RWMutex
	specs    map[string]Spec
	adapters map[string]Adapter
}

// NewRegistry returns a registry holding specs, each validated; the first
// invalid spec makes it fail with a *FieldError. Pass [DefaultSpecs]() for the
// documented defaults.
func NewRegistry(specs ...Spec) (*Registry, error) {
	r := &Registry{}
	for _, s := range specs {
		if err := r.SetSpec(s); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// SetSpec adds or replaces the spec of s.Network after validating it. The
// registry keeps its own copy.
func (r *Registry) SetSpec(s Spec) error {
	if err := s.Validate(); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.specs == nil {
		r.specs = map[string]Spec{}
	}
	r.specs[s.Network] = s.clone()
	return nil
}

// Register adds a as the adapter of its Spec().Network, replacing the spec
// registered for that network by a.Spec().
func (r *Registry) Register(a Adapter) error {
	s := a.Spec()
	if err := r.SetSpec(s); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.adapters == nil {
		r.adapters = map[string]Adapter{}
	}
	r.adapters[s.Network] = a
	return nil
}

// Spec returns a copy of the spec of network, or a *FieldError matching
// [socialflow.ErrInvalid] when the network is unknown.
func (r *Registry) Spec(network string) (Spec, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	s, ok := r.specs[network]
	if !ok {
		return Spec{}, &FieldError{Field: "network", Value: network, Reason: unknownNetworkHint(network)}
	}
	return s.clone(), nil
}

// Adapter returns the adapter registered for network, and whether there is
// one.
func (r *Registry) Adapter(network string) (Adapter, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	a, ok := r.adapters[network]
	return a, ok
}

// Networks returns the keys of every registered spec, sorted.
func (r *Registry) Networks() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.specs))
	for k := range r.specs {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// unknownNetworkHint says how to register the spec of an unknown network.
func unknownNetworkHint(network string) string {
	hint := "unknown network: register its spec with Registry.SetSpec(spec) (or its adapter with Registry.Register(adapter)) before use"
	switch network {
	case "fakenet":
		hint += "; for the fake, SetSpec(fakenet.DefaultSpec()) or Register(net.Adapter())"
	default:
		hint += "; DefaultSpecs() holds the documented networks, MastodonSpec(instance) a Mastodon instance"
	}
	return hint
}
