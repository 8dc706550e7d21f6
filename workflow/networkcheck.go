package workflow

import (
	"context"
	"fmt"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/workflow/team"
)

// NetworkValidator is the [ContentValidator] backed by the networks
// package: it checks a target's content against its channel's network spec
// from Specs with [networks.Validate] (text length as the network counts it,
// media count, kinds, sizes, dimensions and durations, threads, polls), and
// reports every violation at once.
//
// Specs is required: build one with [NewNetworkValidator], which refuses a
// nil registry; [WithValidator] refuses a NetworkValidator without Specs
// too, so the mistake shows at [NewService], not at the first Submit.
// Media references are resolved through Media to their probed metadata;
// with a nil Media only the text rules are checked.
type NetworkValidator struct {
	Specs *networks.Registry
	Media MediaResolver
}

// NewNetworkValidator returns the NetworkValidator over specs and media
// (media may be nil: text rules only). A nil specs is a *ValidationError
// (socialflow.ErrInvalid) naming the field.
func NewNetworkValidator(specs *networks.Registry, media MediaResolver) (NetworkValidator, error) {
	v := NetworkValidator{Specs: specs, Media: media}
	if err := v.check(); err != nil {
		return NetworkValidator{}, err
	}
	return v, nil
}

// check reports a NetworkValidator that cannot work.
func (v NetworkValidator) check() error {
	if v.Specs == nil {
		return &ValidationError{Field: "NetworkValidator.Specs", Reason: "required: a *networks.Registry with the spec of every network the channels use, e.g. networks.NewRegistry(networks.DefaultSpecs()...)"}
	}
	return nil
}

// ValidateContent implements [ContentValidator]. A channel whose network has
// no spec in Specs is an [*UnknownNetworkError] (socialflow.ErrNotFound); a
// NetworkValidator without Specs returns the error of [NewNetworkValidator]
// instead of panicking.
func (v NetworkValidator) ValidateContent(ctx context.Context, ch team.Channel, c Content) error {
	if err := v.check(); err != nil {
		return err
	}
	spec, err := v.Specs.Spec(ch.Network)
	if err != nil {
		return &UnknownNetworkError{Channel: ch.ID, Network: ch.Network}
	}
	d, err := buildDraft(ctx, v.Media, ch, c, spec)
	if err != nil {
		return err
	}
	if err := networks.Validate(spec, d); err != nil {
		return fmt.Errorf("workflow: channel %s: %w", echo.Quote(ch.ID), err)
	}
	return nil
}

// ValidateReply checks the text of a reply under an incoming item on ch
// against the network's rules for replies ([networks.Spec.ForReply]: a
// post's, without the media minimum of Instagram or TikTok posts).
// [Service.Reply] uses it when the Service's validator has it, and
// ValidateContent otherwise.
func (v NetworkValidator) ValidateReply(ctx context.Context, ch team.Channel, text string) error {
	if err := v.check(); err != nil {
		return err
	}
	spec, err := v.Specs.Spec(ch.Network)
	if err != nil {
		return &UnknownNetworkError{Channel: ch.ID, Network: ch.Network}
	}
	if err := networks.Validate(spec.ForReply(), networks.Draft{Text: text}); err != nil {
		return fmt.Errorf("workflow: channel %s: %w", echo.Quote(ch.ID), err)
	}
	return nil
}

// replyValidator is what a validator implements to check replies by the
// network's reply rules (NetworkValidator does).
type replyValidator interface {
	ValidateReply(ctx context.Context, ch team.Channel, text string) error
}

// UnknownNetworkError reports a channel whose network has no spec in the
// registry the SDK was given: a set-up mistake of the host. It matches
// socialflow.ErrNotFound. The message says how to fix it: register the
// network's adapter or spec — for the fake network of networks/fakenet
// too, whose spec is not among [networks.DefaultSpecs].
type UnknownNetworkError struct {
	Channel string
	Network string
}

func (e *UnknownNetworkError) Error() string {
	msg := fmt.Sprintf("workflow: channel %s: unknown network %s: no spec registered for it; register the network's adapter or spec in the networks.Registry (Register or SetSpec)",
		echo.Quote(e.Channel), echo.Quote(e.Network))
	if e.Network == fakenetNetwork {
		msg += "; for the fake network, registry.Register(net.Adapter()) or registry.SetSpec(fakenet.DefaultSpec())"
	}
	return msg
}

// Is reports whether target is socialflow.ErrNotFound.
func (e *UnknownNetworkError) Is(target error) bool { return target == socialflow.ErrNotFound }

// fakenetNetwork is the key of networks/fakenet (fakenet.Network), which
// workflow does not import.
const fakenetNetwork = "fakenet"

// buildDraft turns a target's content into the network draft: media
// references resolved (without a resolver, media are left out), alt text
// from the reference or the asset, dropped where the network has none.
func buildDraft(ctx context.Context, media MediaResolver, ch team.Channel, c Content, spec networks.Spec) (networks.Draft, error) {
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
