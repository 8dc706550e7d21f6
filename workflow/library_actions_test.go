package workflow_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/assets/memblob"
	assetstore "github.com/socialflow/socialflow/assets/memstore"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/memstore"
)

// TestLibraryAndAnalyticsActionsAreAuthorizedAndAudited: asset upload,
// approval and archive, saved replies, and the analytics view and export
// pass the gate with their own permission, and each is audited.
func TestLibraryAndAnalyticsActionsAreAuthorizedAndAudited(t *testing.T) {
	ctx := t.Context()
	lib, err := assets.NewLibrary(assetstore.New(), memblob.New())
	require.NoError(t, err)
	store := newRecStore()
	svc := teamService(t, store, fixture(t), workflow.WithAssetChecker(workflow.LibraryAssets{Lib: lib}))

	// The designer has no saved replies, the creator cannot approve.
	reply := assets.NewAsset{Kind: assets.KindSavedReply, Name: "thanks", Body: "Thanks {name}!"}
	_, err = svc.UploadAsset(ctx, "analyst", workflow.UploadRequest{Workspace: "brand", Asset: reply})
	require.ErrorIs(t, err, socialflow.ErrForbidden)
	a, err := svc.UploadAsset(ctx, "creator", workflow.UploadRequest{Workspace: "brand", Asset: reply})
	require.NoError(t, err)
	assert.Equal(t, "creator", a.Creator)
	ev, _ := lastEvent(t, store)
	assert.Equal(t, "asset.upload", ev.Action)

	_, err = svc.ApproveAsset(ctx, "creator", workflow.AssetRequest{Workspace: "brand", Asset: a.ID, Version: a.Version})
	require.ErrorIs(t, err, socialflow.ErrForbidden, "asset.approve is the approver's")
	got, err := lib.Get(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, assets.StatusDraft, got.Status, "a refused approval changes nothing")
	a, err = svc.ApproveAsset(ctx, "approver", workflow.AssetRequest{Workspace: "brand", Asset: a.ID, Version: a.Version})
	require.NoError(t, err)
	assert.Equal(t, "approver", a.ApprovedBy)

	_, err = svc.UseSavedReply(ctx, "designer", workflow.SavedReplyRequest{Workspace: "brand", Reply: a.ID, Values: map[string]string{"name": "Ann"}})
	require.ErrorIs(t, err, socialflow.ErrForbidden)
	text, err := svc.UseSavedReply(ctx, "community", workflow.SavedReplyRequest{Workspace: "brand", Channel: "ig", Reply: a.ID, Values: map[string]string{"name": "Ann"}})
	require.NoError(t, err)
	assert.Equal(t, "Thanks Ann!", text)
	ev, _ = lastEvent(t, store)
	assert.Equal(t, "reply.use_saved", ev.Action)

	_, err = svc.ArchiveAsset(ctx, "creator", workflow.AssetRequest{Workspace: "brand", Asset: a.ID, Version: a.Version})
	require.ErrorIs(t, err, socialflow.ErrForbidden)
	a, err = svc.ArchiveAsset(ctx, "designer", workflow.AssetRequest{Workspace: "brand", Asset: a.ID, Version: a.Version})
	require.NoError(t, err)
	assert.Equal(t, assets.StatusArchived, a.Status)

	_, err = svc.TeamReport(ctx, "creator", "brand", analytics.TeamOptions{})
	require.ErrorIs(t, err, socialflow.ErrForbidden)
	_, err = svc.TeamReport(ctx, "analyst", "brand", analytics.TeamOptions{})
	require.NoError(t, err)
	ev, _ = lastEvent(t, store)
	assert.Equal(t, "analytics.view", ev.Action)
	var out bytes.Buffer
	require.ErrorIs(t, svc.ExportTeamReport(ctx, "community", "brand", &out, analytics.TeamOptions{}), socialflow.ErrForbidden,
		"community views analytics but does not export")
	require.NoError(t, svc.ExportTeamReport(ctx, "analyst", "brand", &out, analytics.TeamOptions{}))
	assert.Contains(t, out.String(), "{")
	ev, _ = lastEvent(t, store)
	assert.Equal(t, "analytics.export", ev.Action)
	verifyChains(t, svc)

	bare := teamService(t, memstore.New(), fixture(t))
	_, err = bare.UploadAsset(ctx, "creator", workflow.UploadRequest{Workspace: "brand", Asset: reply})
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	assert.Contains(t, err.Error(), "WithAssetChecker")
}
