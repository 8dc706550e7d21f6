package x_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/x"
)

// FuzzClassify answers a publish with any status and body: the adapter
// classifies it into exactly a networks kind, never panics.
func FuzzClassify(f *testing.F) {
	f.Add(403, `{"detail":"You are not allowed to create a Tweet with duplicate content.","type":"about:blank","title":"Forbidden","status":403}`)
	f.Add(429, `{"errors":[{"code":88,"message":"Rate limit exceeded"}]}`)
	f.Add(502, `<html><body>Bad Gateway</body></html>`)
	f.Add(400, `{"title":"Invalid Request","detail":"x","type":"https://api.x.com/2/problems/invalid-requ`)
	f.Fuzz(func(t *testing.T, status int, body string) {
		if status < 400 || status > 599 {
			return
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet { // look-ups after a 5xx or duplicate
				_, _ = w.Write([]byte(`{"data":{"id":"1"}}`))
				return
			}
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}))
		defer srv.Close()
		a, err := x.New(srv.Client(), x.WithBaseURL(srv.URL))
		if err != nil {
			t.Fatal(err)
		}
		acct := networks.Account{ID: "a", Network: x.Network, Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "tok-SECRET"})}
		_, err = a.Publish(t.Context(), acct, networks.Draft{Text: "fuzz", Marker: "m"})
		if err == nil {
			t.Fatal("an error answer must be an error")
		}
		n := 0
		for _, k := range []error{networks.ErrTransient, networks.ErrRateLimited, networks.ErrAuthExpired, networks.ErrRejected,
			networks.ErrDuplicate, networks.ErrOutcomeUnknown, networks.ErrNotFound, networks.ErrInvalid} {
			if errorsIs(err, k) {
				n++
			}
		}
		if n == 0 {
			t.Fatalf("unclassified: %v", err)
		}
	})
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }
