package workflow

import (
	"context"
	"io"
	"time"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/workflow/team"
)

// LibraryAssets connects the workflow to an [assets.Library]:
//
//   - as the Service's [AssetChecker] ([WithAssetChecker]), it refuses an
//     unapproved, archived, rights-expired or not-allowed asset when a post
//     is scheduled and again at publish time, and records which scheduled
//     posts use which assets (so the library refuses to delete them and
//     reports rights that expire before the posts go out);
//   - its Media method is the Dispatcher's and the validator's
//     [MediaResolver] ([WithMedia], [NetworkValidator]): probed metadata,
//     alt text and the bytes.
type LibraryAssets struct {
	Lib *assets.Library
}

// CheckAsset implements [AssetChecker].
func (l LibraryAssets) CheckAsset(ctx context.Context, asset string, ch team.Channel, at time.Time) error {
	return l.Lib.CheckUse(ctx, asset, ch.ID, ch.Network, at)
}

// UseAsset records that post uses asset on ch at at (the library checks the
// use again). The Service calls it when a post is scheduled.
func (l LibraryAssets) UseAsset(ctx context.Context, asset, post string, ch team.Channel, at, now time.Time) error {
	return l.Lib.Use(ctx, assets.Usage{AssetID: asset, PostID: post, Channel: ch.ID, Network: ch.Network, At: at}, now)
}

// Media resolves a media reference to what a network needs. It is a
// [MediaResolver].
func (l LibraryAssets) Media(ctx context.Context, ch team.Channel, ref MediaRef) (networks.MediaItem, error) {
	a, err := l.Lib.Get(ctx, ref.Asset)
	if err != nil {
		return networks.MediaItem{}, err
	}
	alt := ref.AltText
	if alt == "" {
		alt = a.AltText
	}
	id := ref.Asset
	return networks.MediaItem{Media: a.Media, Alt: alt, Open: func(ctx context.Context) (io.ReadCloser, error) {
		rc, _, err := l.Lib.Open(ctx, id)
		return rc, err
	}}, nil
}

// assetUser is implemented by asset checkers that track usage.
type assetUser interface {
	UseAsset(ctx context.Context, asset, post string, ch team.Channel, at, now time.Time) error
}
