package workflow_test

import (
	"bytes"
	"image"
	"image/png"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/assets/memblob"
	assetstore "github.com/socialflow/socialflow/assets/memstore"
	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/workflow"
)

func pngBytes(t testing.TB, w, h int) []byte {
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))))
	return b.Bytes()
}

// TestAssetsRightsAndUsage: an image whose licence expires is refused for a
// post scheduled after the expiry, accepted before it, counted as used (so
// the library refuses to delete it), and published with its bytes.
func TestAssetsRightsAndUsage(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := t.Context()
		now := time.Now()
		lib, err := assets.NewLibrary(assetstore.New(), memblob.New(), assets.WithApprovalRequired(false))
		require.NoError(t, err)
		img := pngBytes(t, 64, 48)
		a, err := lib.AddMedia(ctx, assets.NewAsset{Name: "croissant.png", MIME: "image/png", AltText: "a croissant",
			Rights: assets.Rights{License: "stock #1", Expires: now.Add(48 * time.Hour)}}, bytes.NewReader(img), int64(len(img)), now)
		require.NoError(t, err)
		la := workflow.LibraryAssets{Lib: lib}

		e := newDispatchEnv(t, fakenet.Options{})
		svc, err := workflow.NewService(e.svc.Team(), e.store, workflow.WithAssetChecker(la))
		require.NoError(t, err)
		mk := func(text string) workflow.Post {
			p, err := svc.CreatePost(ctx, "boss", workflow.NewPost{Workspace: "w", Channels: []string{"a"},
				Content: workflow.Content{Text: text, Media: []workflow.MediaRef{{Asset: a.ID}}}})
			require.NoError(t, err)
			_, err = svc.Submit(ctx, "boss", p.ID)
			require.NoError(t, err)
			return p
		}
		late := mk("too late")
		_, err = svc.Schedule(ctx, "boss", late.ID, now.Add(72*time.Hour))
		var ue *assets.UseError
		require.ErrorAs(t, err, &ue)
		require.ErrorIs(t, err, socialflow.ErrRejected)

		p := mk("in time")
		_, err = svc.Schedule(ctx, "boss", p.ID, now.Add(time.Hour))
		require.NoError(t, err)
		err = lib.Delete(ctx, a.ID, a.Version, now)
		var inUse *assets.InUseError
		require.ErrorAs(t, err, &inUse, "a scheduled post uses it")

		d, err := workflow.NewDispatcher(svc, e.connect(t), workflow.WithMedia(la.Media))
		require.NoError(t, err)
		time.Sleep(time.Hour)
		_, err = d.RunOnce(ctx, time.Now())
		require.NoError(t, err)
		got, err := svc.Post(ctx, "boss", p.ID)
		require.NoError(t, err)
		require.Equal(t, workflow.StatePublished, got.State, got.Targets[0].Outcome.Cause)
		posted := e.nets[fakenet.Network].Posts()
		require.Len(t, posted, 1)
		require.Len(t, posted[0].Draft.Media, 1)
		assert.Equal(t, "a croissant", posted[0].Draft.Media[0].Alt)
		assert.Equal(t, 64, posted[0].Draft.Media[0].Width)
	})
}
