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
	d, err := buildDraft(ctx, v.Media, ch, c, spec)
	if err != nil {
		return err
	}
	if err := networks.Validate(spec, d); err != nil {
		return fmt.Errorf("workflow: channel %s: %w", ch.ID, err)
	}
	return nil
}

// buildDraft turns a target's content into the network draft: media
// references resolved (without a resolver, media are left out), alt text
// from the reference or the asset, dropped where the network has none.
func buildDraft(ctx context.Context, media MediaResolver, ch Channel, c Content, spec networks.Spec) (networks.Draft, error) {
	d := networks.Draft{Text: c.Text, Link: c.Link, Thread: c.Thread, FirstComment: c.FirstComment}
	if media == nil {
		return d, nil
	}
	for _, m := range c.Media {
		item, err := media(ctx, ch, m)
		if err != nil {
			return d, err
		}
		if m.AltText != "" {
			item.Alt = m.AltText
		}
		if !spec.Features.AltText {
			item.Alt = ""
		}
		d.Media = append(d.Media, item)
	}
	return d, nil
}
