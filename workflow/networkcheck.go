package workflow

import (
	"context"
	"fmt"

	"github.com/socialflow/socialflow/networks"
)

// NetworkValidator is the [ContentValidator] backed by the networks
// package: it checks a target's content against its channel's network spec
// from Specs with [networks.Validate] (text length as the network counts it,
// media count, kinds, sizes, dimensions and durations, threads, polls), and
// reports every violation at once.
//
// Media references are resolved through Media to their probed metadata;
// with a nil Media only the text rules are checked.
type NetworkValidator struct {
	Specs *networks.Registry
	Media MediaResolver
}

// ValidateContent implements [ContentValidator]. A channel whose network has
// no spec is an error matching socialflow.ErrNotFound.
func (v NetworkValidator) ValidateContent(ctx context.Context, ch Channel, c Content) error {
	spec, err := v.Specs.Spec(ch.Network)
	if err != nil {
		return fmt.Errorf("workflow: channel %s: %w", ch.ID, err)
	}
	d := networks.Draft{Text: c.Text, Link: c.Link, Thread: c.Thread, FirstComment: c.FirstComment}
	if v.Media != nil {
		for _, m := range c.Media {
			item, err := v.Media(ctx, ch, m)
			if err != nil {
				return err
			}
			if item.Alt == "" {
				item.Alt = m.AltText
			}
			d.Media = append(d.Media, item)
		}
	}
	if err := networks.Validate(spec, d); err != nil {
		return fmt.Errorf("workflow: channel %s: %w", ch.ID, err)
	}
	return nil
}
