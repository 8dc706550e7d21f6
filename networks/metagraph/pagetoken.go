package metagraph

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/socialflow/socialflow/networks"
)

// PageToken derives the Page access token of one Page from a user token
// of a person who has a task on the Page: GET /{page-id}?fields=access_token
// (https://developers.facebook.com/docs/facebook-login/guides/access-tokens#pagetokens,
// https://developers.facebook.com/docs/pages-api/getting-started). A Page
// token derived from a long-lived user token has no expiry; one derived
// from a short-lived user token lives about an hour.
//
// Failures are classified like any call (an expired user token is a
// *networks.AuthExpiredError). An answer without access_token — the person
// has no task on the Page, or did not grant the Pages permissions — is a
// *networks.ReauthRequiredError: a person must connect the Page again.
func (c *Client) PageToken(ctx context.Context, userToken Secret, pageID string) (Secret, error) {
	if pageID == "" || strings.ContainsAny(pageID, "/?#") {
		return "", &networks.FieldError{Network: c.cfg.Network, Field: "page_id", Value: pageID, Reason: "not a Page id"}
	}
	var out struct {
		ID          string `json:"id"`
		AccessToken string `json:"access_token"`
	}
	_, err := c.Do(ctx, &Call{Method: http.MethodGet, Path: "/" + pageID, Query: url.Values{"fields": {"id,access_token"}},
		Name: "GET /{page-id}?fields=access_token", Token: string(userToken), Op: networks.OpRefresh, Target: networks.RemoteID(pageID)}, &out)
	if err != nil {
		return "", err
	}
	if out.AccessToken == "" {
		return "", &networks.ReauthRequiredError{Network: c.cfg.Network, Reason: "no_page_token",
			Err: errors.New("GET /{page-id}?fields=access_token: the user token gives no Page token for Page " + pageID +
				" (no task on the Page, or pages_manage_posts / pages_show_list not granted)")}
	}
	return Secret(out.AccessToken), nil
}
