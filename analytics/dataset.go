package analytics

import (
	"iter"
	"time"
)

// Dataset holds targets with their attributes and one [Series] of snapshots
// per target. It is the input of aggregation, top-N rankings and best time to
// post. The zero value is not usable; call [NewDataset]. A Dataset is not safe
// for concurrent mutation; concurrent reads are safe.
type Dataset struct {
	targets []Target
	locs    []*time.Location
	series  []*Series
	index   map[string]int
}

// NewDataset returns an empty dataset.
func NewDataset() *Dataset { return &Dataset{index: map[string]int{}} }

// AddTarget adds t, or replaces the attributes of the target with t's ID
// (its snapshots are kept). An invalid target is refused (see
// [Target.Validate]) and nothing changes.
func (d *Dataset) AddTarget(t Target) error {
	if err := t.Validate(); err != nil {
		return err
	}
	loc, err := loadZone("Dataset.AddTarget", "zone", t.Zone)
	if err != nil {
		return err
	}
	t.Labels = append([]string(nil), t.Labels...)
	if i, ok := d.index[t.ID]; ok {
		d.targets[i], d.locs[i] = t, loc
		return nil
	}
	d.index[t.ID] = len(d.targets)
	d.targets = append(d.targets, t)
	d.locs = append(d.locs, loc)
	d.series = append(d.series, NewSeries(t.ID))
	return nil
}

// Add adds a snapshot to its target's series (see [Series.Add]). A snapshot
// for a target not added first is an [*UnknownTargetError] matching
// socialflow.ErrNotFound.
func (d *Dataset) Add(s Snapshot) error {
	i, ok := d.index[s.Target]
	if !ok {
		if err := s.Validate(); err != nil {
			return err
		}
		return &UnknownTargetError{Op: "Dataset.Add", Target: s.Target}
	}
	return d.series[i].Add(s)
}

// Len returns the number of targets.
func (d *Dataset) Len() int { return len(d.targets) }

// Target returns the target with the given ID.
func (d *Dataset) Target(id string) (Target, bool) {
	i, ok := d.index[id]
	if !ok {
		return Target{}, false
	}
	return d.targets[i], true
}

// Series returns the series of the target with the given ID.
func (d *Dataset) Series(id string) (*Series, bool) {
	i, ok := d.index[id]
	if !ok {
		return nil, false
	}
	return d.series[i], true
}

// Targets yields every target with its series, in the order they were added.
func (d *Dataset) Targets() iter.Seq2[Target, *Series] {
	return func(yield func(Target, *Series) bool) {
		for i, t := range d.targets {
			if !yield(t, d.series[i]) {
				return
			}
		}
	}
}
