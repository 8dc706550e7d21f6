package assets_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/assets/memblob"
	"github.com/socialflow/socialflow/assets/memstore"
)

var now = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

type fixture struct {
	lib   *assets.Library
	store *memstore.Store
	blobs *memblob.Bucket
}

func newFixture(t *testing.T, opts ...assets.Option) fixture {
	t.Helper()
	var n atomic.Int64
	st, bl := memstore.New(), memblob.New()
	opts = append([]assets.Option{assets.WithIDGenerator(func() string { return fmt.Sprintf("a%d", n.Add(1)) })}, opts...)
	lib, err := assets.NewLibrary(st, bl, opts...)
	require.NoError(t, err)
	return fixture{lib: lib, store: st, blobs: bl}
}

func (f fixture) addMedia(t *testing.T, name, mime string, data []byte, tags ...string) assets.Asset {
	t.Helper()
	a, err := f.lib.AddMedia(t.Context(), assets.NewAsset{Name: name, MIME: mime, Tags: tags, Creator: "dana"}, bytes.NewReader(data), int64(len(data)), now)
	require.NoError(t, err)
	return a
}

func (f fixture) approved(t *testing.T, a assets.Asset) assets.Asset {
	t.Helper()
	a, err := f.lib.Approve(t.Context(), a.ID, a.Version, "mia", now)
	require.NoError(t, err)
	return a
}

func TestNewLibraryOptions(t *testing.T) {
	st, bl := memstore.New(), memblob.New()
	for _, tt := range []struct {
		name  string
		store assets.Store
		blobs assets.BlobStore
		opts  []assets.Option
	}{
		{"nil store", nil, bl, nil},
		{"nil blobs", st, nil, nil},
		{"nil id generator", st, bl, []assets.Option{assets.WithIDGenerator(nil)}},
		{"negative limits", st, bl, []assets.Option{assets.WithLimits(assets.Limits{MaxSide: -1})}},
		{"bad placeholder", st, bl, []assets.Option{assets.WithPlaceholders("first name")}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := assets.NewLibrary(tt.store, tt.blobs, tt.opts...)
			require.ErrorIs(t, err, socialflow.ErrInvalid)
		})
	}
}

func TestAddMedia(t *testing.T) {
	f := newFixture(t)
	data := pngBytes(108, 135)
	a := f.addMedia(t, " Beach ", "image/png", data, "#Summer", "beach", "summer")
	assert.Equal(t, "a1", a.ID)
	assert.Equal(t, 1, a.Version)
	assert.Equal(t, "Beach", a.Name)
	assert.Equal(t, assets.KindImage, a.Kind)
	assert.Equal(t, assets.Media{Kind: assets.KindImage, MIME: "image/png", Size: int64(len(data)), Width: 108, Height: 135}, a.Media)
	assert.InDelta(t, 0.8, a.Media.Aspect(), 1e-9)
	assert.Equal(t, []string{"beach", "summer"}, a.Tags)
	assert.Equal(t, assets.StatusDraft, a.Status)
	assert.Len(t, a.Checksum, 64)
	assert.Equal(t, "sha256/"+a.Checksum, a.BlobKey)

	rc, got, err := f.lib.Open(t.Context(), a.ID)
	require.NoError(t, err)
	stored, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	assert.Equal(t, data, stored)
	assert.Equal(t, a.ID, got.ID)

	md, err := f.lib.Reprobe(t.Context(), a.ID)
	require.NoError(t, err)
	assert.Equal(t, a.Media, md)
}

func TestAddMediaDuplicate(t *testing.T) {
	f := newFixture(t)
	data := jpegBytes(100, 100)
	first := f.addMedia(t, "One", "image/jpeg", data)
	got, err := f.lib.AddMedia(t.Context(), assets.NewAsset{Name: "Again", MIME: "image/jpeg", Kind: assets.KindImage}, bytes.NewReader(data), int64(len(data)), now)
	require.ErrorIs(t, err, socialflow.ErrDuplicate)
	var de *assets.DuplicateError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, first.ID, de.ExistingID)
	assert.Equal(t, first.Checksum, de.Checksum)
	assert.Equal(t, first.ID, got.ID, "the existing asset is returned with the error")
	_, err = f.lib.AddMedia(t.Context(), assets.NewAsset{Name: "Again", MIME: "image/jpeg"}, bytes.NewReader(data), int64(len(data)), now)
	require.ErrorIs(t, err, socialflow.ErrDuplicate)
	assert.Equal(t, 1, f.store.Len())
	assert.Equal(t, 1, f.blobs.Len())
}

func TestAddMediaBadInputStoresNothing(t *testing.T) {
	png := pngBytes(10, 10)
	for _, tt := range []struct {
		name string
		in   assets.NewAsset
		data []byte
	}{
		{"zero size", assets.NewAsset{Name: "x", MIME: "image/png"}, nil},
		{"truncated", assets.NewAsset{Name: "x", MIME: "image/png"}, png[:30]},
		{"mismatched mime", assets.NewAsset{Name: "x", MIME: "video/mp4"}, png},
		{"absurd dimensions", assets.NewAsset{Name: "x", MIME: "image/png"}, pngHeaderOnly(50000, 50000)},
		{"kind differs", assets.NewAsset{Name: "x", MIME: "image/png", Kind: assets.KindVideo}, png},
		{"no name", assets.NewAsset{MIME: "image/png"}, png},
		{"bad tag", assets.NewAsset{Name: "x", MIME: "image/png", Tags: []string{"two words"}}, png},
		{"bad folder", assets.NewAsset{Name: "x", MIME: "image/png", Folder: "/abs/"}, png},
		{"body on media", assets.NewAsset{Name: "x", MIME: "image/png", Body: "hi"}, png},
		{"rights window reversed", assets.NewAsset{Name: "x", MIME: "image/png", Rights: assets.Rights{Starts: now, Expires: now.Add(-time.Hour)}}, png},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			_, err := f.lib.AddMedia(t.Context(), tt.in, bytes.NewReader(tt.data), int64(len(tt.data)), now)
			require.ErrorIs(t, err, socialflow.ErrInvalid)
			assert.Zero(t, f.store.Len())
			assert.Zero(t, f.blobs.Len())
		})
	}
}

func TestAddTextAndRender(t *testing.T) {
	f := newFixture(t, assets.WithPlaceholders("first_name", "order_id"))
	r, err := f.lib.AddText(t.Context(), assets.NewAsset{
		Kind: assets.KindSavedReply, Name: "Late order", Tags: []string{"support", "shipping"},
		Body: "Hi {first_name}, sorry: order {order_id} is late. Reply {{STOP}} to opt out.",
	}, now)
	require.NoError(t, err)
	assert.Equal(t, []string{"first_name", "order_id"}, r.Placeholders)

	_, err = f.lib.Render(t.Context(), r.ID, map[string]string{"first_name": "Ana", "order_id": "A-1"}, now)
	var ue *assets.UseError
	require.ErrorAs(t, err, &ue, "a draft reply is not used")
	assert.Equal(t, assets.ReasonNotApproved, ue.Reason)

	r = f.approved(t, r)
	out, err := f.lib.Render(t.Context(), r.ID, map[string]string{"first_name": "Ana", "order_id": "A-1"}, now)
	require.NoError(t, err)
	assert.Equal(t, "Hi Ana, sorry: order A-1 is late. Reply {STOP} to opt out.", out)

	_, err = f.lib.Render(t.Context(), r.ID, map[string]string{"first_name": "Ana"}, now)
	var pe *assets.PlaceholderError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, assets.PlaceholderError{Name: "order_id", Reason: assets.PlaceholderMissing}, *pe)

	_, err = f.lib.AddText(t.Context(), assets.NewAsset{Kind: assets.KindTemplate, Name: "Typo", Body: "Hi {frist_name}"}, now)
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, assets.PlaceholderUnknown, pe.Reason)

	caption, err := f.lib.AddText(t.Context(), assets.NewAsset{Kind: assets.KindCaption, Name: "Braces", Body: "Plain {text} is fine in captions"}, now)
	require.NoError(t, err)
	assert.Empty(t, caption.Placeholders)
	_, err = f.lib.Render(t.Context(), caption.ID, nil, now)
	require.ErrorIs(t, err, socialflow.ErrInvalid)

	for _, in := range []assets.NewAsset{
		{Kind: assets.KindImage, Name: "x", Body: "x"},
		{Kind: assets.KindCaption, Name: "x"},
		{Kind: assets.KindCaption, Name: "x", Body: "x", MIME: "image/png"},
		{Kind: assets.KindSavedReply, Name: "x", Body: "Hi {"},
	} {
		_, err := f.lib.AddText(t.Context(), in, now)
		require.ErrorIs(t, err, socialflow.ErrInvalid, "%+v", in)
	}
}

func TestUpdateIsVersioned(t *testing.T) {
	f := newFixture(t)
	r, err := f.lib.AddText(t.Context(), assets.NewAsset{Kind: assets.KindSavedReply, Name: "Hello", Body: "Hi {name}"}, now)
	require.NoError(t, err)
	r = f.approved(t, r)
	require.Equal(t, 2, r.Version)

	later := now.Add(time.Hour)
	name, tags := "Hello there", []string{"Greeting"}
	r2, err := f.lib.Update(t.Context(), r.ID, r.Version, assets.Change{Name: &name, Tags: &tags}, later)
	require.NoError(t, err)
	assert.Equal(t, 3, r2.Version)
	assert.Equal(t, []string{"greeting"}, r2.Tags)
	assert.Equal(t, assets.StatusApproved, r2.Status, "metadata edits keep approval")
	assert.True(t, r2.UpdatedAt.Equal(later))

	body := "Hello {name}!"
	r3, err := f.lib.Update(t.Context(), r.ID, r2.Version, assets.Change{Body: &body}, later)
	require.NoError(t, err)
	assert.Equal(t, assets.StatusDraft, r3.Status, "a new body needs approval again")
	assert.Empty(t, r3.ApprovedBy)

	_, err = f.lib.Update(t.Context(), r.ID, r2.Version, assets.Change{Name: &name}, later)
	var ce *assets.ConflictError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, assets.ConflictError{ID: r.ID, Version: 3, Current: 4}, *ce)

	v1, err := f.lib.Version(t.Context(), r.ID, 1)
	require.NoError(t, err)
	assert.Equal(t, "Hi {name}", v1.Body)
	assert.Equal(t, assets.StatusDraft, v1.Status)

	bad := "Hi {"
	_, err = f.lib.Update(t.Context(), r.ID, r3.Version, assets.Change{Body: &bad}, later)
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	cur, err := f.lib.Get(t.Context(), r.ID)
	require.NoError(t, err)
	assert.Equal(t, 4, cur.Version, "a refused edit changes nothing")
}

func TestStatusTransitions(t *testing.T) {
	f := newFixture(t)
	a := f.addMedia(t, "x", "image/png", pngBytes(2, 2))
	_, err := f.lib.Approve(t.Context(), a.ID, a.Version, "", now)
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	a = f.approved(t, a)
	assert.Equal(t, "mia", a.ApprovedBy)
	_, err = f.lib.Approve(t.Context(), a.ID, a.Version, "mia", now)
	var te *assets.TransitionError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, assets.TransitionError{ID: a.ID, From: assets.StatusApproved, To: assets.StatusApproved}, *te)
	a, err = f.lib.Archive(t.Context(), a.ID, a.Version, now)
	require.NoError(t, err)
	_, err = f.lib.Archive(t.Context(), a.ID, a.Version, now)
	require.ErrorIs(t, err, socialflow.ErrConflict)
	_, err = f.lib.Approve(t.Context(), a.ID, a.Version, "mia", now)
	require.ErrorIs(t, err, socialflow.ErrConflict)
	a, err = f.lib.Restore(t.Context(), a.ID, a.Version, now)
	require.NoError(t, err)
	assert.Equal(t, assets.StatusDraft, a.Status)
	_, err = f.lib.Restore(t.Context(), a.ID, a.Version, now)
	require.ErrorIs(t, err, socialflow.ErrConflict)

	auto := newFixture(t, assets.WithApprovalRequired(false))
	b := auto.addMedia(t, "y", "image/png", pngBytes(2, 2))
	assert.Equal(t, assets.StatusApproved, b.Status)
	require.NoError(t, auto.lib.Use(t.Context(), assets.Usage{AssetID: b.ID, PostID: "p1"}, now))
}

func TestCheckUse(t *testing.T) {
	base := assets.Asset{ID: "a1", Status: assets.StatusApproved, Rights: assets.Rights{
		Starts: now.Add(-24 * time.Hour), Expires: now.Add(24 * time.Hour),
		Channels: []string{"ch-brand"}, Networks: []string{"instagram"},
	}}
	with := func(f func(*assets.Asset)) assets.Asset { a := base.Clone(); f(&a); return a }
	for _, tt := range []struct {
		name    string
		a       assets.Asset
		channel string
		network string
		at      time.Time
		want    assets.UseReason
	}{
		{"allowed network", base, "ch-other", "instagram", now, ""},
		{"allowed channel", base, "ch-brand", "x", now, ""},
		{"no restrictions", with(func(a *assets.Asset) { a.Rights = assets.Rights{} }), "any", "any", now, ""},
		{"draft", with(func(a *assets.Asset) { a.Status = assets.StatusDraft }), "ch-brand", "x", now, assets.ReasonNotApproved},
		{"archived", with(func(a *assets.Asset) { a.Status = assets.StatusArchived }), "ch-brand", "x", now, assets.ReasonArchived},
		{"before start", base, "ch-brand", "x", now.Add(-25 * time.Hour), assets.ReasonRightsNotYetValid},
		{"at expiry", base, "ch-brand", "x", now.Add(24 * time.Hour), assets.ReasonRightsExpired},
		{"just before expiry", base, "ch-brand", "x", now.Add(24*time.Hour - time.Nanosecond), ""},
		{"other channel and network", base, "ch-other", "linkedin", now, assets.ReasonChannelNotAllowed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := assets.CheckUse(tt.a, tt.channel, tt.network, tt.at)
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, socialflow.ErrRejected)
			var ue *assets.UseError
			require.ErrorAs(t, err, &ue)
			assert.Equal(t, tt.want, ue.Reason)
			assert.Equal(t, "a1", ue.AssetID)
			assert.True(t, ue.At.Equal(tt.at))
		})
	}
}

func TestUseAndDelete(t *testing.T) {
	f := newFixture(t)
	a := f.approved(t, f.addMedia(t, "x", "image/png", pngBytes(2, 2)))
	soon, past := now.Add(2*time.Hour), now.Add(-48*time.Hour)
	require.NoError(t, f.lib.Use(t.Context(), assets.Usage{AssetID: a.ID, PostID: "p-soon", Channel: "c1", Network: "x", At: soon}, now))
	require.NoError(t, f.lib.Use(t.Context(), assets.Usage{AssetID: a.ID, PostID: "p-draft", Channel: "c1"}, now))
	require.NoError(t, f.lib.Use(t.Context(), assets.Usage{AssetID: a.ID, PostID: "p-old", Channel: "c1", At: past}, past))
	require.ErrorIs(t, f.lib.Use(t.Context(), assets.Usage{AssetID: "nope", PostID: "p"}, now), socialflow.ErrNotFound)
	require.ErrorIs(t, f.lib.Use(t.Context(), assets.Usage{AssetID: a.ID}, now), socialflow.ErrInvalid)

	us, err := f.lib.Usages(t.Context(), a.ID)
	require.NoError(t, err)
	require.Len(t, us, 3)

	err = f.lib.Delete(t.Context(), a.ID, a.Version, now)
	require.ErrorIs(t, err, socialflow.ErrConflict)
	var iu *assets.InUseError
	require.ErrorAs(t, err, &iu)
	var posts []string
	for _, u := range iu.Usages {
		posts = append(posts, u.PostID)
	}
	assert.Equal(t, []string{"p-draft", "p-soon"}, posts, "the published post does not block")

	require.NoError(t, f.lib.Release(t.Context(), a.ID, "p-soon", "c1"))
	require.NoError(t, f.lib.Release(t.Context(), a.ID, "p-draft", "c1"))
	require.ErrorIs(t, f.lib.Delete(t.Context(), a.ID, a.Version-1, now), socialflow.ErrConflict)
	require.NoError(t, f.lib.Delete(t.Context(), a.ID, a.Version, now))
	_, err = f.lib.Get(t.Context(), a.ID)
	require.ErrorIs(t, err, socialflow.ErrNotFound)
	assert.Zero(t, f.blobs.Len(), "the bytes go with the asset")
}

func TestUseRefusals(t *testing.T) {
	f := newFixture(t)
	a := f.addMedia(t, "x", "image/png", pngBytes(2, 2))
	err := f.lib.Use(t.Context(), assets.Usage{AssetID: a.ID, PostID: "p1", At: now}, now)
	var ue *assets.UseError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, assets.ReasonNotApproved, ue.Reason)
	a = f.approved(t, a)
	exp := now.Add(24 * time.Hour)
	a, err = f.lib.Update(t.Context(), a.ID, a.Version, assets.Change{Rights: &assets.Rights{Expires: exp}}, now)
	require.NoError(t, err)
	err = f.lib.Use(t.Context(), assets.Usage{AssetID: a.ID, PostID: "p1", At: exp.Add(time.Hour)}, now)
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, assets.ReasonRightsExpired, ue.Reason)
	assert.True(t, ue.Expires.Equal(exp))
	us, err := f.lib.Usages(t.Context(), a.ID)
	require.NoError(t, err)
	assert.Empty(t, us, "a refused use records nothing")

	require.NoError(t, f.lib.CheckUse(t.Context(), a.ID, "c1", "x", now))
	err = f.lib.CheckUse(t.Context(), a.ID, "c1", "x", exp)
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, assets.ReasonRightsExpired, ue.Reason)
	require.ErrorIs(t, f.lib.CheckUse(t.Context(), "nope", "c1", "x", now), socialflow.ErrNotFound)
}

func TestRightsReports(t *testing.T) {
	f := newFixture(t)
	a := f.approved(t, f.addMedia(t, "Licensed", "image/png", pngBytes(3, 3)))
	b := f.approved(t, f.addMedia(t, "Own", "image/jpeg", jpegBytes(3, 3)))
	use := func(id, post string, at time.Time) {
		require.NoError(t, f.lib.Use(t.Context(), assets.Usage{AssetID: id, PostID: post, Channel: "c1", At: at}, now))
	}
	use(a.ID, "p-mon", now.Add(24*time.Hour))
	use(a.ID, "p-fri", now.Add(96*time.Hour))
	use(b.ID, "p-tue", now.Add(48*time.Hour))
	// The licence is shortened after the posts were scheduled.
	exp := now.Add(72 * time.Hour)
	a, err := f.lib.Update(t.Context(), a.ID, a.Version, assets.Change{Rights: &assets.Rights{License: "Getty", Expires: exp}}, now)
	require.NoError(t, err)
	_, err = f.lib.Archive(t.Context(), b.ID, b.Version, now)
	require.NoError(t, err)

	exps, err := f.lib.ExpiringRights(t.Context(), now)
	require.NoError(t, err)
	require.Len(t, exps, 1)
	assert.Equal(t, "p-fri", exps[0].Usage.PostID)
	assert.Equal(t, a.ID, exps[0].Asset.ID)
	assert.True(t, exps[0].Err.Expires.Equal(exp))

	all, err := f.lib.CheckScheduled(t.Context(), now)
	require.NoError(t, err)
	require.Len(t, all, 2)
	assert.Equal(t, assets.ReasonArchived, all[0].Err.Reason)
	assert.Equal(t, assets.ReasonRightsExpired, all[1].Err.Reason)
}

func TestLibrarySearchNormalises(t *testing.T) {
	f := newFixture(t)
	f.addMedia(t, "Beach at dawn", "image/png", pngBytes(4, 4), "Summer", "beach")
	f.addMedia(t, "Ski lift", "image/jpeg", jpegBytes(4, 4), "winter")
	p, err := f.lib.Search(t.Context(), assets.Query{Tags: []string{"#SUMMER"}, Text: "DAWN"})
	require.NoError(t, err)
	require.Len(t, p.Assets, 1)
	assert.Equal(t, "Beach at dawn", p.Assets[0].Name)
	_, err = f.lib.Search(t.Context(), assets.Query{Tags: []string{"two words"}})
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	_, err = f.lib.Search(t.Context(), assets.Query{Cursor: "%%%"})
	require.ErrorIs(t, err, socialflow.ErrInvalid)
}

func TestCanceledContext(t *testing.T) {
	f := newFixture(t)
	c, cancel := context.WithCancel(t.Context())
	cancel()
	data := pngBytes(2, 2)
	_, err := f.lib.AddMedia(c, assets.NewAsset{Name: "x", MIME: "image/png"}, bytes.NewReader(data), int64(len(data)), now)
	require.ErrorIs(t, err, context.Canceled)
	_, err = f.lib.AddText(c, assets.NewAsset{Kind: assets.KindCaption, Name: "x", Body: "y"}, now)
	require.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, f.store.Len())
}

func TestConcurrentDuplicateUploadsKeepOne(t *testing.T) {
	f := newFixture(t)
	data := pngBytes(16, 16)
	const uploaders = 8
	var wg sync.WaitGroup
	errs := make([]error, uploaders)
	ids := make([]string, uploaders)
	for i := range uploaders {
		wg.Go(func() {
			a, err := f.lib.AddMedia(context.Background(), assets.NewAsset{Name: fmt.Sprint("copy ", i), MIME: "image/png"},
				bytes.NewReader(data), int64(len(data)), now)
			errs[i], ids[i] = err, a.ID
		})
	}
	wg.Wait()
	winner := ""
	for i, err := range errs {
		if err == nil {
			require.Empty(t, winner, "two uploads succeeded")
			winner = ids[i]
		}
	}
	require.NotEmpty(t, winner)
	for i, err := range errs {
		if err != nil {
			var de *assets.DuplicateError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, winner, de.ExistingID)
			assert.Equal(t, winner, ids[i], "the existing asset is returned")
		}
	}
	assert.Equal(t, 1, f.store.Len())
	assert.Equal(t, 1, f.blobs.Len())
}
