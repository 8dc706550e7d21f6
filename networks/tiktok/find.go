package tiktok

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
)

// findPages is how many pages of 20 of video/list FindByMarker reads.
const findPages = 3

// FindByMarker finds the publish that carried marker, from the [Journal]:
//
//   - no entry: false (nothing was sent with this marker by this journal's
//     adapters);
//   - an entry with a publish_id: the status decides (status/fetch):
//     PUBLISH_COMPLETE is the published post, FAILED is false (nothing was
//     published), and so is an upload that holds fewer bytes than the file
//     (the adapter gave up on it: no post can come of it); anything else a
//     pending receipt that [Adapter.Check] resolves;
//   - a photo post without one (content/init's answer was lost): a
//     [*networks.OutcomeUnknownError] at once, and no request. TikTok
//     documents no endpoint that can find it: status/fetch needs the lost
//     publish_id
//     (https://developers.tiktok.com/doc/content-posting-api-reference-get-video-status),
//     and video/list returns the creator's public video posts
//     (https://developers.tiktok.com/doc/tiktok-api-v2-video-list), so
//     "not in the list" would prove nothing. The Publisher then returns
//     the unknown outcome instead of posting again, and the workflow
//     Dispatcher parks the target as unconfirmed for a person
//     (workflow.NoticeUnconfirmed, Service.ResolveUnconfirmed);
//   - a video without one (a pull init's answer was lost): the creator's
//     60 latest public posts (video/list, scope video.list) are searched
//     for one created since the entry whose caption has the entry's
//     digest. TikTok lists only public videos that passed processing and
//     moderation, so until the settle window ([WithSettleWindow], default
//     [DefaultSettleWindow]) has passed since the publish, not finding it
//     is a *networks.TransientError (ask again later), and only after it
//     false — unless the miss proves nothing: for a video sent with a
//     privacy level other than PUBLIC_TO_EVERYONE (video/list lists public
//     videos), or an entry that does not name its media type (noted before
//     [Entry].MediaType existed) and has no uploaded file (it may be a
//     photo post), a miss after the window is a
//     *networks.OutcomeUnknownError, never false.
//
// A public video still in moderation after the window is not in
// video/list either: that miss is the one place a lost answer can still be
// posted twice.
//
// TikTok has no idempotency key and a caption shows every character, so a
// marker cannot ride in the post itself; the journal is LinkedIn's answer
// to the same problem.
func (a *Adapter) FindByMarker(ctx context.Context, acct networks.Account, marker string) (networks.Receipt, bool, error) {
	if err := ctx.Err(); err != nil {
		return networks.Receipt{}, false, fmt.Errorf("tiktok: find: %w", err)
	}
	if _, err := networks.AccessToken(ctx, Network, acct); err != nil {
		return networks.Receipt{}, false, err
	}
	e, ok, err := a.journal.Get(ctx, marker)
	if err != nil {
		return networks.Receipt{}, false, &networks.TransientError{Network: Network, Op: networks.OpFind, Err: fmt.Errorf("journal: %w", err)}
	}
	if !ok {
		return networks.Receipt{}, false, nil
	}
	r := networks.Receipt{Network: Network, AccountID: acct.ID, Marker: marker, At: e.At}
	if e.PublishID != "" {
		st, err := a.status(ctx, acct, networks.OpFind, e.PublishID)
		if err != nil {
			return networks.Receipt{}, false, err
		}
		r.ID = networks.RemoteID(e.PublishID)
		if st.Status == statusFailed {
			return networks.Receipt{}, false, nil // nothing was published
		}
		if st.Status == statusUpload && e.Size > 0 && st.UploadedBytes < e.Size {
			return networks.Receipt{}, false, nil // the upload stopped short: no post can come of it
		}
		r, _ = settle(acct, r, st)
		return r, true, nil
	}
	if e.MediaType == MediaTypePhoto {
		return networks.Receipt{}, false, &networks.OutcomeUnknownError{Network: Network, Op: networks.OpFind, AccountID: acct.ID, Marker: marker,
			Err: errPhotoUnlisted}
	}
	cursor := int64(0)
pages:
	for range findPages {
		body := map[string]any{"max_count": 20}
		if cursor != 0 {
			body["cursor"] = cursor
		}
		var out videosData
		if _, err := call(ctx, a, &acct, &apikit.Request{
			URL:  a.url("/v2/video/list/", url.Values{"fields": {"id,create_time,title,video_description"}}),
			Name: "POST /v2/video/list/", JSON: body, Account: &acct, Op: networks.OpFind, AccountID: acct.ID}, &out); err != nil {
			return networks.Receipt{}, false, err
		}
		for _, v := range out.Videos {
			if v.CreateTime < e.At.Add(-5*time.Minute).Unix() {
				break pages // sorted newest first: the rest is older than the publish
			}
			if v.ID != "" && (Digest(v.Title) == e.Digest || Digest(v.VideoDescription) == e.Digest || Digest(v.Title+"\n"+v.VideoDescription) == e.Digest) {
				r.ID, r.URL, r.Status = networks.RemoteID(v.ID), permalink(acct, v.ID), networks.StatusPublished
				return r, true, nil
			}
		}
		if !out.HasMore || out.Cursor == 0 || out.Cursor == cursor {
			break
		}
		cursor = out.Cursor
	}
	if until := e.At.Add(a.settleWindow); a.now().Before(until) {
		// Processing and moderation keep a new post out of video/list for a
		// while: not finding it yet proves nothing.
		return networks.Receipt{}, false, &networks.TransientError{Network: Network, Op: networks.OpFind,
			Err: fmt.Errorf("video/list: the post may still be processing or in moderation; ask again after %s", until.UTC().Format(time.RFC3339))}
	}
	if why := e.missProvesNothing(); why != nil {
		return networks.Receipt{}, false, &networks.OutcomeUnknownError{Network: Network, Op: networks.OpFind, AccountID: acct.ID, Marker: marker,
			Err: why}
	}
	return networks.Receipt{}, false, nil
}

// The causes of FindByMarker's unknown outcomes.
var (
	errPhotoUnlisted = errors.New("content/init's outcome is unknown (its answer lost, or a 5xx) and TikTok has no endpoint that finds a photo post without its publish_id " +
		"(video/list lists videos only): check the creator's profile by hand")
	errMaybePhoto = errors.New("not in video/list, and the journal entry does not say whether it is a video " +
		"(a photo post is never listed): check the creator's profile by hand")
)
