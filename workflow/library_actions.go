package workflow

import (
	"context"
	"io"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/workflow/team"
)

// Asset library actions: the permissions [team.PermUploadAsset],
// [team.PermApproveAsset], [team.PermArchiveAsset] and [team.PermUseSavedReplies] checked
// through the Service's gate and audited, over the [assets.Library] the
// Service was given with [WithAssetChecker]([LibraryAssets]{...}). The
// library itself decides nothing about who acts (its Approve accepts any
// name): hosts let members reach it only through these methods.

// UploadRequest adds an asset to the library on behalf of a member of
// Workspace. Body and Size give a media file's bytes; without Body the
// asset is text (a caption, saved reply or template: Asset.Kind and
// Asset.Body). Asset.Creator is set to the actor.
type UploadRequest struct {
	Workspace string          `json:"workspace"`
	Asset     assets.NewAsset `json:"asset"`
	Body      io.ReaderAt     `json:"-"`
	Size      int64           `json:"size,omitempty"`
}

// AssetRequest names one asset at the version the actor saw, in Workspace.
type AssetRequest struct {
	Workspace string `json:"workspace"`
	Asset     string `json:"asset"`
	Version   int    `json:"version"`
}

// SavedReplyRequest renders a saved reply or template for a member of
// Workspace, optionally for one Channel (checked against a restricted
// membership), filling its placeholders from Values.
type SavedReplyRequest struct {
	Workspace string            `json:"workspace"`
	Channel   string            `json:"channel,omitempty"`
	Reply     string            `json:"reply"`
	Values    map[string]string `json:"values,omitempty"`
}

// library returns the asset library the Service was wired with.
func (s *Service) library() (*assets.Library, error) {
	var lib *assets.Library
	switch a := s.assets.(type) {
	case LibraryAssets:
		lib = a.Lib
	case *LibraryAssets:
		if a != nil {
			lib = a.Lib
		}
	}
	if lib == nil {
		return nil, &ValidationError{Field: "assets", Reason: "the Service has no asset library: wire one with WithAssetChecker(LibraryAssets{Lib: lib})"}
	}
	return lib, nil
}

// UploadAsset adds an asset on behalf of actor, who needs
// [team.PermUploadAsset] in r.Workspace.
func (s *Service) UploadAsset(ctx context.Context, actor string, r UploadRequest) (assets.Asset, error) {
	if err := s.allow(ctx, actor, team.PermUploadAsset, team.Scope{Workspace: r.Workspace}); err != nil {
		return assets.Asset{}, err
	}
	lib, err := s.library()
	if err != nil {
		return assets.Asset{}, err
	}
	in := r.Asset
	in.Creator = actor
	var a assets.Asset
	if r.Body != nil {
		a, err = lib.AddMedia(ctx, in, r.Body, r.Size, s.now())
	} else {
		a, err = lib.AddText(ctx, in, s.now())
	}
	if err != nil {
		return assets.Asset{}, err
	}
	return a, s.record(ctx, Event{Workspace: r.Workspace, Actor: actor, Action: "asset.upload", Object: "asset:" + a.ID, Version: a.Version,
		Summary: "uploaded " + echo.Quote(a.Name), Data: map[string]string{"kind": string(a.Kind)}})
}

// ApproveAsset approves an asset for use on behalf of actor, who needs
// [team.PermApproveAsset] in r.Workspace; the library records actor as the
// approver.
func (s *Service) ApproveAsset(ctx context.Context, actor string, r AssetRequest) (assets.Asset, error) {
	return s.assetStep(ctx, actor, r, team.PermApproveAsset, "asset.approve", func(lib *assets.Library) (assets.Asset, error) {
		return lib.Approve(ctx, r.Asset, r.Version, actor, s.now())
	})
}

// ArchiveAsset archives an asset on behalf of actor, who needs
// [team.PermArchiveAsset] in r.Workspace.
func (s *Service) ArchiveAsset(ctx context.Context, actor string, r AssetRequest) (assets.Asset, error) {
	return s.assetStep(ctx, actor, r, team.PermArchiveAsset, "asset.archive", func(lib *assets.Library) (assets.Asset, error) {
		return lib.Archive(ctx, r.Asset, r.Version, s.now())
	})
}

func (s *Service) assetStep(ctx context.Context, actor string, r AssetRequest, perm team.Permission, action string, step func(*assets.Library) (assets.Asset, error)) (assets.Asset, error) {
	if err := s.allow(ctx, actor, perm, team.Scope{Workspace: r.Workspace}); err != nil {
		return assets.Asset{}, err
	}
	lib, err := s.library()
	if err != nil {
		return assets.Asset{}, err
	}
	a, err := step(lib)
	if err != nil {
		return assets.Asset{}, err
	}
	return a, s.record(ctx, Event{Workspace: r.Workspace, Actor: actor, Action: action, Object: "asset:" + a.ID, Version: a.Version,
		Summary: echo.Quote(a.Name) + " is " + string(a.Status)})
}

// UseSavedReply renders saved reply or template r.Reply for actor, who
// needs [team.PermUseSavedReplies] in r.Workspace (and on r.Channel when
// given). The reply must be usable now (see [assets.Library.Render]).
func (s *Service) UseSavedReply(ctx context.Context, actor string, r SavedReplyRequest) (string, error) {
	if err := s.allow(ctx, actor, team.PermUseSavedReplies, team.Scope{Workspace: r.Workspace, Channel: r.Channel}); err != nil {
		return "", err
	}
	lib, err := s.library()
	if err != nil {
		return "", err
	}
	text, err := lib.Render(ctx, r.Reply, r.Values, s.now())
	if err != nil {
		return "", err
	}
	data := map[string]string{}
	if r.Channel != "" {
		data["channel"] = r.Channel
	}
	return text, s.record(ctx, Event{Workspace: r.Workspace, Actor: actor, Action: "reply.use_saved", Object: "asset:" + r.Reply,
		Summary: "used saved reply " + echo.Quote(r.Reply), Data: data})
}
