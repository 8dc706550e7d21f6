package facebook

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/metagraph"
)

// recentLimit is how many of the Page's most recent posts (and videos)
// the Finder searches.
const recentLimit = 100

// postJSON is a Page Post as the posts edge lists it
// (https://developers.facebook.com/docs/graph-api/reference/page/feed#read).
type postJSON struct {
	ID        string `json:"id"`
	Message   string `json:"message"`
	Permalink string `json:"permalink_url"`
	Created   string `json:"created_time"`
}

// graphTime parses the Graph API's timestamps (2006-01-02T15:04:05+0000).
func graphTime(s string) time.Time {
	t, err := time.Parse("2006-01-02T15:04:05-0700", s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// FindByMarker looks the marker's [Tag] up in the messages of the Page's
// 100 most recent posts (GET /{page-id}/posts,
// https://developers.facebook.com/docs/graph-api/reference/page/feed#read)
// and then in the descriptions of its 100 most recent videos (GET
// /{page-id}/videos,
// https://developers.facebook.com/docs/graph-api/reference/page/videos#read),
// where a video still processing (not yet a post) is found: its receipt is
// pending or published as its status says.
func (a *Adapter) FindByMarker(ctx context.Context, acct networks.Account, marker string) (networks.Receipt, bool, error) {
	s, err := a.session(ctx, acct)
	if err != nil {
		return networks.Receipt{}, false, err
	}
	tag := Tag(marker)
	var posts struct {
		Data []postJSON `json:"data"`
	}
	if _, err := a.do(ctx, a.api, s, &metagraph.Call{Method: http.MethodGet, Path: "/" + s.page + "/posts",
		Query: url.Values{"fields": {"id,message,permalink_url,created_time"}, "limit": {strconv.Itoa(recentLimit)}},
		Name:  "GET /{page-id}/posts", Op: networks.OpFind}, &posts); err != nil {
		return networks.Receipt{}, false, err
	}
	for _, p := range posts.Data {
		if p.ID != "" && strings.Contains(p.Message, tag) {
			r := networks.Receipt{Network: Network, AccountID: acct.ID, ID: networks.RemoteID(p.ID), URL: Permalink(networks.RemoteID(p.ID)),
				Status: networks.StatusPublished, Marker: marker, At: graphTime(p.Created)}
			if p.Permalink != "" {
				r.URL = absolute(p.Permalink)
			}
			return r, true, nil
		}
	}
	var videos struct {
		Data []videoJSON `json:"data"`
	}
	if _, err := a.do(ctx, a.api, s, &metagraph.Call{Method: http.MethodGet, Path: "/" + s.page + "/videos",
		Query: url.Values{"fields": {"id,description,permalink_url,created_time,status"}, "limit": {strconv.Itoa(recentLimit)}},
		Name:  "GET /{page-id}/videos", Op: networks.OpFind}, &videos); err != nil {
		return networks.Receipt{}, false, err
	}
	for _, v := range videos.Data {
		if v.ID != "" && strings.Contains(v.Description, tag) {
			r := networks.Receipt{Network: Network, AccountID: acct.ID, ID: networks.RemoteID(v.ID), URL: Permalink(networks.RemoteID(v.ID)),
				Marker: marker, At: graphTime(v.Created)}
			got, err := a.receipt(v, r, networks.OpFind)
			if err != nil {
				return networks.Receipt{}, false, err
			}
			return got, true, nil
		}
	}
	return networks.Receipt{}, false, nil
}
