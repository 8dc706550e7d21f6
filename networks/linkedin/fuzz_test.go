package linkedin_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/linkedin"
)

// FuzzClassify answers POST /rest/posts with any status and body (HTML,
// truncated JSON, wrong types): the adapter never panics, and every error
// has one of the kinds.
func FuzzClassify(f *testing.F) {
	for _, s := range []string{
		`{"status":401,"serviceErrorCode":65602,"code":"EXPIRED_ACCESS_TOKEN","message":"expired"}`,
		`{"errorDetailType":"com.linkedin.common.error.BadRequest","message":"Content is a duplicate of urn:li:share:1","errorDetails":{"inputErrors":[{"code":"DUPLICATE_POST"}]},"status":422}`,
		`{"status":426,"code":"NONEXISTENT_VERSION","message":"Requested version 202401 is not active"}`,
		`<html><body>502 Bad Gateway</body></html>`, `{"status":`, `{"errorDetails":{"inputErrors":[null]}}`, `[]`, ``,
	} {
		f.Add(422, []byte(s))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 400 || status > 599 {
			status = 400 + (status%200+200)%200
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			_, _ = w.Write(body)
		}))
		defer srv.Close()
		ad, err := linkedin.New(srv.Client())
		if err != nil {
			t.Fatal(err)
		}
		acct := networks.Account{ID: "f", Network: linkedin.Network, Handle: "urn:li:organization:1", BaseURL: srv.URL,
			Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "tok-fuzz"})}
		_, err = ad.Publish(t.Context(), acct, networks.Draft{Text: "fuzz", Marker: "f"})
		if err == nil {
			t.Fatal("a non-2xx answer must fail")
		}
		n := 0
		for _, k := range []error{networks.ErrTransient, networks.ErrRateLimited, networks.ErrAuthExpired, networks.ErrRejected,
			networks.ErrDuplicate, networks.ErrOutcomeUnknown, networks.ErrNotFound, networks.ErrInvalid} {
			if errors.Is(err, k) {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d kinds for %v", n, err)
		}
	})
}
