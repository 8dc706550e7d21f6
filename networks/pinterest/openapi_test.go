package pinterest_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/stretchr/testify/assert"

	"github.com/socialflow/socialflow/networks/pinterest"
	"github.com/socialflow/socialflow/networks/pinterest/pinteresttest"
)

// The OpenAPI description Pinterest publishes (pinterest/api-description,
// v5/openapi.json, release 5.23.0, MIT licence in the same folder), loaded
// once for every test.
var description = sync.OnceValues(func() (routers.Router, error) {
	doc, err := openapi3.NewLoader().LoadFromFile("pinteresttest/testdata/openapi.json")
	if err != nil {
		return nil, err
	}
	overlappingEnums(doc)
	return gorillamux.NewRouter(doc)
})

// overlappingEnums reads as anyOf the one construct of the description no
// request can satisfy: the items of the analytics' metric_types are a oneOf
// of two enums that share values (IMPRESSION, SAVE, ... are standard and
// video metric types alike), so every shared value matches both.
func overlappingEnums(doc *openapi3.T) {
	for _, path := range []string{"/pins/{pin_id}/analytics", "/pins/analytics"} {
		item := doc.Paths.Find(path)
		if item == nil || item.Get == nil {
			continue
		}
		for _, p := range item.Get.Parameters {
			if p.Value == nil || p.Value.Name != "metric_types" || p.Value.Schema == nil || p.Value.Schema.Value.Items == nil {
				continue
			}
			it := p.Value.Schema.Value.Items.Value
			if len(it.OneOf) > 0 {
				it.AnyOf, it.OneOf = it.OneOf, nil
			}
		}
	}
}

// validator checks every request the adapter sends to the fake API and
// every answer the fake gives against the description, and fails the test
// for each that does not match. The media upload (an S3 bucket, outside
// the description) never reaches it.
type validator struct {
	router routers.Router
	mu     sync.Mutex
	bad    []string
	seen   map[string]int // operation → requests validated
}

func newValidator(t testing.TB) *validator {
	t.Helper()
	r, err := description()
	if err != nil {
		t.Fatalf("load the OpenAPI description: %v", err)
	}
	v := &validator{router: r, seen: map[string]int{}}
	t.Cleanup(func() {
		v.mu.Lock()
		defer v.mu.Unlock()
		for _, b := range v.bad {
			t.Error(b)
		}
	})
	return v
}

func (v *validator) fail(format string, args ...any) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.bad = append(v.bad, fmt.Sprintf(format, args...))
}

// Operations returns how many requests of each operation were validated.
func (v *validator) Operations() map[string]int {
	v.mu.Lock()
	defer v.mu.Unlock()
	out := make(map[string]int, len(v.seen))
	for k, n := range v.seen {
		out[k] = n
	}
	return out
}

// authenticate accepts a request carrying the credentials a security
// scheme names: a bearer token for OAuth 2.0, Basic auth for the token
// endpoint.
func authenticate(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	h := in.RequestValidationInput.Request.Header.Get("Authorization")
	switch in.SecuritySchemeName {
	case "basic":
		if strings.HasPrefix(h, "Basic ") {
			return nil
		}
	case "pinterest_oauth2", "client_credentials", "conversion_token":
		if strings.HasPrefix(h, "Bearer ") {
			return nil
		}
	}
	return errors.New("no credentials for " + in.SecuritySchemeName)
}

// Wrap is the fake's middleware.
func (v *validator) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 64<<20))
		if err != nil {
			next.ServeHTTP(w, r)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		// Route as the description's server (api.pinterest.com/v5) sees it.
		probe := r.Clone(r.Context())
		probe.URL.Scheme, probe.URL.Host, probe.Host = "https", "api.pinterest.com", "api.pinterest.com"
		probe.Body = io.NopCloser(bytes.NewReader(body))
		route, params, err := v.router.FindRoute(probe)
		if err != nil {
			v.fail("%s %s: not in the description: %v", r.Method, r.URL.Path, err)
			next.ServeHTTP(w, r)
			return
		}
		op := r.Method + " " + route.Path
		in := &openapi3filter.RequestValidationInput{Request: probe, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: authenticate, MultiError: true}}
		if err := openapi3filter.ValidateRequest(r.Context(), in); err != nil {
			v.fail("request %s: %v", op, err)
		}
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		v.mu.Lock()
		v.seen[op]++
		v.mu.Unlock()
		if rec.hijacked {
			return // a lost answer: nothing to validate
		}
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.status, Header: rec.Header(),
			Body: io.NopCloser(bytes.NewReader(rec.body.Bytes())), Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
		if err := openapi3filter.ValidateResponse(r.Context(), out); err != nil {
			v.fail("answer %d to %s: %v", rec.status, op, err)
		}
	})
}

// recorder passes an answer through and keeps a copy of it.
type recorder struct {
	http.ResponseWriter
	status   int
	body     bytes.Buffer
	hijacked bool
}

func (r *recorder) WriteHeader(code int) { r.status = code; r.ResponseWriter.WriteHeader(code) }

func (r *recorder) Write(p []byte) (int, error) {
	if r.status != http.StatusNoContent {
		r.body.Write(p)
	}
	return r.ResponseWriter.Write(p)
}

func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := r.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("not a hijacker")
	}
	r.hijacked = true
	return hj.Hijack()
}

// newHarness is the harness every test of this package uses: the fake
// behind the description's validator.
func newHarness(t testing.TB, opts ...pinterest.Option) (*pinteresttest.Harness, *validator) {
	t.Helper()
	v := newValidator(t)
	return pinteresttest.NewHarnessWith(t, pinteresttest.Config{Middleware: v.Wrap}, opts...), v
}

// TestEveryOperationIsValidated runs every call the adapter makes through
// one validator and checks each operation was seen (and, by the
// validator's cleanup, matched the description both ways).
func TestEveryOperationIsValidated(t *testing.T) {
	h, v := newHarness(t)
	ctx, acct, ad := t.Context(), h.Account(), h.Pinterest()
	h.Server.SetProcessingPolls(1)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	r, err := ad.Publish(ctx, acct, h.Draft(1))
	must(err)
	_, err = ad.Metrics(ctx, acct, r.ID)
	must(err)
	_, _, err = ad.FindByMarker(ctx, acct, r.Marker)
	must(err)
	must(ad.Delete(ctx, acct, r.ID))
	vd := h.Draft(2)
	vd.Media = append(vd.Media, pinteresttest.Video(2, 2048))
	pending, err := ad.Publish(ctx, acct, vd)
	must(err)
	_, err = ad.Check(ctx, acct, pending)
	must(err)
	b, err := ad.CreateBoard(ctx, acct, "Recipes", "", "")
	must(err)
	_, err = ad.CreateSection(ctx, acct, b.ID, "Salads")
	must(err)
	_, err = ad.Sections(ctx, acct, b.ID)
	must(err)
	_, err = ad.Boards(ctx, acct)
	must(err)
	h.Server.AddCode("c", "https://host.example/cb")
	cfg := pinterest.OAuthConfig(pinteresttest.ClientID, pinteresttest.ClientSecret, "https://host.example/cb")
	cfg.Endpoint.TokenURL = h.Server.APIURL() + "/oauth/token"
	tok, err := cfg.Exchange(ctx, "c")
	must(err)
	tok.Expiry = time.Unix(1, 0)
	_, err = cfg.TokenSource(ctx, tok).Token()
	must(err)

	var seen []string
	for op := range v.Operations() {
		seen = append(seen, op)
	}
	sort.Strings(seen)
	assert.Equal(t, []string{
		"DELETE /pins/{pin_id}", "GET /boards", "GET /boards/{board_id}/pins", "GET /boards/{board_id}/sections",
		"GET /media/{media_id}", "GET /pins/{pin_id}", "GET /pins/{pin_id}/analytics",
		"POST /boards", "POST /boards/{board_id}/sections", "POST /media", "POST /oauth/token", "POST /pins",
	}, seen)
}
